"""Records changed after they were saved tell whoever the change concerns as a new record would:
a note amended to record restrictive practice, a learning focus revised to take in more sites.
Each is told once (and once more when a note they reviewed is changed), never the one who made
the change, and nothing names anybody."""

from __future__ import annotations

import uuid
from datetime import timedelta

from sqlmodel import Session
from starlette.testclient import TestClient

from app.engagement import service as engagement_service
from app.engagement.models import EngagementNote
from app.engagement.schemas import EngagementNoteCreate
from app.inbox.models import Kind
from tests.inbox.helpers import assert_names_nothing_private, pushes, told
from tests.support import START, World, actor_for, sign_in
from tests.theme.helpers import MakeClient, client_for, path, theme_json

KEPT_APART = {
    "restrictive_practice": "kept_apart",
    "restrictive_reason": "Ada hit out at Colin in the lounge",
}


def note_by_carer(session: Session, world: World, **content: str) -> EngagementNote:
    saved = engagement_service.record_engagement_note(
        session,
        actor=actor_for(session, world.carer),
        data=EngagementNoteCreate.model_validate(
            {"id": uuid.uuid4(), "person_id": world.person.id, "level": 2, **content}
        ),
        now=START - timedelta(minutes=5),
    )
    session.commit()
    return saved.record


def amendments(note: EngagementNote) -> str:
    return f"/api/v1/engagement-notes/{note.id}/amendments"


def test_amending_a_note_to_record_restrictive_practice_asks_the_managers_once(
    client: TestClient, session: Session, world: World
) -> None:
    note = note_by_carer(session, world)
    sign_in(client, world.carer)
    form = f"/notes/{note.id}/amend"
    assert client.post(form, data={"level": "3", "reason": "Wrong button"}).status_code == 303
    assert told(session, Kind.restrictive_review) == {}

    added = client.post(form, data={"level": "1", **KEPT_APART, "reason": "Left it out"})
    assert added.status_code == 303
    again = client.post(amendments(note), json={"level": 1, **KEPT_APART, "reason": "Typo"})
    assert again.json()["needs_review"] is True

    by_user = told(session, Kind.restrictive_review)
    assert list(by_user) == [world.manager.id]
    [notification] = by_user[world.manager.id]
    assert notification.title == (
        "Restrictive practice at Rosewood House, early shift, awaits your review"
    )
    assert notification.url == f"/sites/{world.site.id}/notes/to-review"
    assert len(pushes(session, Kind.restrictive_review)) == 1
    assert_names_nothing_private(session)


def test_the_manager_who_amends_a_note_to_record_restrictive_practice_is_not_told(
    client: TestClient, session: Session, world: World
) -> None:
    note = note_by_carer(session, world)
    sign_in(client, world.manager)
    amended = client.post(amendments(note), json={"level": 1, **KEPT_APART, "reason": "Missed"})

    assert amended.json()["needs_review"] is True
    assert told(session, Kind.restrictive_review) == {}


def test_a_note_amended_after_its_review_waits_again_and_tells_the_managers_again_once(
    client: TestClient, make_client, session: Session, world: World
) -> None:  # type: ignore[no-untyped-def]
    note = note_by_carer(session, world, **KEPT_APART)
    manager = make_client()
    sign_in(manager, world.manager)
    review = {"id": str(uuid.uuid4()), "outcome": "justified", "debrief_held": False}
    reviewed = manager.post(f"/api/v1/engagement-notes/{note.id}/review", json=review)
    assert reviewed.status_code == 201
    sign_in(client, world.carer)
    changed = {
        "level": 1,
        **KEPT_APART,
        "restrictive_practice": "environmental",
        "reason": "Misread",
    }
    amended = client.post(amendments(note), json=changed)
    again = client.post(amendments(note), json={**changed, "level": 2, "reason": "Typo"})

    assert amended.json()["needs_review"] is True
    assert again.json()["needs_review"] is True
    waiting = manager.get(f"/sites/{world.site.id}/notes/to-review")
    assert f"/notes/{note.id}" in waiting.text
    by_user = told(session, Kind.restrictive_review)
    assert list(by_user) == [world.manager.id]
    assert sorted(notification.title for notification in by_user[world.manager.id]) == [
        "Restrictive practice at Rosewood House, early shift, awaits your review",
        "Restrictive practice at Rosewood House, early shift, was changed and awaits your "
        "review again",
    ]
    assert len(pushes(session, Kind.restrictive_review)) == 2
    assert_names_nothing_private(session)


def learning_focus_counts(session: Session) -> dict[uuid.UUID, int]:
    """How many "new learning focus" notifications each user has now."""
    return {user: len(rows) for user, rows in told(session, Kind.learning_focus).items()}


def told_since(session: Session, before: dict[uuid.UUID, int]) -> dict[uuid.UUID, int]:
    """Who was told of a new learning focus since ``before``, and how many times."""
    after = learning_focus_counts(session)
    return {user: n - before.get(user, 0) for user, n in after.items() if n != before.get(user, 0)}


def revise_sites(quality: TestClient, theme_id: uuid.UUID | str, *sites: uuid.UUID) -> None:
    answer = quality.put(
        path(quality, "theme_api:update", theme_id=theme_id), json=theme_json([*sites])
    )
    assert answer.status_code == 200, answer.text


def test_a_focus_revised_to_take_in_a_site_tells_the_staff_of_that_site_only(
    make_client: MakeClient, session: Session, world: World
) -> None:
    quality = client_for(make_client, world.quality)
    before = learning_focus_counts(session)
    revise_sites(quality, world.theme.id, world.site.id, world.other_site.id)

    assert told_since(session, before) == {world.outsider.id: 1, world.outsider_manager.id: 1}
    outsiders = told(session, Kind.learning_focus)[world.outsider.id]
    [added] = [n for n in outsiders if n.url == f"/themes/{world.theme.id}"]
    assert added.title == "A new learning focus for Beech Court is ready to read"
    assert_names_nothing_private(session)

    before = learning_focus_counts(session)
    revise_sites(quality, world.theme.id, world.site.id)  # Beech Court removed: nobody is told
    assert told_since(session, before) == {}
    revise_sites(
        quality, world.theme.id, world.site.id, world.other_site.id
    )  # and back: told already
    assert told_since(session, before) == {}


def test_sites_added_to_a_draft_theme_are_told_when_it_becomes_a_focus(
    make_client: MakeClient, session: Session, world: World
) -> None:
    quality = client_for(make_client, world.quality)
    created = quality.post(path(quality, "theme_api:create"), json=theme_json([world.site.id]))
    draft_id = created.json()["id"]
    before = learning_focus_counts(session)
    revise_sites(quality, draft_id, world.site.id, world.other_site.id)
    assert told_since(session, before) == {}

    move = path(quality, "governance_api:theme_move", theme_id=draft_id)
    moved = quality.post(move, json={"to_status": "pilot", "reason": "Try it at both"})
    assert moved.status_code == 201, moved.text
    rosewood = {world.carer.id, world.colleague.id, world.lead.id, world.manager.id}
    beech = {world.outsider.id, world.outsider_manager.id}
    assert told_since(session, before) == dict.fromkeys(rosewood | beech, 1)
