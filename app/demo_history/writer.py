"""Writing a generated history's rows in bulk, the fastest way each store offers.

PostgreSQL takes a table's rows through ``COPY … FROM STDIN`` (psycopg 3's ``cursor.copy``),
an order of magnitude faster than an ``INSERT`` a row: a year of a 50-site provider (millions of
rows) loads in minutes. SQLite has no COPY; it takes ``executemany`` in chunks, which is quick
there because it runs in process. Both paths store the same values: COPY bypasses SQLAlchemy's
column types, so what they would do is done here (an enum stored as its value, a JSON column
as its JSON text, a column left out as its default).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from enum import Enum
from typing import Any

from sqlalchemy import JSON, Column, Table, insert
from sqlmodel import Session, SQLModel

CHUNK = 5000  # rows an executemany: bounded memory for the statement's parameters


def write_rows(
    session: Session,
    model: type[SQLModel],
    rows: Sequence[Mapping[str, Any]],
    *,
    copy: bool = True,
) -> int:
    """Insert ``rows`` into ``model``'s table within the session's transaction; answers how
    many. The rows are made as the services make them; this only stores them. ``copy``: use
    COPY where the store has it (``False`` inserts everywhere, so a test can compare)."""
    if not rows:
        return 0
    table: Table = model.__table__  # type: ignore[attr-defined]
    connection = session.connection()
    if copy and connection.dialect.name == "postgresql":
        _copy(connection.connection.driver_connection, table, rows)
    else:
        for start in range(0, len(rows), CHUNK):
            connection.execute(insert(table), list(rows[start : start + CHUNK]))
    return len(rows)


def _copy(driver_connection: Any, table: Table, rows: Iterable[Mapping[str, Any]]) -> None:
    """``COPY`` every column of the table, each row's value as its column would bind it."""
    columns = list(table.columns)
    names = ", ".join(f'"{column.name}"' for column in columns)
    with (
        driver_connection.cursor() as cursor,
        cursor.copy(f'COPY "{table.name}" ({names}) FROM STDIN') as copy,
    ):
        for row in rows:
            copy.write_row([_value(column, row) for column in columns])


def _value(column: Column[Any], row: Mapping[str, Any]) -> Any:
    value = row[column.name] if column.name in row else _default(column)
    if value is None:
        return None
    if isinstance(column.type, JSON):
        return json.dumps(value)
    if isinstance(value, Enum):
        return value.value
    return value


def _default(column: Column[Any]) -> Any:
    """What ``INSERT`` would store for a column the row leaves out: its Python-side default."""
    default = column.default
    if default is None:
        return None
    if default.is_callable:
        return default.arg(None)  # type: ignore[attr-defined]
    if default.is_scalar:
        return default.arg  # type: ignore[attr-defined]
    return None
