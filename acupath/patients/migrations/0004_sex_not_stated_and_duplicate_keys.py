"""Data for 0003: "unknown" sex becomes "prefer not to say"; e-mails lower case; phone keys filled.

There is no longer an "unknown" sex: the register form used to preselect the first choice and
the online form offered "unknown" labelled "Prefer not to say", so that is what those rows mean.
The reverse restores "unknown" and leaves e-mails and phone keys as they are (harmless).
"""

import re

from django.db import migrations
from django.db.models.functions import Lower


def _phone_key(raw):
    digits = re.sub(r"\D", "", raw or "")
    return digits[-10:] if len(digits) >= 6 else ""  # as acupath.patients.domain.duplicates.phone_key


def forward(apps, schema_editor):
    Patient = apps.get_model("patients", "Patient")
    Patient.objects.filter(sex="unknown").update(sex="not_stated")
    Patient.objects.exclude(email="").update(email=Lower("email"))
    rows = Patient.objects.exclude(phone="").only("pk", "phone").iterator(chunk_size=2000)
    batch = []
    for row in rows:
        row.phone_key = _phone_key(row.phone)
        batch.append(row)
        if len(batch) == 2000:
            Patient.objects.bulk_update(batch, ["phone_key"])
            batch = []
    Patient.objects.bulk_update(batch, ["phone_key"])


def backward(apps, schema_editor):
    apps.get_model("patients", "Patient").objects.filter(sex="not_stated").update(sex="unknown")


class Migration(migrations.Migration):
    dependencies = [("patients", "0003_patient_details_and_merges")]

    operations = [migrations.RunPython(forward, backward)]
