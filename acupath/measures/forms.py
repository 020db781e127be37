"""Entering an instrument on the tablet: one field per item, in the answer shape the scoring expects.

Labels are our short topic labels from ``instruments.yaml`` unless the clinic has entered its
licensed wording (``InstrumentText``), which then replaces them. The form turns the fields into the
answers list the pure scoring takes; the scoring decides what the answers mean.
"""

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django import forms
from django.utils import timezone

from acupath.measures.domain.instruments import AnswerType, Instrument, InstrumentCode

Texts = dict[tuple[int, str], str]

NOT_ANSWERED = ""


@dataclass(frozen=True)
class ItemRow:
    """One question as the template lays it out."""

    number: int
    label: str  # our short topic label, or the clinic's licensed wording
    licensed: bool
    field: forms.BoundField
    long_options: bool  # options carry the clinic's statements: stack them instead of a row of pills


class AssessmentForm(forms.Form):
    taken_at = forms.DateTimeField(
        label="Taken",
        input_formats=["%Y-%m-%dT%H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        error_messages={"required": "Give the date and time the patient answered.", "invalid": "Use a date and time."},
    )

    def __init__(self, *args: Any, spec: Instrument, texts: Texts, activities: list[str], **kwargs: Any):
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("taken_at", timezone.localtime().replace(second=0, microsecond=0))
        for n, activity in enumerate(activities[:5], start=1):
            kwargs["initial"].setdefault(f"activity_{n}", activity)
        super().__init__(*args, **kwargs)
        self.spec = spec
        self.texts = texts
        builder = {
            InstrumentCode.NRS: self._nrs,
            InstrumentCode.ODI: self._odi,
            InstrumentCode.RMDQ: self._rmdq,
            InstrumentCode.STARTBACK: self._startback,
            InstrumentCode.PSFS: self._psfs,
        }[spec.code]
        builder()

    # --- building the fields ------------------------------------------------------------------
    def _text(self, item: int, option: str = "") -> str | None:
        return self.texts.get((item, option))

    def _choice(self, name: str, choices: list[tuple[str, str]], *, required: bool, message: str) -> None:
        self.fields[name] = forms.ChoiceField(
            choices=choices,
            required=required,
            widget=forms.RadioSelect,
            error_messages={"required": message, "invalid_choice": message},
        )

    def _nrs(self) -> None:
        self._choice(
            "i1",
            [(str(n), str(n)) for n in range(11)],
            required=True,
            message="Choose the patient's pain now, from 0 (no pain) to 10 (worst imaginable).",
        )

    def _odi(self) -> None:
        for item in self.spec.items:
            options = [(NOT_ANSWERED, "Not answered / not applicable")]
            options += [(str(n), self._text(item.number, str(n)) or str(n)) for n in range(6)]
            self._choice(f"i{item.number}", options, required=False, message="Choose a statement from 0 to 5.")
            self.initial.setdefault(f"i{item.number}", NOT_ANSWERED)

    def _rmdq(self) -> None:
        for item in self.spec.items:
            self._choice(
                f"i{item.number}",
                [("yes", "Applies today"), ("no", "Does not apply")],
                required=True,
                message=f"Answer item {item.number}: does it apply to the patient today?",
            )

    def _startback(self) -> None:
        for item in self.spec.items:
            answer = self.spec.answer_spec(item)
            if answer.type is AnswerType.CHOICE:
                choices = [(o.code, self._text(item.number, o.code) or o.display) for o in answer.options]
                message = f"Choose one answer for item {item.number}."
            else:
                choices = [("agree", "Agree"), ("disagree", "Disagree")]
                message = f"Answer item {item.number}: agree or disagree."
            self._choice(f"i{item.number}", choices, required=True, message=message)

    def _psfs(self) -> None:
        limits = self.spec.activities
        if limits is None:
            raise ValueError("the PSFS definition needs its activities settings")
        for n in range(1, limits.max_count + 1):
            self.fields[f"activity_{n}"] = forms.CharField(
                label=f"Activity {n}", required=False, max_length=limits.max_text_length
            )
            self.fields[f"score_{n}"] = forms.TypedChoiceField(
                label=f"Score for activity {n}",
                choices=[(NOT_ANSWERED, "—")] + [(str(v), str(v)) for v in range(11)],
                coerce=int,
                empty_value=None,
                required=False,
            )

    # --- layout helpers for the template -------------------------------------------------------
    def item_rows(self) -> list[ItemRow]:
        rows = []
        for item in self.spec.items:
            name = f"i{item.number}"
            licensed = self._text(item.number)
            long_options = any(key[0] == item.number and key[1] for key in self.texts)
            rows.append(ItemRow(item.number, licensed or item.label, licensed is not None, self[name], long_options))
        return rows

    def activity_rows(self) -> list[tuple[int, forms.BoundField, forms.BoundField]]:
        limits = self.spec.activities
        count = limits.max_count if limits else 0
        return [(n, self[f"activity_{n}"], self[f"score_{n}"]) for n in range(1, count + 1)]

    def instructions(self) -> str | None:
        """The clinic's own instructions or notice for the whole instrument (item 0)."""
        return self._text(0)

    # --- validation and the answer shape ----------------------------------------------------------
    def clean_taken_at(self) -> dt.datetime:
        taken: dt.datetime = self.cleaned_data["taken_at"]
        if taken > timezone.now() + dt.timedelta(minutes=10):
            raise forms.ValidationError("The assessment cannot be taken in the future; check the date and time.")
        return taken

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.spec.code == InstrumentCode.PSFS:
            self._clean_psfs(data)
        return data

    def _clean_psfs(self, data: dict[str, Any]) -> None:
        filled = 0
        for n, activity_field, score_field in self.activity_rows():
            activity = (data.get(activity_field.name) or "").strip()
            value = data.get(score_field.name)
            if activity and value is None:
                self.add_error(score_field.name, f"Give a score from 0 to 10 for “{activity}”.")
            elif value is not None and not activity:
                self.add_error(activity_field.name, f"Name activity {n}, or clear its score.")
            elif activity:
                filled += 1
        if filled == 0 and not self.errors:
            self.add_error("activity_1", "Name at least one activity the patient finds hard, and score it.")

    def answers(self) -> Any:
        """The cleaned fields in the scoring's answer shape."""
        d = self.cleaned_data
        code = self.spec.code
        if code == InstrumentCode.NRS:
            return int(d["i1"])
        if code == InstrumentCode.ODI:
            return [None if d[f"i{i.number}"] == NOT_ANSWERED else int(d[f"i{i.number}"]) for i in self.spec.items]
        if code == InstrumentCode.RMDQ:
            return [d[f"i{i.number}"] == "yes" for i in self.spec.items]
        if code == InstrumentCode.STARTBACK:
            out: list[Any] = []
            for item in self.spec.items:
                value = d[f"i{item.number}"]
                out.append(value if self.spec.answer_spec(item).type is AnswerType.CHOICE else value == "agree")
            return out
        return [
            {"activity": d[a.name].strip(), "score": d[s.name]}
            for _, a, s in self.activity_rows()
            if (d.get(a.name) or "").strip()
        ]
