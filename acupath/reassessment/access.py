"""Who may read and record a plan's re-assessment decisions.

A plan is part of the patient's clinical record: a plan the user may not see is not found (404).
Practitioners and the owner record decisions; a patient may read their own but not record one.
"""

import uuid
from typing import Any

from acupath.accounts.permissions import Capability, can
from acupath.core.errors import Forbidden, NotFound
from acupath.patients.access import patients_visible_to
from acupath.planning.models import TreatmentPlan


def access_plan_by_id(user: Any, plan_id: uuid.UUID | str) -> TreatmentPlan:
    """The plan, if the user may see the patient's clinical record; otherwise NotFound."""
    if not can(user, Capability.VIEW_CLINICAL):
        raise NotFound("plan")
    try:
        key = uuid.UUID(str(plan_id))
    except ValueError:
        raise NotFound("plan") from None
    plan = (
        TreatmentPlan.objects.filter(public_id=key, patient__in=patients_visible_to(user))
        .select_related("patient")
        .first()
    )
    if plan is None:
        raise NotFound("plan")
    return plan


def access_plan_for_decision(user: Any, plan_id: uuid.UUID | str) -> TreatmentPlan:
    plan = access_plan_by_id(user, plan_id)
    if not can(user, Capability.EDIT_CLINICAL):
        raise Forbidden("Only practitioners may record a re-assessment decision.")
    return plan
