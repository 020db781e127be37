from django import forms

from acupath.reassessment.enums import ReassessmentChoice
from acupath.reassessment.services import MAX_REASON


class ReassessmentForm(forms.Form):
    decision = forms.ChoiceField(
        choices=ReassessmentChoice.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose continue, change or stop.",
            "invalid_choice": "Choose continue, change or stop.",
        },
    )
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=MAX_REASON,
        error_messages={"required": "Say why: what the patient reports and what the scores show."},
    )
