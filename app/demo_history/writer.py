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
from collections.abc import Callable, Iterable, Mapping, Sequence
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
    columns = [(column.name, _converter(column), _default(column)) for column in table.columns]
    names = ", ".join(f'"{name}"' for name, _convert, _missing in columns)
    with (
        driver_connection.cursor() as cursor,
        cursor.copy(f'COPY "{table.name}" ({names}) FROM STDIN') as copy,
    ):
        for row in rows:
            copy.write_row(
                [
                    convert(row[name]) if name in row else missing()
                    for name, convert, missing in columns
                ]
            )


def _converter(column: Column[Any]) -> Callable[[Any], Any]:
    """How a column's value is written: JSON as its text, an enum as its value (what the
    column's SQLAlchemy type does on INSERT); the rest as psycopg dumps it."""
    if isinstance(column.type, JSON):
        return lambda value: None if value is None else json.dumps(value)
    return lambda value: value.value if isinstance(value, Enum) else value


def _default(column: Column[Any]) -> Callable[[], Any]:
    """What ``INSERT`` would store for a column the row leaves out: its Python-side default
    (made anew for each row, as a list or a new id is), written as the column writes it."""
    default, convert = column.default, _converter(column)
    if default is not None and default.is_callable:
        make = default.arg  # type: ignore[attr-defined]
        return lambda: convert(make(None))
    if default is not None and default.is_scalar:
        value = convert(default.arg)  # type: ignore[attr-defined]
        return lambda: value
    return lambda: None
