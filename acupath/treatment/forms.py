from decimal import Decimal

from django import forms

from acupath.clinic.models import Room


class SessionForm(forms.Form):
    """A session recorded at the end of the visit: points needled, retention, pain before and after."""

    room = forms.ModelChoiceField(queryset=Room.objects.filter(active=True), required=False, empty_label="— no room —")
    pain_before = forms.IntegerField(label="Pain before", help_text="0-10", min_value=0, max_value=10)
    retention_minutes = forms.IntegerField(label="Needles retained (minutes)", min_value=5, max_value=60, initial=25)
    gauge_mm = forms.DecimalField(
        label="Needle gauge (mm)", max_digits=4, decimal_places=2, initial=Decimal("0.25"), min_value=Decimal("0.12")
    )
    length_mm = forms.IntegerField(label="Needle length (mm)", min_value=7, max_value=125, initial=40)
    lot = forms.CharField(label="Needle pack lot number", max_length=40)
    pain_after = forms.IntegerField(label="Pain after", help_text="0-10", min_value=0, max_value=10)
    contact_minutes = forms.IntegerField(label="One-on-one contact (minutes)", min_value=0, max_value=240, initial=15)
    note = forms.CharField(label="Note", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    extra_codes = forms.CharField(
        label="Points added today", help_text="codes separated by commas", required=False, max_length=300
    )

    def needled(self, plan_codes: list[tuple[str, str]]) -> list[tuple[str, str, int]]:
        """(code, side, needles) for each plan point ticked, plus points added by code."""
        chosen = []
        for code, side in plan_codes:
            if self.data.get(f"use_{code}_{side}"):
                chosen.append((code, side, 2 if side == "both" else 1))
        extra = self.cleaned_data.get("extra_codes", "")
        chosen += [(c.strip(), "both", 2) for c in extra.split(",") if c.strip()]
        return chosen
