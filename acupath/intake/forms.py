"""The consultation form: laid out for a tablet, grouped as the practitioner asks."""

from typing import Any, cast

from django import forms
from django.utils import timezone

from acupath.intake.domain.patterns import load_patterns
from acupath.intake.domain.red_flags import screening_questions
from acupath.intake.enums import BackRegion, Cause, ConsultationKind, LegPain, RedFlagDecision

SKIN_SITES = [
    ("lumbar", "Lower back"),
    ("sacral", "Sacrum"),
    ("buttock", "Buttock"),
    ("upper_back", "Upper back"),
    ("thigh", "Thigh"),
    ("knee", "Knee"),
    ("lower_leg", "Lower leg"),
    ("foot", "Foot"),
    ("hand", "Hand"),
]


class ConsultationForm(forms.Form):
    kind = forms.ChoiceField(label="Type of visit", choices=ConsultationKind.choices)
    causes = forms.MultipleChoiceField(
        label="What is causing the back pain?",
        help_text="tick all that apply",
        choices=Cause.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Tick at least one cause of the back pain."},
    )
    onset_date = forms.DateField(label="When did it start?", widget=forms.DateInput(attrs={"type": "date"}))
    region = forms.ChoiceField(label="Where is the pain?", choices=BackRegion.choices)
    leg_pain = forms.ChoiceField(label="Pain down the leg", choices=LegPain.choices)
    pain_now = forms.IntegerField(
        label="Pain now",
        help_text="0 = no pain, 10 = worst imaginable",
        min_value=0,
        max_value=10,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    worse_with = forms.CharField(label="Worse with", required=False, max_length=300)
    better_with = forms.CharField(label="Better with", required=False, max_length=300)

    conditions = forms.CharField(label="Conditions", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    surgeries = forms.CharField(label="Surgeries", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    medications = forms.CharField(label="Medications", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    anticoagulant = forms.BooleanField(label="Takes an anticoagulant or antiplatelet", required=False)
    bleeding_disorder = forms.BooleanField(label="Bleeding disorder", required=False)
    pregnant = forms.BooleanField(label="Pregnant", required=False)
    pregnancy_weeks = forms.IntegerField(label="Weeks of pregnancy", required=False, min_value=0, max_value=45)
    pacemaker = forms.BooleanField(label="Pacemaker or other implanted electronic device", required=False)
    diabetes = forms.BooleanField(label="Diabetes", required=False)
    needle_fear = forms.BooleanField(label="Afraid of needles", required=False)
    skin_lesion_sites = forms.MultipleChoiceField(
        label="Skin problems at possible needle sites",
        required=False,
        choices=SKIN_SITES,
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
    notes = forms.CharField(label="Notes", required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["pattern"]).choices = [("", "— not yet differentiated —")] + [
            (p.code, p.display) for p in load_patterns()
        ]
        for q in screening_questions():
            self.fields[f"rf_{q.code}"] = forms.BooleanField(label=q.text, required=False)

    def clean_onset_date(self) -> Any:
        onset = self.cleaned_data["onset_date"]
        if onset > timezone.localdate():
            raise forms.ValidationError("The pain cannot start in the future; check the onset date.")
        return onset

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("pregnancy_weeks") is not None and not data.get("pregnant"):
            self.add_error("pregnant", "Tick 'Pregnant' when you give weeks of pregnancy.")
        return data

    def red_flag_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.fields if name.startswith("rf_")]

    def red_flag_answers(self) -> dict[str, bool]:
        return {name[3:]: bool(v) for name, v in self.cleaned_data.items() if name.startswith("rf_")}


class RedFlagDecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=RedFlagDecision.choices, widget=forms.RadioSelect)
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Give the reason for the decision; it is part of the clinical record."},
    )
