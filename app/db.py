"""The database engine and the per-request session.

SQLite is the embedded default (WAL, ``synchronous=FULL``, foreign keys on); PostgreSQL is the
shared store. Transactions: one per request, ended here. A request that may write commits once
its route has returned (before the answer is sent, so a failed commit is an error answer, never
a lost write behind a 201 or a 303); a route that raises keeps nothing. Services add and flush,
never commit; routes never touch the session (``tests/test_layering.py``).
"""

from __future__ import annotations

import uuid
from collections.abc import Collection, Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, TypeVar

from fastapi import Depends, Request
from sqlalchemy import ColumnElement, Engine, Table, create_engine, event, func
from sqlalchemy import Enum as SAEnum
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import make_url
from sqlmodel import Session, SQLModel, col, select

from app.errors import DomainError

# Named constraints, so migrations can alter them on SQLite and PostgreSQL alike. Set here, before
# any table is declared, because SQLAlchemy names a constraint when it joins its table.
SQLModel.metadata.naming_convention = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def make_engine(database_url: str) -> Engine:
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        if url.database and url.database != ":memory:":
            Path(url.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(
            url, connect_args={"check_same_thread": False, "timeout": 30}, hide_parameters=True
        )
        event.listen(engine, "connect", _sqlite_connect)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    # hide_parameters: a failed statement is logged without the personal data it carried.
    return create_engine(
        url, pool_pre_ping=True, pool_size=10, max_overflow=20, hide_parameters=True
    )


def _sqlite_connect(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
    # Let SQLAlchemy emit BEGIN itself (below), so savepoints and BEGIN IMMEDIATE work.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def _sqlite_begin(connection) -> None:  # type: ignore[no-untyped-def]
    """A request that writes takes SQLite's write lock when it begins (waiting its turn), rather
    than failing with "database is locked" when a read turns into a write mid-transaction."""
    if connection.get_execution_options().get(WRITE_OPTION):
        connection.exec_driver_sql("BEGIN IMMEDIATE")
    else:
        connection.exec_driver_sql("BEGIN")


WRITE_OPTION = "shift_companion_writes"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def get_session(request: Request) -> Iterator[Session]:
    engine: Engine = request.app.state.engine
    writes = request.method not in SAFE_METHODS
    if writes:
        engine = engine.execution_options(**{WRITE_OPTION: True})
    with Session(engine, expire_on_commit=False) as session:
        try:
            yield session
        except DomainError as refusal:
            if refusal.keeps_writes:
                session.commit()
            raise
        if writes:
            session.commit()


# scope="function": the commit above runs when the route returns, before the answer is sent.
SessionDep = Annotated[Session, Depends(get_session, scope="function")]


def begin_write(session: Session) -> None:
    """Begin the session's next transaction as a write, even in a GET: on SQLite it takes the
    write lock at BEGIN, waiting its turn under the busy timeout."""
    session.connection(execution_options={WRITE_OPTION: True})


@contextmanager
def write_apart(session: Session) -> Iterator[None]:
    """A write of its own inside a request that otherwise only reads (a GET): what is open is
    committed first, the write begins as one (see ``begin_write``) and is committed at the
    end, so it is kept whatever the request does next."""
    session.commit()
    begin_write(session)
    yield
    session.commit()


def insert_on_conflict(session: Session, table: Table) -> postgresql.Insert | sqlite.Insert:
    """An INSERT in the store's own dialect, for its ``ON CONFLICT`` (the same on both)."""
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    return dialect.insert(table)


UNIX_EPOCH_JULIAN_DAY = 2440587.5


def epoch_seconds(session: Session, column: ColumnElement[Any]) -> ColumnElement[float]:
    """A stored time as seconds since 1970, in the store's own SQL: the two dialects share no
    way to add a row's number of seconds to its time, but both can compare numbers."""
    if session.get_bind().dialect.name == "postgresql":
        return func.extract("epoch", column)
    return (func.julianday(column) - UNIX_EPOCH_JULIAN_DAY) * 86400


def text_enum(enum_cls: type[StrEnum], length: int = 20) -> SAEnum:
    """Store an enum as its plain value in a VARCHAR, the same on SQLite and PostgreSQL, so
    adding a value later is a code change, not a schema change."""
    return SAEnum(
        enum_cls,
        native_enum=False,
        create_constraint=False,
        length=length,
        values_callable=lambda members: [member.value for member in members],
        validate_strings=True,
    )


Row = TypeVar("Row", bound=SQLModel)


def by_id(session: Session, model: type[Row], ids: Collection[uuid.UUID]) -> dict[uuid.UUID, Row]:
    """The rows of ``model`` with these ids, in one query; absent ids are simply not there."""
    if not ids:
        return {}
    table: Any = model
    return {row.id: row for row in session.exec(select(table).where(col(table.id).in_(ids)))}
