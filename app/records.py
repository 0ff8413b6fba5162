"""Records made at the point of care are created exactly once.

Every capture carries a UUID made where it was first written (the phone's outbox, or a hidden
field in a server-rendered form) and that UUID is the record's primary key: the database's
unique constraint, not a check-then-insert, stops a retry from making a second row. The same id
with the same content answers with the record already there; the same id with other content is
a conflict, because two different things must never share an id.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from pydantic import BaseModel
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, SQLModel, col, insert, select

from app.errors import Conflict

Record = TypeVar("Record", bound=SQLModel)


def fingerprint(content: BaseModel, *, author_id: uuid.UUID) -> str:
    """A stable hash of what the client sent and who sent it, to tell a retry from a different
    record (or from someone else's record that happens to carry the same id)."""
    canonical = json.dumps(
        {"author": str(author_id), "content": content.model_dump(mode="json")},
        sort_keys=True,
        separators=(",", ":"),
    )
    return hashlib.sha256(canonical.encode()).hexdigest()


@dataclass(frozen=True)
class Saved(Generic[Record]):
    record: Record
    created: bool


def already_saved(
    session: Session, model: type[Record], record_id: uuid.UUID, *, content_hash: str
) -> Saved[Record] | None:
    """The record saved earlier under this id, if any (a conflict if its content differs).

    Services ask this before checking their rules: a retry of something already saved answers
    "already saved" even when the rules would refuse it now (the person has moved out since,
    or the note is now more than a month old).
    """
    existing = session.get(model, record_id)
    if existing is None:
        return None
    return _same_or_conflict(existing, content_hash)


@dataclass(frozen=True)
class Written:
    """A batch write's answer for one record: its id, and whether this request created it."""

    id: uuid.UUID
    created: bool


def saved_hashes(
    session: Session, model: type[SQLModel], record_ids: Collection[uuid.UUID]
) -> dict[uuid.UUID, str]:
    """The content hash of each record already saved under one of these ids, in one query."""
    table: Any = model
    query = select(table.id, table.content_hash).where(col(table.id).in_(record_ids))
    return dict(session.exec(query).all()) if record_ids else {}


def written_before(
    record_id: uuid.UUID, saved_hash: str | None, content_hash: str
) -> Written | Conflict | None:
    """``None`` when nothing was saved under the id; else "already saved" or a conflict."""
    if saved_hash is None:
        return None
    return Written(id=record_id, created=False) if saved_hash == content_hash else _conflict()


def insert_rows_once(
    session: Session, model: type[SQLModel], rows: Sequence[dict[str, Any]]
) -> list[Written | Conflict]:
    """Insert new rows (each with its client-made ``id`` and ``content_hash``) in one statement.

    When another request took one of their ids after we looked (possible on PostgreSQL, where
    writers do not queue as they do on SQLite), the rows go in one at a time instead, so that
    each is answered on its own.
    """
    if not rows:
        return []
    try:
        with session.begin_nested():
            session.connection().execute(insert(model.__table__), rows)  # type: ignore[attr-defined]
    except IntegrityError:
        return [_insert_row_once(session, model, row) for row in rows]
    return [Written(id=row["id"], created=True) for row in rows]


def _insert_row_once(
    session: Session, model: type[SQLModel], row: dict[str, Any]
) -> Written | Conflict:
    try:
        with session.begin_nested():
            session.connection().execute(insert(model.__table__), [row])  # type: ignore[attr-defined]
    except IntegrityError:
        earlier = written_before(
            row["id"], saved_hashes(session, model, [row["id"]]).get(row["id"]), row["content_hash"]
        )
        if earlier is None:
            raise
        return earlier
    return Written(id=row["id"], created=True)


def insert_once(session: Session, record: Record, *, content_hash: str) -> Saved[Record]:
    """Insert ``record`` (whose ``id`` came from the client) unless that id is already taken.

    The insert runs in a savepoint: when the id is taken (a retry, or a concurrent request that
    won the race) the unique constraint refuses ours, the savepoint rolls back and we answer
    with the record already there. Services ask ``already_saved`` first, so the common retry
    costs one lookup, not a failed insert.
    """
    model: Any = type(record)
    try:
        with session.begin_nested():
            session.add(record)
            session.flush()
    except IntegrityError:
        existing = session.get(model, record.id, populate_existing=True)  # type: ignore[attr-defined]
        if existing is None:
            raise
        return _same_or_conflict(existing, content_hash)
    return Saved(record=record, created=True)


def _same_or_conflict(existing: Record, content_hash: str) -> Saved[Record]:
    if getattr(existing, "content_hash") != content_hash:  # noqa: B009 - every capture has one
        raise _conflict()
    return Saved(record=existing, created=False)


def _conflict() -> Conflict:
    return Conflict(
        "A different record was already saved with this id. Nothing was changed; "
        "save it again as a new record."
    )
