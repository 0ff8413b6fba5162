"""The outbox's batch endpoint: every item answered on its own, each record saved exactly once."""

from __future__ import annotations

import uuid
from datetime import timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlmodel import Session, col, func, select
from starlette.testclient import TestClient

from app.audit.models import AuditEvent
from app.engagement.models import EngagementNote, EngagementNoteRevision
from tests.support import START, World, api_sign_in


def note_item(world: World, *, item_id: str | None = None, **payload: object) -> dict[str, object]:
    return {
        "id": item_id or str(uuid.uuid4()),
        "type": "engagement_note",
        "payload": {"person_id": str(world.person.id), "level": 2, **payload},
    }


def note_ids(session: Session) -> set[str]:
    session.rollback()
    return {str(note_id) for note_id in session.exec(select(EngagementNote.id)).all()}


def test_a_batch_answers_each_item_in_order(
    client: TestClient, world: World, session: Session
) -> None:
    api_sign_in(client, world.carer)
    saved = note_item(world)
    client.post("/api/v1/sync", json={"items": [saved]})
    items = [
        note_item(world),
        saved,
        {**saved, "payload": {**saved["payload"], "level": 0}},
        note_item(world, level=9),
        note_item(world, person_id=str(world.other_person.id)),
        {"id": str(uuid.uuid4()), "type": "pizza_order", "payload": {}},
        "not even an object",
        {"id": str(uuid.uuid4()), "type": "engagement_note"},
    ]
    answer = client.post("/api/v1/sync", json={"items": items})
    assert answer.status_code == 200
    results = answer.json()["results"]
    assert [result["status"] for result in results] == [
        "created", "duplicate", "conflict", "invalid", "invalid", "invalid", "invalid", "invalid",
    ]  # fmt: skip
    assert results[3]["errors"][0]["field"] == "level"
    assert results[4]["errors"][0]["field"] == "person_id"
    assert results[5]["errors"][0]["field"] == "type"
    assert results[6]["id"] is None
    assert results[7]["errors"][0]["field"] == "payload"
    assert note_ids(session) == {saved["id"], items[0]["id"]}


def test_an_id_repeated_within_one_batch_is_saved_once(
    client: TestClient, world: World, session: Session
) -> None:
    api_sign_in(client, world.carer)
    note = note_item(world)
    other_content = {**note, "payload": {**note["payload"], "level": 3}}
    results = client.post("/api/v1/sync", json={"items": [note, note, other_content]}).json()
    assert [result["status"] for result in results["results"]] == [
        "created", "duplicate", "conflict",
    ]  # fmt: skip
    assert note_ids(session) == {note["id"]}


def test_runs_of_notes_and_observations_keep_their_order_and_write_their_history(
    client: TestClient, world: World, session: Session
) -> None:
    api_sign_in(client, world.manager)
    notes = [note_item(world) for _ in range(3)]
    observation = {
        "id": str(uuid.uuid4()),
        "type": "observation",
        "payload": {"site_id": str(world.site.id), "theme_id": str(world.theme.id)},
    }
    refused = note_item(world, person_id=str(world.other_person.id))
    items = [notes[0], observation, notes[1], refused, notes[2]]
    results = client.post("/api/v1/sync", json={"items": items}).json()["results"]
    assert [(result["id"], result["status"]) for result in results] == [
        (notes[0]["id"], "created"),
        (observation["id"], "created"),
        (notes[1]["id"], "created"),
        (refused["id"], "invalid"),
        (notes[2]["id"], "created"),
    ]
    saved = {note["id"] for note in notes}
    assert note_ids(session) == saved
    revisions = session.exec(
        select(EngagementNoteRevision.note_id, EngagementNoteRevision.revision)
    )
    assert {(str(note_id), revision) for note_id, revision in revisions} == {
        (note_id, 1) for note_id in saved
    }
    events = session.exec(
        select(AuditEvent.entity_id).where(
            AuditEvent.entity == "engagement_note", AuditEvent.action == "create"
        )
    )
    assert sorted(str(entity_id) for entity_id in events) == sorted(saved)


def test_an_item_the_role_may_not_record_is_forbidden(
    client: TestClient, world: World, session: Session
) -> None:
    api_sign_in(client, world.quality)
    results = client.post("/api/v1/sync", json={"items": [note_item(world)]}).json()["results"]
    assert results[0]["status"] == "forbidden"
    assert note_ids(session) == set()


def test_an_observation_syncs_through_the_same_rules(
    client: TestClient, world: World, session: Session
) -> None:
    api_sign_in(client, world.manager)
    item = {
        "id": str(uuid.uuid4()),
        "type": "observation",
        "payload": {
            "site_id": str(world.site.id),
            "theme_id": str(world.theme.id),
            "went_well": "Calm voice",
        },
    }
    assert (
        client.post("/api/v1/sync", json={"items": [item]}).json()["results"][0]["status"]
        == "created"
    )
    assert (
        client.post("/api/v1/sync", json={"items": [item]}).json()["results"][0]["status"]
        == "duplicate"
    )


def test_too_many_items_at_once_is_refused_whole(
    client: TestClient, world: World, session: Session
) -> None:
    api_sign_in(client, world.carer)
    response = client.post("/api/v1/sync", json={"items": [note_item(world) for _ in range(101)]})
    assert response.status_code == 413
    assert note_ids(session) == set()


def test_ten_thousand_items_are_refused_with_a_clear_answer(
    client: TestClient, world: World
) -> None:
    api_sign_in(client, world.carer)
    response = client.post("/api/v1/sync", json={"items": [{"id": str(n)} for n in range(10_000)]})
    assert response.status_code == 413
    assert response.headers["content-type"] == "application/problem+json"


def test_a_five_megabyte_payload_is_refused_as_too_large(client: TestClient, world: World) -> None:
    api_sign_in(client, world.carer)
    response = client.post(
        "/api/v1/sync", json={"items": [note_item(world, activity="x" * 5_000_000)]}
    )
    assert response.status_code == 413


def test_a_batch_needs_a_session(client: TestClient, world: World) -> None:
    assert client.post("/api/v1/sync", json={"items": []}).status_code == 401


def test_late_items_keep_when_they_happened(
    client: TestClient, world: World, session: Session
) -> None:
    api_sign_in(client, world.carer)
    occurred = (START - timedelta(hours=3)).isoformat()
    client.post("/api/v1/sync", json={"items": [note_item(world, occurred_at=occurred)]})
    session.rollback()
    note = session.exec(select(EngagementNote)).one()
    assert note.recorded_at - note.occurred_at == timedelta(hours=3)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_any_order_and_repetition_of_batches_saves_each_distinct_id_once(
    client: TestClient, world: World, session: Session, data: st.DataObject
) -> None:
    if "shift_session" not in client.cookies:
        api_sign_in(client, world.carer)
    run = uuid.uuid4().hex[:8]  # examples share one database: tell this example's notes apart
    pool = [note_item(world, activity=f"{run}-{n}") for n in range(6)]
    batches = data.draw(
        st.lists(st.lists(st.sampled_from(pool), min_size=1, max_size=8), min_size=1, max_size=6)
    )
    for batch in batches:
        results = client.post("/api/v1/sync", json={"items": batch}).json()["results"]
        assert {result["status"] for result in results} <= {"created", "duplicate"}
    sent = {item["id"] for batch in batches for item in batch}
    session.rollback()
    saved = session.exec(
        select(EngagementNote.id).where(col(EngagementNote.activity).startswith(run))
    ).all()
    assert {str(note_id) for note_id in saved} == sent
    assert session.exec(
        select(func.count())
        .select_from(EngagementNote)
        .where(col(EngagementNote.activity).startswith(run))
    ).one() == len(sent)
