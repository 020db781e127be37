"""The clinic enters its licensed questionnaire wording here (Acupath ships none of it)."""

from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib import admin

from acupath.measures.models import InstrumentText
from acupath.measures.services import instrument_text_errors

# Generic only to the type checker (django-stubs); at run time they are plain classes.
if TYPE_CHECKING:
    _ModelForm = forms.ModelForm[InstrumentText]
    _ModelAdmin = admin.ModelAdmin[InstrumentText]
else:
    _ModelForm = forms.ModelForm
    _ModelAdmin = admin.ModelAdmin


class InstrumentTextForm(_ModelForm):
    class Meta:
        model = InstrumentText
        fields = ["instrument", "item", "option", "text"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if {"instrument", "item"} <= set(data):
            for name, message in instrument_text_errors(
                data["instrument"], data["item"], data.get("option", "")
            ).items():
                self.add_error(name, message)
        return data


@admin.register(InstrumentText)
class InstrumentTextAdmin(_ModelAdmin):
    form = InstrumentTextForm
    list_display = ["instrument", "item", "option", "text"]
    list_filter = ["instrument"]
    search_fields = ["text"]
    ordering = ["instrument", "item", "option"]

    def save_model(self, request: Any, obj: InstrumentText, form: Any, change: bool) -> None:
        if not change:
            obj.created_by = request.user
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)
