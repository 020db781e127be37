"""Fast bulk inserts for the synthetic clinic: plain rows, explicit ids, no model instances.

Django's bulk_create builds a model instance per row and prepares every field of it; at a
hundred thousand patients (millions of rows) that costs far more than the database work.
Here each table's columns, defaults and value converters are worked out once, ids are
allocated by the writer (the seed owns an empty database), and rows go to the driver's
executemany.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.core.management.color import no_style
from django.db import connection, models
from django.utils import timezone

Converter = Callable[[Any], Any]
_MISSING = object()


def _sqlite_datetime(value: dt.datetime) -> str:
    # How Django stores an aware datetime in SQLite: naive UTC in ISO form.
    return value.astimezone(dt.UTC).replace(tzinfo=None).isoformat(sep=" ")


def _converter(field: models.Field[Any, Any]) -> Converter | None:
    """How to hand this field's Python value to the driver (None: as it is)."""
    sqlite = connection.vendor == "sqlite"
    if isinstance(field, models.DateTimeField):
        return _sqlite_datetime if sqlite else None
    if isinstance(field, models.UUIDField):
        return (lambda value: value.hex) if sqlite else None
    if isinstance(field, models.JSONField) and sqlite:
        return json.dumps
    if isinstance(field, models.JSONField | models.DecimalField):
        return lambda value: field.get_db_prep_save(value, connection)
    return None


@dataclass(frozen=True)
class _Column:
    attname: str
    convert: Converter | None
    default: Any  # a constant, or _MISSING when `factory` makes one per row
    factory: Callable[[], Any] | None
    prepared: Any = _MISSING  # the constant default, converted once


class BulkWriter:
    def __init__(self) -> None:
        self.now = timezone.now()
        self._next: dict[type[models.Model], int] = {}
        self._plans: dict[type[models.Model], tuple[str, list[_Column]]] = {}

    def ids(self, model: type[models.Model], count: int) -> range:
        """Reserve `count` primary keys of `model` (continuing after what is already there)."""
        if model not in self._next:
            top = model._default_manager.aggregate(top=models.Max("pk"))["top"]
            self._next[model] = (top or 0) + 1
        start = self._next[model]
        self._next[model] = start + count
        return range(start, start + count)

    def _column(self, field: models.Field[Any, Any]) -> _Column:
        if isinstance(field, models.DateTimeField) and (field.auto_now or field.auto_now_add):
            default: Any = self.now
        elif field.has_default() and callable(field.default):
            return _Column(field.attname, _converter(field), _MISSING, field.default)
        else:
            default = field.get_default()
        convert = _converter(field)
        prepared = convert(default) if convert is not None and default is not None else default
        return _Column(field.attname, convert, default, None, prepared)

    def _plan(self, model: type[models.Model]) -> tuple[str, list[_Column]]:
        if model not in self._plans:
            fields = model._meta.concrete_fields
            table = connection.ops.quote_name(model._meta.db_table)
            names = ", ".join(connection.ops.quote_name(f.column) for f in fields)
            # Names come from the model's own metadata, quoted by the backend; values are parameters.
            if connection.vendor == "postgresql":
                sql = f"COPY {table} ({names}) FROM STDIN"
            else:
                sql = f"INSERT INTO {table} ({names}) VALUES ({', '.join(['%s'] * len(fields))})"
            self._plans[model] = (sql, [self._column(f) for f in fields])
        return self._plans[model]

    def insert(self, model: type[models.Model], rows: Iterable[Mapping[str, Any]]) -> int:
        sql, columns = self._plan(model)
        values = []
        for row in rows:
            record = []
            for c in columns:
                if c.attname not in row and c.prepared is not _MISSING:
                    record.append(c.prepared)  # most columns of most rows: the default as it is
                    continue
                value = row.get(c.attname, _MISSING)
                if value is _MISSING:
                    value = c.factory() if c.factory else None
                record.append(c.convert(value) if c.convert is not None and value is not None else value)
            values.append(record)
        if values:
            with connection.cursor() as cursor:
                if connection.vendor == "postgresql":
                    # COPY streams the rows in one command: several times faster than executemany.
                    with cursor.cursor.copy(sql) as copy:
                        for record in values:
                            copy.write_row(record)
                else:
                    cursor.executemany(sql, values)
        return len(values)

    def finish(self) -> None:
        """Move PostgreSQL's id sequences past the ids this writer handed out."""
        statements = connection.ops.sequence_reset_sql(no_style(), list(self._next))
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)
