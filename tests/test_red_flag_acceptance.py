"""Issue 4 acceptance: a consultation with saddle anaesthesia blocks planning and shows the
same-day referral alert, in the API and on the patient page, until a practitioner decides.

It lives outside the apps because it crosses them (intake, planning, chart) the way a user does.
"""

import pytest

from acupath.core.errors import Conflict
from acupath.intake.models import Consultation
from acupath.planning.services import PlanInput, PlanPointInput, plan_save
from conftest import bearer

pytestmark = pytest.mark.django_db

CONSULTATION = {
    "kind": "initial",
    "causes": ["disc_spinal", "sciatica"],
    "onset_date": "2026-01-05",
    "region": "lumbar",
    "leg_pain": "below_knee",
    "pain_now": 8,
    "red_flags": {"saddle_anaesthesia": True, "bladder_dysfunction": False},
}


def test_saddle_anaesthesia_blocks_planning_and_says_urgent_referral_same_day(
    reference, api, client, practitioner, patient
):
    headers = bearer(practitioner.user)

    # The API answers the POST with the alert.
    response = api.client.post(
        f"/api/v1/patients/{patient.public_id}/consultations", CONSULTATION, content_type="application/json", **headers
    )
    assert response.status_code == 201
    body = response.json()
    [alert] = body["alerts"]
    assert (alert["flag"], alert["urgency"]) == ("saddle_anaesthesia", "emergency")
    assert "urgent referral, same day" in alert["action"].lower()
    assert body["open_red_flags"] == ["saddle_anaesthesia"]

    # Planning is blocked.
    consultation = Consultation.objects.get(public_id=body["id"])
    plan = PlanInput(points=(PlanPointInput("BL23", "both"),))
    with pytest.raises(Conflict, match="saddle_anaesthesia"):
        plan_save(actor=practitioner.user, patient=patient, consultation=consultation, data=plan)

    # The patient page shows the alert in words no one can miss.
    client.force_login(practitioner.user)
    page = client.get(f"/patients/{patient.public_id}/").content.decode()
    assert "RED FLAG: Urgent referral, same day" in page
    assert 'class="alert emergency"' in page

    # The practitioner records a decision through the API; planning opens and the alert goes.
    decided = api.client.post(
        f"/api/v1/consultations/{body['id']}/red-flag-decisions",
        {"flag": "saddle_anaesthesia", "decision": "refer_urgent", "reason": "Sent to the emergency department."},
        content_type="application/json",
        **headers,
    )
    assert decided.status_code == 201
    assert decided.json()["open_red_flags"] == []
    assert plan_save(actor=practitioner.user, patient=patient, consultation=consultation, data=plan).version == 1
    assert "RED FLAG" not in client.get(f"/patients/{patient.public_id}/").content.decode()
