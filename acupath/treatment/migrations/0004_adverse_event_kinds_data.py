"""Move recorded adverse events onto the full record's codes.

Old kinds map to their new, narrower names (bleeding or bruising is the surveys' "bleeding or
haematoma"; "pain" was pain at the needle site); syncope, forgotten needle and other keep theirs.
An old "other" with no description says so, since "other" must now be described. Seriousness,
causality and outcome were never asked: the rows keep the defaults (not serious, unassessable,
unknown), which say exactly that rather than guess.
"""

from django.db import migrations

FORWARD = {"bleeding_bruising": "bleeding_haematoma", "pain": "needle_site_pain"}
BACKWARD = {new: old for old, new in FORWARD.items()}
OLD_KINDS = {"bleeding_bruising", "syncope", "pain", "forgotten_needle", "other"}
UNDESCRIBED = "Not described when recorded (before the full adverse-event record)."


def forward(apps, schema_editor):
    event = apps.get_model("treatment", "AdverseEvent")
    for old, new in FORWARD.items():
        event.objects.filter(kind=old).update(kind=new)
    event.objects.filter(kind="other", description="").update(description=UNDESCRIBED)


def backward(apps, schema_editor):
    event = apps.get_model("treatment", "AdverseEvent")
    for new, old in BACKWARD.items():
        event.objects.filter(kind=new).update(kind=old)
    # Kinds the old list did not have become "other", keeping their code in the description.
    for row in event.objects.exclude(kind__in=OLD_KINDS).only("id", "kind", "description"):
        row.description = f"[{row.kind}] {row.description}".strip()
        row.kind = "other"
        row.save(update_fields=["kind", "description"])


class Migration(migrations.Migration):
    dependencies = [
        ("treatment", "0003_adverse_event_full_record"),
    ]

    operations = [migrations.RunPython(forward, backward)]
