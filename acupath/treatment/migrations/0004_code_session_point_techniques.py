"""Turn the free-text technique of each needled point into the coded technique list.

Words the clinic used are mapped to codes (even method, reinforcing/tonifying, reducing/
draining, electro, moxa direct or indirect, cupping, bleeding/pricking). Text that names none of
them becomes plain manual needling, and the original words are kept in the point's safety notes,
so nothing recorded is lost. Sessions planned under 10 or over 60 minutes are brought within the
limits the services now enforce (the next migration adds the database check).
"""

import re

from django.db import migrations

# Checked in order; a text may name several (e.g. "even method + warming needle").
_PATTERNS = (
    ("bloodletting", r"blood|bleed|prick|lancet"),
    ("cupping", r"cup"),
    ("moxibustion_direct", r"direct moxa|moxa cone on|scarring|direct moxibustion"),
    ("moxibustion_indirect", r"moxa|moxibustion|warming needle|warm needle"),
    ("electroacupuncture", r"electro|\bea\b|tens"),
    ("reinforcing", r"reinforc|tonif|bu fa"),
    ("reducing", r"reduc|sedat|drain|xie fa"),
    ("even", r"even|neutral|ping bu"),
    ("manual", r"manual|twirl|lift|thrust|rotat|plain"),
)
_OLD_NOTE = "Technique as recorded before coding: "


def codes_for(text: str) -> list[str]:
    words = text.strip().lower()
    if not words:
        return []
    found = [code for code, pattern in _PATTERNS if re.search(pattern, words)]
    if "moxibustion_direct" in found and "moxibustion_indirect" in found and "indirect" not in words:
        found.remove("moxibustion_indirect")
    return found or ["manual"]


def forwards(apps, schema_editor):
    SessionPoint = apps.get_model("treatment", "SessionPoint")
    TreatmentSession = apps.get_model("treatment", "TreatmentSession")
    for point in SessionPoint.objects.exclude(technique="").iterator():
        point.techniques = codes_for(point.technique)
        point.safety_notes = [*point.safety_notes, _OLD_NOTE + point.technique]
        point.save(update_fields=["techniques", "safety_notes"])
    TreatmentSession.objects.filter(planned_minutes__lt=10).update(planned_minutes=10)
    TreatmentSession.objects.filter(planned_minutes__gt=60).update(planned_minutes=60)


def backwards(apps, schema_editor):
    SessionPoint = apps.get_model("treatment", "SessionPoint")
    for point in SessionPoint.objects.exclude(techniques=[]).iterator():
        old = [n[len(_OLD_NOTE) :] for n in point.safety_notes if n.startswith(_OLD_NOTE)]
        point.technique = (old[0] if old else ", ".join(point.techniques))[:80]
        point.safety_notes = [n for n in point.safety_notes if not n.startswith(_OLD_NOTE)]
        point.save(update_fields=["technique", "safety_notes"])


class Migration(migrations.Migration):
    dependencies = [("treatment", "0003_session_point_depth_angle_techniques")]

    operations = [migrations.RunPython(forwards, backwards)]
