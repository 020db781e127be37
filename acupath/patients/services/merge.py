"""Merging two records of one person, and undoing it while nothing new was added.

The rows to move are found, not listed: every foreign key in every installed model that points
at Patient (consultations, assessments, plans, sessions, appointments, and whatever app is added
later, invoices included) is a linked record. A column that names a patient by a key rather than
a foreign key (a slot claim's "patient:42") is registered by its app with `patient_key_register`,
and moves the same way. The merge record keeps which rows moved, so the reversal moves exactly
those back.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.db import IntegrityError, models, transaction
from django.db.models import Max
from django.utils import timezone

from acupath.core.audit import audit_record
from acupath.core.errors import Conflict, NotFound, ServiceError
from acupath.core.models import AuditAction
from acupath.patients.enums import PatientStatus
from acupath.patients.models import Patient, PatientMerge

Relation = models.ForeignKey[Any, Any]


@dataclass(frozen=True)
class KeyedReference:
    """A column of `model` holding `key(patient)` for the patient a row belongs to."""

    model: type[models.Model]
    field: str
    key: Callable[[Patient], str]

    @property
    def label(self) -> str:
        return f"{self.model._meta.label}.{self.field}"


_KEYED: dict[str, KeyedReference] = {}


def patient_key_register(model: type[models.Model], field: str, key: Callable[[Patient], str]) -> None:
    """Declare (from an AppConfig.ready) a column that names a patient by key, so merges move it too."""
    reference = KeyedReference(model, field, key)
    _KEYED[reference.label] = reference


def linked_relations() -> list[Relation]:
    """Every foreign key (or one-to-one) to Patient, except the patient's own and the merge log's."""
    found: list[Relation] = []
    for model in apps.get_models(include_auto_created=True):
        if model in (Patient, PatientMerge) or model._meta.proxy or not model._meta.managed:
            continue
        found += [
            f
            for f in model._meta.concrete_fields
            if isinstance(f, models.ForeignKey) and f.remote_field.model is Patient
        ]
    return sorted(found, key=_label)


def _label(field: Relation) -> str:
    return f"{field.model._meta.label}.{field.name}"


def _relation(label: str) -> Relation:
    model_label, name = label.rsplit(".", 1)
    field = apps.get_model(model_label)._meta.get_field(name)
    if not isinstance(field, models.ForeignKey):  # labels are written by patient_merge, so a schema change
        raise TypeError(f"{label} is no longer a foreign key to the patient; the merge cannot be reversed")
    return field


def _rows(field: Relation) -> models.QuerySet[Any]:
    return field.model._base_manager.all()


def _move(field: Relation, pks: list[Any], source: Patient, target: Patient) -> int:
    try:
        with transaction.atomic():  # a savepoint: a refused move leaves the outer transaction usable
            return int(_rows(field).filter(pk__in=pks, **{field.name: source}).update(**{field.name: target}))
    except IntegrityError:
        raise Conflict(_clash(str(field.model._meta.verbose_name_plural))) from None


def _move_keyed(ref: KeyedReference, pks: list[Any], source: Patient, target: Patient) -> int:
    try:
        with transaction.atomic():
            rows = ref.model._base_manager.filter(pk__in=pks, **{ref.field: ref.key(source)})
            return int(rows.update(**{ref.field: ref.key(target)}))
    except IntegrityError:
        raise Conflict(_clash(str(ref.model._meta.verbose_name_plural))) from None


def _clash(kind: str) -> str:
    return (
        f"The two records' {kind} cannot be combined: one patient cannot hold both (for example two "
        "approved treatment plans, or two bookings at the same time). Cancel, close or correct one of them "
        "on the record to be merged, then merge."
    )


def _audit(actor: Any, action: AuditAction, merge: PatientMerge, summary: str, via: str) -> None:
    for patient in (merge.survivor, merge.merged):
        audit_record(
            actor=actor,
            action=action,
            entity="patient_merge",
            entity_id=merge.public_id,
            patient_id=patient.public_id,
            summary=summary,
            via=via,
        )


@transaction.atomic
def patient_merge(
    *, actor: Any, survivor: Patient, merged: Patient, reason: str = "", via: str = "web"
) -> PatientMerge:
    """Move every record linked to `merged` onto `survivor`; `merged` stays, marked merged."""
    if survivor.clinic_id != merged.clinic_id:
        raise NotFound("patient")  # another clinic's record is not one this user may name
    if survivor.pk == merged.pk:
        raise ServiceError({"merged": "Choose the other record: a record cannot be merged into itself."})
    survivor, merged = (Patient.objects.select_for_update().get(pk=p.pk) for p in (survivor, merged))
    for patient in (survivor, merged):
        if patient.status == PatientStatus.MERGED:
            raise Conflict(f"{patient.full_name}'s record was already merged into another one.")
    if survivor.user_id and merged.user_id:
        raise Conflict(
            "Both records have a portal login: the patient must keep one. Remove the login of the record "
            "to be merged first, then merge."
        )
    moved: dict[str, list[Any]] = {}
    watermarks: dict[str, Any] = {}
    for field in linked_relations():
        label = _label(field)
        watermarks[label] = _rows(field).aggregate(top=Max("pk"))["top"] or 0
        pks = list(_rows(field).filter(**{field.name: merged}).values_list("pk", flat=True))
        if pks:
            _move(field, pks, merged, survivor)
            moved[label] = pks
    for ref in _KEYED.values():
        watermarks[ref.label] = ref.model._base_manager.aggregate(top=Max("pk"))["top"] or 0
        pks = list(ref.model._base_manager.filter(**{ref.field: ref.key(merged)}).values_list("pk", flat=True))
        if pks:
            _move_keyed(ref, pks, merged, survivor)
            moved[ref.label] = pks
    login_moved = bool(merged.user_id)
    if login_moved:
        survivor.user_id, merged.user_id = merged.user_id, None
    merge = PatientMerge.objects.create(
        survivor=survivor,
        merged=merged,
        merged_status=merged.status,
        reason=reason.strip()[:300],
        moved=moved,
        watermarks=watermarks,
        login_moved=login_moved,
        created_by=actor,
    )
    merged.status, merged.merged_into, merged.updated_by = PatientStatus.MERGED, survivor, actor
    merged.save(update_fields=["status", "merged_into", "user", "updated_by", "updated_at"])
    if login_moved:
        survivor.save(update_fields=["user", "updated_at"])
    _audit(actor, AuditAction.CREATE, merge, f"merged: {merge.moved_count} linked records moved", via)
    return merge


def _added_since(merge: PatientMerge) -> list[str]:
    """Kinds of record linked to the survivor that did not exist when it was merged."""
    added = []
    for field in linked_relations():
        top = merge.watermarks.get(_label(field), 0)
        if _rows(field).filter(**{field.name: merge.survivor_id}, pk__gt=top).exists():
            added.append(str(field.model._meta.verbose_name_plural))
    for ref in _KEYED.values():
        top = merge.watermarks.get(ref.label, 0)
        if ref.model._base_manager.filter(**{ref.field: ref.key(merge.survivor)}, pk__gt=top).exists():
            added.append(str(ref.model._meta.verbose_name_plural))
    return added


@transaction.atomic
def patient_merge_reverse(*, actor: Any, merge: PatientMerge, via: str = "web") -> PatientMerge:
    """Undo a merge: the rows that moved go back and the merged record returns as it was."""
    merge = PatientMerge.objects.select_for_update().select_related("survivor", "merged").get(pk=merge.pk)
    if merge.reversed_at is not None:
        raise Conflict("This merge was already reversed.")
    people = (merge.survivor_id, merge.merged_id)
    later = PatientMerge.objects.filter(pk__gt=merge.pk, reversed_at__isnull=True)
    if later.filter(models.Q(survivor_id__in=people) | models.Q(merged_id__in=people)).exists():
        raise Conflict("A later merge involves these records: reverse that one first.")
    if added := _added_since(merge):
        raise Conflict(
            f"Since the merge, new records were added to {merge.survivor.full_name} ({', '.join(sorted(added))}), "
            "so it can no longer be split exactly. Correct the record by hand instead."
        )
    for label, pks in merge.moved.items():
        ref = _KEYED.get(label)
        back = (
            _move_keyed(ref, pks, merge.survivor, merge.merged)
            if ref is not None
            else _move(_relation(label), pks, merge.survivor, merge.merged)
        )
        if back != len(pks):
            raise Conflict(
                "Some records that moved at the merge have since been moved or removed, so it can no longer "
                "be split exactly. Correct the record by hand instead."
            )
    survivor, merged = merge.survivor, merge.merged
    if merge.login_moved:
        merged.user_id, survivor.user_id = survivor.user_id, None
        survivor.save(update_fields=["user", "updated_at"])
    merged.status, merged.merged_into, merged.updated_by = merge.merged_status, None, actor
    merged.save(update_fields=["status", "merged_into", "user", "updated_by", "updated_at"])
    merge.reversed_at, merge.updated_by = timezone.now(), actor
    merge.save(update_fields=["reversed_at", "updated_by", "updated_at"])
    _audit(actor, AuditAction.UPDATE, merge, "merge reversed", via)
    return merge
