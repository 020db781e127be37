"""The baseline set on the consultation page: the clinic's function measure and STarT Back, each
its own ``AssessmentForm`` (prefixed, without a time: they are taken with the consultation)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import QueryDict

from acupath.measures.baseline import baseline_set_codes
from acupath.measures.domain.instruments import instrument
from acupath.measures.forms import AssessmentForm
from acupath.measures.selectors import instrument_texts


class BaselineLater(forms.Form):
    later = forms.BooleanField(
        required=False,
        label="Not taken today: the patient will answer them at a later visit (they will show as a late baseline)",
    )


class BaselineSet:
    """The two questionnaires of the baseline set, validated together."""

    def __init__(self, data: QueryDict | None = None) -> None:
        self.later = BaselineLater(data, prefix="baseline")
        self.forms: list[AssessmentForm] = []
        for code in baseline_set_codes():
            form = AssessmentForm(data, spec=instrument(code), texts=instrument_texts(code), activities=[], prefix=code)
            form.fields.pop("taken_at")
            self.forms.append(form)

    @property
    def skipped(self) -> bool:
        return self.later.is_valid() and bool(self.later.cleaned_data["later"])

    def is_valid(self) -> bool:
        if not self.later.is_valid():
            return False
        return self.skipped or all(f.is_valid() for f in self.forms)

    def answers(self) -> dict[str, Any]:
        """{instrument: answers} for the consultation service; empty when taken later."""
        if self.skipped:
            return {}
        return {f.spec.code.value: f.answers() for f in self.forms}
