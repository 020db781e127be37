from typing import TYPE_CHECKING

from django.contrib import admin
from django.http import HttpRequest

from acupath.core.models import AuditEvent

# ModelAdmin is generic only to the type checker (django-stubs); at run time it is a plain class.
if TYPE_CHECKING:
    _ModelAdmin = admin.ModelAdmin[AuditEvent]
else:
    _ModelAdmin = admin.ModelAdmin


@admin.register(AuditEvent)
class AuditEventAdmin(_ModelAdmin):
    """The audit log, read-only: who did what to which patient's record, and when."""

    list_display = ("at", "actor", "actor_role", "action", "entity", "entity_id", "patient_id", "via", "summary")
    list_filter = ("action", "entity", "actor_role", "via")
    search_fields = ("patient_id", "entity_id", "actor__username")
    date_hierarchy = "at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: AuditEvent | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: AuditEvent | None = None) -> bool:
        return False
