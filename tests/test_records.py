"""The one way a capture is saved once: ``insert_once``, for one row or many."""

from __future__ import annotations

import threading
import uuid
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from sqlalchemy import Engine
from sqlmodel import Session, select

from app.auth.models import Role
from app.db import WRITE_OPTION
from app.engagement.models import EngagementNote
from app.errors import Conflict, DomainError, Invalid
from app.handover.models import HandoverAttendance
from app.records import Capture, Stored, insert_once
from tests.support import START, World, make_bare_handover


def note_row(world: World, *, content_hash: str, note_id: uuid.UUID | None = None) -> dict:
    return {
        "id": note_id or uuid.uuid4(),
        "organisation_id": world.organisation.id,
        "site_id": world.site.id,
        "person_id": world.person.id,
        "author_id": world.carer.id,
        "occurred_at": START,
        "recorded_at": START,
        "level": 2,
        "revision": 1,
        "content_hash": content_hash,
        "helped": [],
        "hindered": [],
    }


def capture(row: dict[str, Any]) -> Capture:
    return Capture(id=row["id"], same={"content_hash": row["content_hash"]}, make_row=lambda: row)


def stored_hashes(session: Session) -> dict[uuid.UUID, str]:
    session.expire_all()
    return dict(session.exec(select(EngagementNote.id, EngagementNote.content_hash)).all())


def test_one_row_is_inserted_and_a_retry_is_already_there(session: Session, world: World) -> None:
    row = note_row(world, content_hash="one")
    [first] = insert_once(session, EngagementNote, [capture(row)])
    session.commit()
    [again] = insert_once(session, EngagementNote, [capture(row)])
    session.commit()

    assert [_kind(first), _kind(again)] == ["created", "already there"]
    assert again.record["id"] == row["id"]  # type: ignore[union-attr]
    assert stored_hashes(session) == {row["id"]: "one"}


def test_many_rows_are_answered_each_on_its_own(session: Session, world: World) -> None:
    """Saved before, saved before with other content, refused by the rules, new, and the same
    new id twice in the batch."""
    before = note_row(world, content_hash="before")
    theirs = note_row(world, content_hash="theirs")
    session.add(EngagementNote(**before))
    session.add(EngagementNote(**theirs))
    session.commit()
    new = note_row(world, content_hash="new")

    def refuse() -> dict[str, Any]:
        raise Invalid.one("level", "Choose a level.")

    outcomes = insert_once(
        session,
        EngagementNote,
        [
            capture(before),
            capture({**theirs, "content_hash": "mine"}),
            Capture(id=uuid.uuid4(), make_row=refuse),
            capture(new),
            capture(new),
        ],
    )
    session.commit()

    assert [_kind(outcome) for outcome in outcomes] == [
        "already there",
        "conflict",
        "invalid",
        "created",
        "already there",
    ]
    assert outcomes[1].status_code == 409  # type: ignore[union-attr]
    assert stored_hashes(session) == {
        before["id"]: "before",
        theirs["id"]: "theirs",
        new["id"]: "new",
    }


def test_a_record_outside_the_actors_sites_is_never_already_there(
    session: Session, world: World
) -> None:
    """Even with the same content, another site's record under the id answers as any taken id."""
    row = note_row(world, content_hash="same")
    session.add(EngagementNote(**row))
    session.commit()
    [outcome] = insert_once(
        session, EngagementNote, [capture(row)], visible_sites={world.other_site.id}
    )
    assert isinstance(outcome, Conflict)


def test_a_natural_key_answers_with_the_record_already_there(
    session: Session, world: World
) -> None:
    handover = make_bare_handover(session, site=world.site, lead=world.lead)
    session.commit()

    def attendance() -> Capture:
        row = HandoverAttendance(
            handover_id=handover.id,
            user_id=world.carer.id,
            role=Role.care_worker,
            recorded_at=START,
        ).model_dump()
        return Capture(id=None, make_row=lambda: row)

    [first] = insert_once(session, HandoverAttendance, [attendance()], natural_key=KEY)
    [second] = insert_once(session, HandoverAttendance, [attendance()], natural_key=KEY)
    session.commit()

    assert [_kind(first), _kind(second)] == ["created", "already there"]
    assert second.record["id"] == first.record["id"]  # type: ignore[union-attr]
    assert len(session.exec(select(HandoverAttendance)).all()) == 1


KEY = ("handover_id", "user_id")


def test_the_same_id_sent_at_once_on_two_connections_is_saved_once(
    engine: Engine, world: World
) -> None:
    """Both requests look, find nothing and insert at the same moment: on PostgreSQL the second
    insert waits for the first to commit and is then skipped; on SQLite writers queue."""
    writes = engine.execution_options(**{WRITE_OPTION: True})
    same = note_row(world, content_hash="same")
    clash = note_row(world, content_hash="first")
    barrier = threading.Barrier(2)

    def send(row: dict[str, Any]) -> str:
        with Session(writes) as own:
            barrier.wait()
            [outcome] = insert_once(own, EngagementNote, [capture(row)])
            own.commit()
        return _kind(outcome)

    with ThreadPoolExecutor(max_workers=2) as pool:
        assert sorted(pool.map(send, [same, same])) == ["already there", "created"]
        other = {**clash, "content_hash": "second"}
        assert sorted(pool.map(send, [clash, other])) == ["conflict", "created"]

    with Session(engine) as fresh:
        assert stored_hashes(fresh)[same["id"]] == "same"
        assert len(stored_hashes(fresh)) == 2


def _kind(outcome: Stored[Any] | DomainError) -> str:
    if isinstance(outcome, Stored):
        return "created" if outcome.created else "already there"
    return "conflict" if isinstance(outcome, Conflict) else "invalid"
