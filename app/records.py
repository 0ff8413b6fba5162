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
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from pydantic import BaseModel
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, SQLModel

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
        raise Conflict(
            "A different record was already saved with this id. Nothing was changed; "
            "save it again as a new record."
        )
    return Saved(record=existing, created=False)
