"""Indexes that let a name search by its first letters, and the name-ordered list, read an index.

Each database needs its own kind, so this is written per vendor: SQLite's LIKE reads an index
only on a column kept in NOCASE order; PostgreSQL's LIKE on lower(name) reads an index only
with text_pattern_ops, whatever the database's collation.
"""

from django.db import migrations

INDEXES = {
    "sqlite": [
        "CREATE INDEX patient_family_nocase ON patients_patient (family_name COLLATE NOCASE, given_name COLLATE NOCASE)",
        "CREATE INDEX patient_given_nocase ON patients_patient (given_name COLLATE NOCASE)",
    ],
    "postgresql": [
        "CREATE INDEX patient_family_prefix ON patients_patient (lower(family_name) text_pattern_ops)",
        "CREATE INDEX patient_given_prefix ON patients_patient (lower(given_name) text_pattern_ops)",
    ],
}
NAMES = ("patient_family_nocase", "patient_given_nocase", "patient_family_prefix", "patient_given_prefix")


def create(apps, schema_editor):
    for statement in INDEXES.get(schema_editor.connection.vendor, []):
        schema_editor.execute(statement)


def drop(apps, schema_editor):
    for name in NAMES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("patients", "0001_initial")]

    operations = [migrations.RunPython(create, drop)]
