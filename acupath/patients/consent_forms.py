from typing import Any

from django import forms

from acupath.patients.consent_schemas import SIGNATURE_MAX_CHARS
from acupath.patients.domain.consent import BODY_MAX, NAME_MAX, REASON_MAX, STATEMENT_MAX, TITLE_MAX, TYPED_MAX


class ConsentSignForm(forms.Form):
    """The patient signs with a finger or stylus (the pad fills `signature`) or types their name."""

    agree = forms.BooleanField(
        label="I have read this information and agree",
        error_messages={"required": "Tick the box to show you have read the information and agree."},
    )
    signed_by = forms.CharField(label="Your full name", max_length=NAME_MAX)
    signature = forms.CharField(required=False, max_length=SIGNATURE_MAX_CHARS, widget=forms.HiddenInput)
    typed_signature = forms.CharField(
        label="Or type your name as your signature",
        required=False,
        max_length=TYPED_MAX,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    text_version = forms.IntegerField(widget=forms.HiddenInput)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("signature") and not (data.get("typed_signature") or "").strip():
            self.add_error("signature", "Sign in the box with a finger or stylus, or type your name below it.")
        return data

    def signature_value(self) -> str:
        return str(self.cleaned_data.get("signature") or self.cleaned_data.get("typed_signature", ""))


class ConsentWithdrawForm(forms.Form):
    reason = forms.CharField(
        label="Reason", required=False, max_length=REASON_MAX, help_text="optional, in the patient's words"
    )


class ConsentTextForm(forms.Form):
    title = forms.CharField(max_length=TITLE_MAX)
    body = forms.CharField(
        label="Text",
        max_length=BODY_MAX,
        widget=forms.Textarea(attrs={"rows": 24}),
        help_text='a line starting with "## " is a heading, "- " a list item; a blank line starts a paragraph',
    )
    statement = forms.CharField(
        label="What the patient agrees to", max_length=STATEMENT_MAX, widget=forms.Textarea(attrs={"rows": 3})
    )
    change_note = forms.CharField(
        label="What changed", max_length=REASON_MAX, required=False, help_text="kept with the new version"
    )
