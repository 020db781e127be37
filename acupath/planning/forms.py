from typing import Any, cast

from django import forms

from acupath.planning.enums import Side


class PlanForm(forms.Form):
    """Choose points from the reference list; each chosen point gets a side."""

    points = forms.MultipleChoiceField(
        label="Points",
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    extra_codes = forms.CharField(
        label="Other points",
        help_text="codes separated by commas, any spelling (e.g. UB40, LIV3)",
        required=False,
        max_length=300,
    )
    retention_minutes = forms.IntegerField(label="Needle retention (minutes)", min_value=10, max_value=45, initial=25)
    sessions = forms.IntegerField(label="Sessions in the course", min_value=1, max_value=30, initial=10)
    per_week = forms.IntegerField(label="Sessions per week", min_value=1, max_value=5, initial=2)
    electroacupuncture = forms.BooleanField(label="Electroacupuncture", required=False)
    notes = forms.CharField(label="Notes", required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, point_choices: list[tuple[str, str]], **kwargs: Any):
        super().__init__(*args, **kwargs)
        cast(forms.MultipleChoiceField, self.fields["points"]).choices = point_choices

    def side_for(self, code: str) -> str:
        side = self.data.get(f"side_{code}", Side.BOTH)
        return side if side in Side.values else Side.BOTH

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("points") and not data.get("extra_codes", "").strip():
            raise forms.ValidationError("Choose at least one point, or type its code under 'Other points'.")
        return data
