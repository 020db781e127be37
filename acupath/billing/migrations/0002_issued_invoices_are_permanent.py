"""An issued invoice and its lines never change: the database refuses it, whatever the code does.

On SQLite, as for the audit log (core 0002), DELETE is left to the services: Django's test flush
empties tables with DELETE there (PostgreSQL's TRUNCATE fires no row trigger).

Only the patient may change on an issued invoice, because a patient merge moves every row that
points at the patient (decisions.md 16); every figure, the number and the status stay as issued.
"""

from typing import Any

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor

FIXED = ["status", "currency", "net", "tax", "total", "number", "financial_year", "serial", "issued_on", "clinic_id"]
MESSAGE = "an issued invoice cannot be changed: issue a credit note"

PG_FORWARD = f"""
CREATE FUNCTION billing_invoice_permanent() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    IF OLD.status = 'issued' THEN RAISE EXCEPTION '{MESSAGE}'; END IF;
    RETURN OLD;
  END IF;
  IF OLD.status = 'issued' AND ({" OR ".join(f"NEW.{c} IS DISTINCT FROM OLD.{c}" for c in FIXED)}) THEN
    RAISE EXCEPTION '{MESSAGE}';
  END IF;
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER billing_invoice_permanent BEFORE UPDATE OR DELETE ON billing_invoice
  FOR EACH ROW EXECUTE FUNCTION billing_invoice_permanent();
CREATE FUNCTION billing_invoiceline_permanent() RETURNS trigger AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM billing_invoice WHERE status = 'issued'
             AND id IN (OLD.invoice_id, NEW.invoice_id)) THEN
    RAISE EXCEPTION '{MESSAGE}';
  END IF;
  RETURN COALESCE(NEW, OLD);
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER billing_invoiceline_permanent BEFORE UPDATE OR DELETE ON billing_invoiceline
  FOR EACH ROW EXECUTE FUNCTION billing_invoiceline_permanent();
CREATE TRIGGER billing_invoiceline_no_insert BEFORE INSERT ON billing_invoiceline
  FOR EACH ROW EXECUTE FUNCTION billing_invoiceline_permanent();
"""
PG_BACKWARD = """
DROP TRIGGER IF EXISTS billing_invoiceline_no_insert ON billing_invoiceline;
DROP TRIGGER IF EXISTS billing_invoiceline_permanent ON billing_invoiceline;
DROP FUNCTION IF EXISTS billing_invoiceline_permanent();
DROP TRIGGER IF EXISTS billing_invoice_permanent ON billing_invoice;
DROP FUNCTION IF EXISTS billing_invoice_permanent();
"""
_LINE_OF_ISSUED = "(SELECT status FROM billing_invoice WHERE id = {}.invoice_id) = 'issued'"
SQLITE_FORWARD = [
    f"""CREATE TRIGGER billing_invoice_no_update BEFORE UPDATE ON billing_invoice
    WHEN OLD.status = 'issued' AND ({" OR ".join(f"NEW.{c} IS NOT OLD.{c}" for c in FIXED)})
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;""",
    f"""CREATE TRIGGER billing_invoiceline_no_update BEFORE UPDATE ON billing_invoiceline
    WHEN {_LINE_OF_ISSUED.format("OLD")} OR {_LINE_OF_ISSUED.format("NEW")}
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;""",
    f"""CREATE TRIGGER billing_invoiceline_no_insert BEFORE INSERT ON billing_invoiceline
    WHEN {_LINE_OF_ISSUED.format("NEW")} BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;""",
]
SQLITE_BACKWARD = [
    f"DROP TRIGGER IF EXISTS {name};"
    for name in (
        "billing_invoice_no_update",
        "billing_invoiceline_no_update",
        "billing_invoiceline_no_insert",
    )
]


def forward(apps: Any, schema_editor: BaseDatabaseSchemaEditor) -> None:
    statements = [PG_FORWARD] if schema_editor.connection.vendor == "postgresql" else SQLITE_FORWARD
    for sql in statements:
        schema_editor.execute(sql)


def backward(apps: Any, schema_editor: BaseDatabaseSchemaEditor) -> None:
    statements = [PG_BACKWARD] if schema_editor.connection.vendor == "postgresql" else SQLITE_BACKWARD
    for sql in statements:
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("billing", "0001_initial")]
    operations = [migrations.RunPython(forward, backward)]
