"""Writing a batch of client-made records when another request got there first."""

from __future__ import annotations

import uuid

from sqlmodel import Session, select

from app.engagement.models import EngagementNote
from app.errors import Conflict
from app.records import Written, insert_rows_once
from tests.support import START, World


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


def test_ids_taken_after_the_lookup_are_answered_one_by_one(session: Session, world: World) -> None:
    """Between looking for earlier records and inserting (PostgreSQL does not queue writers),
    another request saved two of the batch's ids: one with the same content, one without."""
    same = note_row(world, content_hash="same")
    different = note_row(world, content_hash="mine")
    fresh = note_row(world, content_hash="fresh")
    session.add(EngagementNote(**{**same}))
    session.add(EngagementNote(**{**different, "content_hash": "theirs"}))
    session.commit()

    outcomes = insert_rows_once(session, EngagementNote, [same, different, fresh])
    session.commit()

    assert outcomes[0] == Written(id=same["id"], created=False)
    assert isinstance(outcomes[1], Conflict)
    assert outcomes[2] == Written(id=fresh["id"], created=True)
    hashes = dict(session.exec(select(EngagementNote.id, EngagementNote.content_hash)).all())
    assert hashes == {same["id"]: "same", different["id"]: "theirs", fresh["id"]: "fresh"}
