"""The sex constraint without "unknown" (0004 moved those rows), and 0002's name indexes again.

On SQLite, Django applies 0003's field changes and this constraint by rebuilding the table,
which drops indexes it does not know about: the NOCASE name indexes that 0002 made by hand.
They are made again here (a later migration that rebuilds this table must do the same).
"""

from importlib import import_module

from django.db import migrations, models

name_indexes = import_module("acupath.patients.migrations.0002_name_prefix_indexes")


def recreate(apps, schema_editor):
    for statement in name_indexes.INDEXES.get(schema_editor.connection.vendor, []):
        schema_editor.execute(statement.replace("CREATE INDEX", "CREATE INDEX IF NOT EXISTS"))


class Migration(migrations.Migration):
    dependencies = [("patients", "0004_sex_not_stated_and_duplicate_keys")]

    operations = [
        migrations.AddConstraint(
            model_name="patient",
            constraint=models.CheckConstraint(
                condition=models.Q(("sex__in", ["female", "male", "other", "not_stated"])), name="patient_sex_valid"
            ),
        ),
        migrations.RunPython(recreate, migrations.RunPython.noop),
    ]
