"""Records made at the point of care are created exactly once, by one function: ``insert_once``.

Every capture carries a UUID made where it was first written (the phone's outbox, or a hidden
field in a server-rendered form) and that UUID is the record's primary key. Some records are
also unique by what they are about (one handover per shift change, one attendance per person at
a handover, one acknowledgement per person). The store's own conflict clause
(``INSERT … ON CONFLICT DO NOTHING``, on SQLite and PostgreSQL alike), not a check-then-insert,
stops a retry or a concurrent request from making a second row; what is stored is then compared
with what was sent:

- same id, same content: the record already there (a retry);
- same id, other content: a conflict, because two different things must never share an id;
- another id, same natural key: the record already there for that key (the caller decides
  what that means: the same person's attendance, or the handover a colleague started first).

A record the actor may not see (another site's, or another handover's) is never "already
there" for them: its id is treated as unknown, so every check runs as for a new record, and
only a request the checks accept meets the taken id, as the same conflict as any other.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from pydantic import BaseModel
from sqlalchemy import Table, and_, select
from sqlmodel import Session, SQLModel

from app.db import insert_on_conflict
from app.errors import Conflict, DomainError

Record = TypeVar("Record")
Model = TypeVar("Model", bound=SQLModel)
Row = dict[str, Any]


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
class Stored(Generic[Record]):
    """What saving a capture answers: the record as stored, and whether this request made it."""

    record: Record
    created: bool


@dataclass(frozen=True)
class Capture:
    """One record sent to be saved once.

    ``id`` is the client's id (``None`` for a record known only by its natural key); ``same``
    holds the columns a stored record must match to be this record again (its content hash,
    and what it belongs to). ``make_row`` checks the rules and makes the row to insert, or
    raises the ``DomainError`` that refuses it; it runs only when the record is not stored yet,
    so a retry is answered as saved even when the rules would refuse it now.
    """

    id: uuid.UUID | None
    make_row: Callable[[], Row]
    same: Mapping[str, Any] = field(default_factory=dict)


def insert_once(
    session: Session,
    model: type[SQLModel],
    captures: Sequence[Capture],
    *,
    natural_key: tuple[str, ...] = (),
    visible_sites: Collection[uuid.UUID] | None = None,
) -> list[Stored[Row] | DomainError]:
    """Save each capture once, answering each on its own, in the order sent.

    One query finds the records already stored under the ids sent; the others are checked
    (``make_row``) and inserted in one statement with ``ON CONFLICT DO NOTHING``; a row the
    store skipped (an id or ``natural_key`` taken meanwhile by a concurrent request, or earlier
    in the same batch) is answered from what is stored. ``visible_sites`` limits which stored
    records count as the actor's own (by their ``site_id``).
    """
    table: Table = model.__table__  # type: ignore[attr-defined]
    earlier = _stored_by_id(session, table, {c.id for c in captures if c.id is not None})
    outcomes: list[Stored[Row] | DomainError | None] = []
    rows: dict[int, Row] = {}
    for capture in captures:
        stored = earlier.get(capture.id) if capture.id is not None else None
        if stored is not None and _is_the_same(stored, capture, visible_sites):
            outcomes.append(Stored(record=stored, created=False))
            continue
        try:
            rows[len(outcomes)] = capture.make_row()
        except DomainError as refused:
            outcomes.append(refused)
            continue
        outcomes.append(None)
    inserted = _insert_new(session, table, list(rows.values()))
    for index, row in rows.items():
        if row["id"] in inserted:
            inserted.discard(row["id"])  # a second row of the batch with this id was skipped
            outcomes[index] = Stored(record=row, created=True)
        else:
            outcomes[index] = _answer_skipped(
                session, table, captures[index], row, natural_key, visible_sites
            )
    return [outcome for outcome in outcomes if outcome is not None]


def insert_record_once(
    session: Session,
    model: type[Model],
    capture: Capture,
    *,
    natural_key: tuple[str, ...] = (),
    visible_sites: Collection[uuid.UUID] | None = None,
) -> Stored[Model]:
    """``insert_once`` for a single record: the record as stored, or its refusal raised."""
    [outcome] = insert_once(
        session, model, [capture], natural_key=natural_key, visible_sites=visible_sites
    )
    if isinstance(outcome, DomainError):
        raise outcome
    record = session.get_one(model, outcome.record["id"])
    return Stored(record=record, created=outcome.created)


def _insert_new(session: Session, table: Table, rows: list[Row]) -> set[uuid.UUID]:
    """Insert the rows in one statement, skipping any whose id or natural key is taken; answers
    the ids inserted."""
    if not rows:
        return set()
    statement = insert_on_conflict(session, table).on_conflict_do_nothing().returning(table.c.id)
    return set(session.connection().execute(statement, rows).scalars())


def _stored_by_id(session: Session, table: Table, ids: Collection[uuid.UUID]) -> dict[Any, Row]:
    if not ids:
        return {}
    found = session.connection().execute(select(table).where(table.c.id.in_(ids)))
    return {row.id: dict(row._mapping) for row in found}


def _answer_skipped(
    session: Session,
    table: Table,
    capture: Capture,
    row: Row,
    natural_key: tuple[str, ...],
    visible_sites: Collection[uuid.UUID] | None,
) -> Stored[Row] | DomainError:
    """A row the store did not insert: its id or its natural key was taken."""
    by_id = _stored_by_id(session, table, {row["id"]}).get(row["id"])
    if by_id is not None:
        if _is_the_same(by_id, capture, visible_sites):
            return Stored(record=by_id, created=False)
        return taken_id()
    if natural_key:
        key = and_(*(table.c[name] == row[name] for name in natural_key))
        found = session.connection().execute(select(table).where(key)).first()
        if found is not None:
            return Stored(record=dict(found._mapping), created=False)
    raise RuntimeError(f"{table.name}: a row was skipped but nothing stored takes its place")


def _is_the_same(
    stored: Row, capture: Capture, visible_sites: Collection[uuid.UUID] | None
) -> bool:
    if visible_sites is not None and stored["site_id"] not in visible_sites:
        return False
    return all(stored[name] == value for name, value in capture.same.items())


def taken_id() -> Conflict:
    """The answer for an id that holds a different record, whoever's and wherever it is.

    The record under that id may be the actor's own (sent again with other content) or one they
    may not see (another site's). The answer is the same for both and says nothing of where or
    whose it is: answering "created" would lose the record the client sent, and any other answer
    would tell the two apart. The checks of a new record run before this answer, so a request
    refused for its scope or content gets the same refusal whether or not the id is taken.
    """
    return Conflict(
        "A different record was already saved with this id. Nothing was changed; "
        "save it again as a new record."
    )
