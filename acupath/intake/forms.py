"""The consultation form (practitioner, tablet) and the pre-visit questionnaire (patient, portal)."""

import datetime as dt
from dataclasses import dataclass
from typing import Any, cast

from django import forms
from django.utils import timezone

from acupath.intake.domain.patterns import load_patterns
from acupath.intake.domain.red_flags import UNSURE, Answer, Category, Question, load_red_flags, screening_questions
from acupath.intake.enums import (
    BackRegion,
    Cause,
    ConsultationKind,
    LegPain,
    RedFlagDecision,
    ReferralOutcome,
    SkinSite,
)
from acupath.intake.models import PrevisitAnswers
from acupath.intake.screening import ASSESSED_BY_MAX, NOTE_MAX, REASON_MAX
from acupath.intake.services import CLARIFICATION_MAX, History, Lifestyle, PrevisitInput

HISTORY_FLAGS = (
    "anticoagulant",
    "bleeding_disorder",
    "pregnant",
    "pacemaker",
    "diabetes",
    "peripheral_neuropathy",
    "metal_allergy",
    "epilepsy",
    "immunosuppressed",
    "needle_fear",
)

CATEGORY_LABELS = {
    Category.CAUDA_EQUINA: "Cauda equina",
    Category.CORD: "Spinal cord",
    Category.NEUROLOGICAL: "Nerve deficit",
    Category.MALIGNANCY: "Cancer",
    Category.INFECTION: "Infection",
    Category.FRACTURE: "Fracture",
    Category.INFLAMMATORY: "Inflammatory",
}

PATTERN_GROUPS = {
    "environmental": "External factors",
    "qi_blood": "Qi and blood",
    "kidney": "Kidney",
    "meridian": "Channels",
}

YES_NO = [("no", "No"), ("yes", "Yes")]
YES_NO_UNSURE = [("no", "No"), ("yes", "Yes"), (UNSURE, "Unsure")]


@dataclass(frozen=True)
class RedFlagRow:
    question: Question
    category: str
    field: forms.BoundField
    patient_said_yes: bool
    clarify: forms.BoundField | None = None

    @property
    def is_yes(self) -> bool:
        return self.field.value() in ("yes", UNSURE)


@dataclass(frozen=True)
class ComputedRow:
    """A flag worked out from the record (age from the birth date), shown in the screening."""

    code: str
    title: str
    reason: str
    tier: str


def _pattern_choices() -> list[Any]:
    groups: dict[str, list[tuple[str, str]]] = {}
    for p in load_patterns():
        groups.setdefault(PATTERN_GROUPS.get(p.group, p.group), []).append((p.code, p.display))
    return [("", "— not yet differentiated —"), *groups.items()]


class _RedFlagMixin:
    """Yes/no screening questions as fields ``rf_<code>`` (unanswered is allowed and kept apart)."""

    fields: dict[str, forms.Field]
    cleaned_data: dict[str, Any]
    patient_yes: frozenset[str] = frozenset()

    def _add_red_flag_fields(self, *, required: bool, unsure: bool = False) -> None:
        for q in screening_questions():
            self.fields[f"rf_{q.code}"] = forms.ChoiceField(
                label=q.text,
                choices=YES_NO_UNSURE if unsure else YES_NO,
                required=required,
                widget=forms.RadioSelect,
                error_messages={"required": "Answer yes, no or unsure." if unsure else "Please answer yes or no."},
            )

    def red_flag_rows(self) -> list[RedFlagRow]:
        form = cast(forms.Form, self)
        return [
            RedFlagRow(
                q,
                CATEGORY_LABELS.get(q.category, ""),
                form[f"rf_{q.code}"],
                q.code in self.patient_yes,
                form[f"clarify_{q.code}"] if f"clarify_{q.code}" in form.fields else None,
            )
            for q in screening_questions()
        ]

    def red_flag_answers(self) -> dict[str, Answer]:
        answers: dict[str, Answer] = {}
        for name, value in self.cleaned_data.items():
            if name.startswith("rf_") and value in ("yes", "no", UNSURE):
                answers[name[3:]] = "unsure" if value == UNSURE else value == "yes"
        return answers

    def red_flag_clarifications(self) -> dict[str, str]:
        return {
            name[len("clarify_") :]: value
            for name, value in self.cleaned_data.items()
            if name.startswith("clarify_") and value
        }


class ConsultationForm(_RedFlagMixin, forms.Form):
    previsit = forms.UUIDField(required=False, widget=forms.HiddenInput)
    kind = forms.ChoiceField(label="Type of visit", choices=ConsultationKind.choices)
    causes = forms.MultipleChoiceField(
        label="What is causing the back pain?",
        help_text="tick all that apply",
        choices=Cause.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Tick at least one cause of the back pain."},
    )
    onset_date = forms.DateField(
        label="When did it start?",
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"required": "Give the date the pain started (an estimate is fine)."},
    )
    region = forms.ChoiceField(label="Where is the pain?", choices=BackRegion.choices)
    leg_pain = forms.ChoiceField(label="Pain down the leg", choices=LegPain.choices)
    pain_now = forms.IntegerField(
        label="Pain now",
        help_text="0 = no pain, 10 = worst imaginable",
        min_value=0,
        max_value=10,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        error_messages={
            "required": "Ask the patient to rate their pain now, 0 to 10.",
            "min_value": "Pain now is 0 to 10.",
            "max_value": "Pain now is 0 to 10.",
        },
    )
    worse_with = forms.CharField(label="Worse with", required=False, max_length=300)
    better_with = forms.CharField(label="Better with", required=False, max_length=300)

    conditions = forms.CharField(
        label="Conditions", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    surgeries = forms.CharField(
        label="Surgeries", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    medications = forms.CharField(
        label="Medications", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    anticoagulant = forms.BooleanField(label="Takes an anticoagulant or antiplatelet", required=False)
    bleeding_disorder = forms.BooleanField(label="Bleeding disorder", required=False)
    pregnant = forms.BooleanField(label="Pregnant", required=False)
    pregnancy_weeks = forms.IntegerField(label="Weeks of pregnancy", required=False, min_value=0, max_value=45)
    pacemaker = forms.BooleanField(label="Pacemaker or other implanted electronic device", required=False)
    diabetes = forms.BooleanField(label="Diabetes", required=False)
    peripheral_neuropathy = forms.BooleanField(
        label="Peripheral neuropathy (reduced feeling in feet or legs)", required=False
    )
    metal_allergy = forms.BooleanField(label="Allergy to nickel or another metal", required=False)
    epilepsy = forms.BooleanField(label="Epilepsy or seizures", required=False)
    immunosuppressed = forms.BooleanField(
        label="Immunosuppressed (e.g. steroids, chemotherapy, transplant medicines)", required=False
    )
    needle_fear = forms.BooleanField(label="Afraid of needles", required=False)
    skin_lesion_sites = forms.MultipleChoiceField(
        label="Broken, infected or inflamed skin at possible needle sites",
        required=False,
        choices=SkinSite.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    allergies = forms.CharField(label="Allergies", help_text="e.g. nickel", required=False, max_length=300)

    work_posture = forms.CharField(label="Work and posture", required=False, max_length=300)
    activity_level = forms.CharField(label="Activity level", required=False, max_length=120)
    sleep = forms.CharField(label="Sleep", required=False, max_length=120)
    stress = forms.CharField(label="Stress", required=False, max_length=120)

    pattern = forms.ChoiceField(label="TCM pattern", required=False)
    tongue = forms.CharField(label="Tongue", required=False, max_length=200)
    pulse = forms.CharField(label="Pulse", required=False, max_length=200)
    notes = forms.CharField(label="Notes", required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(
        self,
        *args: Any,
        patient_yes: frozenset[str] = frozenset(),
        computed: dict[str, str] | None = None,
        **kwargs: Any,
    ):
        super().__init__(*args, **kwargs)
        self.patient_yes = patient_yes
        self.computed = computed or {}
        cast(forms.ChoiceField, self.fields["pattern"]).choices = _pattern_choices()
        # Every question must be answered, at every initial consultation and re-assessment.
        self._add_red_flag_fields(required=True, unsure=True)
        for code in sorted(patient_yes):
            self.fields[f"clarify_{code}"] = forms.CharField(
                label="The patient said yes before the visit; to record no, say what you clarified",
                required=False,
                max_length=CLARIFICATION_MAX,
            )

    def computed_rows(self) -> list[ComputedRow]:
        catalogue = load_red_flags()
        return [
            ComputedRow(code, catalogue.flag(code).title, reason, catalogue.flag(code).tier.label)
            for code, reason in self.computed.items()
        ]

    def missing_numbers(self) -> list[int]:
        """The numbers of the questions not answered in the posted form."""
        if not self.is_bound:
            return []
        return [q.number for q in screening_questions() if not self.data.get(f"rf_{q.code}")]

    def history_flag_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in HISTORY_FLAGS]

    def clean_onset_date(self) -> Any:
        onset = self.cleaned_data["onset_date"]
        if onset > timezone.localdate():
            raise forms.ValidationError("The pain cannot start in the future; check the onset date.")
        return onset

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("pregnancy_weeks") is not None and not data.get("pregnant"):
            self.add_error("pregnant", "Tick 'Pregnant' when you give weeks of pregnancy.")
        if missing := self.missing_numbers():
            self.add_error(
                None,
                "Answer every red-flag question (yes, no or unsure) before saving; not answered yet: question "
                + ", ".join(str(n) for n in missing)
                + ". Everything else you entered is kept.",
            )
        return data


def consultation_initial(previsit: PrevisitAnswers) -> dict[str, Any]:
    """The consultation form's starting values from what the patient entered before the visit."""
    initial: dict[str, Any] = {
        name: value for name, value in previsit.answers.items() if value not in (None, "", [], False)
    }
    initial.update({f"rf_{code}": "yes" if answer else "no" for code, answer in previsit.red_flags.items()})
    initial["previsit"] = previsit.public_id
    return initial


class RedFlagDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        choices=RedFlagDecision.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose a decision: a referral at least as urgent as the flag, or not relevant."},
    )
    reason = forms.CharField(
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Give the reason for the decision; it is part of the clinical record."},
    )


class ReferralOutcomeForm(forms.Form):
    outcome = forms.ChoiceField(
        choices=ReferralOutcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the outcome of the assessment."},
    )
    assessed_by = forms.CharField(
        label="Assessed by",
        help_text="who assessed the patient, and where",
        max_length=ASSESSED_BY_MAX,
        error_messages={"required": "Say who assessed the patient (e.g. 'Dr Patel, emergency department')."},
    )
    assessed_on = forms.DateField(
        label="Assessed on",
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"required": "Give the date of the assessment (or of the missed appointment)."},
    )
    note = forms.CharField(
        label="What the assessment found",
        required=False,
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


# --- the patient's pre-visit questionnaire ------------------------------------------------------


class PrevisitForm(_RedFlagMixin, forms.Form):
    """The same facts as the consultation, asked in the patient's words; all optional but the
    safety questions, which each need a yes or a no."""

    pain_now = forms.TypedChoiceField(
        label="How bad is your back pain right now?",
        help_text="0 = no pain, 10 = the worst pain you can imagine",
        choices=[(str(n), str(n)) for n in range(11)],
        coerce=int,
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
    )
    region = forms.ChoiceField(
        label="Where is the pain?",
        choices=[("", "Choose…"), *BackRegion.choices],
        required=False,
    )
    leg_pain = forms.ChoiceField(
        label="Does the pain go down your leg? How far?",
        choices=[("", "Choose…"), *LegPain.choices],
        required=False,
    )
    onset_date = forms.DateField(
        label="When did this back pain start?",
        help_text="a rough date is fine",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    causes = forms.MultipleChoiceField(
        label="What do you think brought it on?",
        help_text="tick any that fit, or none if you are not sure",
        choices=Cause.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    worse_with = forms.CharField(label="What makes it worse?", required=False, max_length=300)
    better_with = forms.CharField(label="What makes it better?", required=False, max_length=300)

    conditions = forms.CharField(
        label="Other health conditions", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    surgeries = forms.CharField(
        label="Operations you have had", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    medications = forms.CharField(
        label="Medicines you take", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    anticoagulant = forms.BooleanField(
        label="I take blood thinners (for example warfarin, apixaban, clopidogrel or daily aspirin)", required=False
    )
    bleeding_disorder = forms.BooleanField(
        label="I bleed or bruise easily, or have a bleeding disorder", required=False
    )
    pregnant = forms.BooleanField(label="I am pregnant", required=False)
    pregnancy_weeks = forms.IntegerField(label="How many weeks pregnant?", required=False, min_value=0, max_value=45)
    pacemaker = forms.BooleanField(label="I have a pacemaker or another electronic implant", required=False)
    diabetes = forms.BooleanField(label="I have diabetes", required=False)
    peripheral_neuropathy = forms.BooleanField(
        label="I have reduced feeling, numbness or tingling in my feet or legs (neuropathy)", required=False
    )
    metal_allergy = forms.BooleanField(label="I am allergic to nickel or another metal", required=False)
    epilepsy = forms.BooleanField(label="I have epilepsy or have had seizures", required=False)
    immunosuppressed = forms.BooleanField(
        label="I take medicines that lower my immunity (for example steroids or chemotherapy)", required=False
    )
    needle_fear = forms.BooleanField(label="I am nervous about needles", required=False)
    skin_lesion_sites = forms.MultipleChoiceField(
        label="Any broken, infected or inflamed skin? Where?",
        required=False,
        choices=SkinSite.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    allergies = forms.CharField(
        label="Allergies", help_text="for example to nickel or plasters", required=False, max_length=300
    )

    work_posture = forms.CharField(label="Your work, and how you sit or stand for it", required=False, max_length=300)
    activity_level = forms.CharField(label="How active are you?", required=False, max_length=120)
    sleep = forms.CharField(label="How do you sleep?", required=False, max_length=120)
    stress = forms.CharField(label="How stressed do you feel?", required=False, max_length=120)

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self._add_red_flag_fields(required=True)

    def history_flag_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in HISTORY_FLAGS]

    def clean_onset_date(self) -> dt.date | None:
        onset: dt.date | None = self.cleaned_data.get("onset_date")
        if onset is not None and onset > timezone.localdate():
            raise forms.ValidationError("The date cannot be in the future; please check it.")
        return onset

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("pregnancy_weeks") is not None and not data.get("pregnant"):
            self.add_error("pregnant", "Tick 'I am pregnant' if you give the weeks of pregnancy.")
        return data

    def to_input(self) -> PrevisitInput:
        d = self.cleaned_data
        return PrevisitInput(
            causes=tuple(d["causes"]),
            onset_date=d["onset_date"],
            region=d["region"],
            leg_pain=d["leg_pain"],
            pain_now=d["pain_now"],
            worse_with=d["worse_with"],
            better_with=d["better_with"],
            history=history_from(d),
            lifestyle=lifestyle_from(d),
            red_flags={code: answer is True for code, answer in self.red_flag_answers().items()},
        )


def previsit_initial(previsit: PrevisitAnswers) -> dict[str, Any]:
    """The patient's own earlier answers, so they can change them before the visit."""
    initial = {name: value for name, value in previsit.answers.items() if value is not None}
    if isinstance(initial.get("pain_now"), int):
        initial["pain_now"] = str(initial["pain_now"])
    initial.update({f"rf_{code}": "yes" if answer else "no" for code, answer in previsit.red_flags.items()})
    return initial


def history_from(d: dict[str, Any]) -> History:
    """The medical history part of a cleaned consultation or pre-visit form."""
    return History(
        pregnant=d["pregnant"],
        pregnancy_weeks=d["pregnancy_weeks"],
        anticoagulant=d["anticoagulant"],
        bleeding_disorder=d["bleeding_disorder"],
        pacemaker=d["pacemaker"],
        diabetes=d["diabetes"],
        needle_fear=d["needle_fear"],
        peripheral_neuropathy=d["peripheral_neuropathy"],
        metal_allergy=d["metal_allergy"],
        epilepsy=d["epilepsy"],
        immunosuppressed=d["immunosuppressed"],
        skin_lesion_sites=tuple(d["skin_lesion_sites"]),
        conditions=d["conditions"],
        surgeries=d["surgeries"],
        medications=d["medications"],
        allergies=d["allergies"],
    )


def lifestyle_from(d: dict[str, Any]) -> Lifestyle:
    return Lifestyle(
        work_posture=d["work_posture"], activity_level=d["activity_level"], sleep=d["sleep"], stress=d["stress"]
    )
