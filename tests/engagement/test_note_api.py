"""The engagement notes API: one write path with the pages, idempotent by the client's id."""

from __future__ import annotations

import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

from fastapi import FastAPI
from sqlmodel import Session, func, select
from starlette.testclient import TestClient

from app.engagement.models import EngagementNote
from tests.conftest import ORIGIN
from tests.support import START, World, api_sign_in


def note_json(world: World, **overrides: object) -> dict[str, object]:
    return {"id": str(uuid.uuid4()), "person_id": str(world.person.id), "level": 2, **overrides}


def count(session: Session) -> int:
    session.expire_all()
    return session.exec(select(func.count()).select_from(EngagementNote)).one()


def test_create_then_resend_answers_with_the_same_note(
    client: TestClient, world: World, session: Session
) -> None:
    api_sign_in(client, world.carer)
    body = note_json(world, mood="bright", helped=["Offered a choice"])
    created = client.post("/api/v1/engagement-notes", json=body)
    assert created.status_code == 201
    again = client.post("/api/v1/engagement-notes", json=body)
    assert again.status_code == 200
    assert again.json() == created.json()
    assert created.json()["shift_name"] == "Early"
    assert count(session) == 1


def test_the_same_id_with_other_content_is_a_conflict(
    client: TestClient, world: World, session: Session
) -> None:
    api_sign_in(client, world.carer)
    body = note_json(world)
    client.post("/api/v1/engagement-notes", json=body)
    clash = client.post("/api/v1/engagement-notes", json={**body, "level": 0})
    assert clash.status_code == 409
    assert clash.headers["content-type"] == "application/problem+json"
    assert count(session) == 1


def test_someone_elses_id_is_a_conflict_not_their_note(
    client: TestClient, make_client, world: World
) -> None:  # type: ignore[no-untyped-def]
    api_sign_in(client, world.carer)
    body = note_json(world)
    client.post("/api/v1/engagement-notes", json=body)
    colleague = api_sign_in(make_client(), world.colleague)
    assert colleague.post("/api/v1/engagement-notes", json=body).status_code == 409


def test_the_same_note_sent_at_once_from_many_connections_is_saved_once(
    app: FastAPI, world: World, session: Session
) -> None:
    body = note_json(world)
    clients = [
        api_sign_in(TestClient(app, headers={"Origin": ORIGIN}), world.carer) for _ in range(8)
    ]
    with ThreadPoolExecutor(max_workers=8) as pool:
        statuses = list(
            pool.map(lambda c: c.post("/api/v1/engagement-notes", json=body).status_code, clients)
        )
    for client in clients:
        client.close()
    assert sorted(statuses) == [200] * 7 + [201]
    assert count(session) == 1


def test_bad_input_names_the_field_and_writes_nothing(
    client: TestClient, world: World, session: Session
) -> None:
    api_sign_in(client, world.carer)
    future = (START + timedelta(minutes=30)).isoformat()
    cases = {
        "level": note_json(world, level=7),
        "person_id": note_json(world, person_id=str(world.other_person.id)),
        "occurred_at": note_json(world, occurred_at=future),
        "activity": note_json(world, activity="x" * 201),
        "restrictive_reason": note_json(world, restrictive_practice="physical"),
        "theme_id": note_json(world, theme_id=str(world.other_theme.id)),
        "id": {k: v for k, v in note_json(world).items() if k != "id"},
        "mood": note_json(world, mood="furious"),
    }
    for field, body in cases.items():
        response = client.post("/api/v1/engagement-notes", json=body)
        assert response.status_code == 422, field
        assert field in [error["field"] for error in response.json()["errors"]], field
    assert count(session) == 0


def test_a_one_megabyte_note_is_refused_as_too_large(
    client: TestClient, world: World, session: Session
) -> None:
    api_sign_in(client, world.carer)
    response = client.post(
        "/api/v1/engagement-notes", json=note_json(world, activity="x" * 1_100_000)
    )
    assert response.status_code == 413
    assert count(session) == 0


def test_an_occurred_at_without_a_time_zone_is_refused(client: TestClient, world: World) -> None:
    api_sign_in(client, world.carer)
    response = client.post(
        "/api/v1/engagement-notes", json=note_json(world, occurred_at="2026-11-23T09:00:00")
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "occurred_at"


def test_lists_filter_by_person_and_date_and_page(client: TestClient, world: World) -> None:
    api_sign_in(client, world.carer)
    for hours_ago in range(5):
        at = (START - timedelta(hours=hours_ago)).isoformat()
        client.post("/api/v1/engagement-notes", json=note_json(world, occurred_at=at))
    first = client.get(
        "/api/v1/engagement-notes", params={"person_id": str(world.person.id), "limit": 2}
    )
    assert first.status_code == 200
    assert len(first.json()["items"]) == 2
    assert first.json()["next_offset"] == 2
    rest = client.get("/api/v1/engagement-notes", params={"limit": 10, "offset": 2})
    assert len(rest.json()["items"]) == 3
    assert rest.json()["next_offset"] is None
    window = client.get(
        "/api/v1/engagement-notes",
        params={"from": (START - timedelta(hours=2)).isoformat(), "to": START.isoformat()},
    )
    assert len(window.json()["items"]) == 2


def test_notes_of_another_site_are_not_found(client: TestClient, make_client, world: World) -> None:  # type: ignore[no-untyped-def]
    api_sign_in(client, world.carer)
    note = client.post("/api/v1/engagement-notes", json=note_json(world)).json()
    outsider = api_sign_in(make_client(), world.outsider)
    assert outsider.get(f"/api/v1/engagement-notes/{note['id']}").status_code == 404
    assert outsider.get("/api/v1/engagement-notes").json()["items"] == []
    listed = outsider.get("/api/v1/engagement-notes", params={"site_id": str(world.site.id)})
    assert listed.status_code == 404


def test_amend_void_and_review_through_the_api(
    client: TestClient, make_client, world: World
) -> None:  # type: ignore[no-untyped-def]
    api_sign_in(client, world.carer)
    note = client.post(
        "/api/v1/engagement-notes",
        json=note_json(
            world, restrictive_practice="kept_apart", restrictive_reason="Upset by noise"
        ),
    ).json()
    assert note["needs_review"] is True
    amended = client.post(
        f"/api/v1/engagement-notes/{note['id']}/amendments",
        json={
            "level": 1,
            "restrictive_practice": "kept_apart",
            "restrictive_reason": "Upset by noise",
            "reason": "Misread",
        },
    )
    assert amended.status_code == 200
    assert amended.json()["revision"] == 2
    review = {"id": str(uuid.uuid4()), "outcome": "justified", "debrief_held": False}
    review_path = f"/api/v1/engagement-notes/{note['id']}/review"
    assert client.post(review_path, json=review).status_code == 403
    manager = api_sign_in(make_client(), world.manager)
    unjustified = manager.post(review_path, json={**review, "outcome": "safeguarding"})
    assert unjustified.status_code == 422  # what will change is needed
    reviewed = manager.post(review_path, json=review)
    assert reviewed.status_code == 201
    assert reviewed.json()["outcome"] == "justified"
    assert reviewed.json()["changes"] == ""
    assert manager.post(review_path, json=review).status_code == 200  # a retry
    assert client.get(f"/api/v1/engagement-notes/{note['id']}").json()["needs_review"] is False
    voided = client.post(
        f"/api/v1/engagement-notes/{note['id']}/void", json={"reason": "Duplicate"}
    )
    assert voided.json()["voided"] is True
    assert client.get("/api/v1/engagement-notes").json()["items"] == []
    kept = client.get("/api/v1/engagement-notes", params={"include_voided": "true"}).json()["items"]
    assert [item["id"] for item in kept] == [note["id"]]


def test_quality_leads_read_but_do_not_record_notes(
    client: TestClient, make_client, world: World
) -> None:  # type: ignore[no-untyped-def]
    api_sign_in(client, world.carer)
    client.post("/api/v1/engagement-notes", json=note_json(world))
    quality = api_sign_in(make_client(), world.quality)
    assert len(quality.get("/api/v1/engagement-notes").json()["items"]) == 1
    assert quality.post("/api/v1/engagement-notes", json=note_json(world)).status_code == 403


def test_recorded_at_is_the_servers_time_not_the_clients(client: TestClient, world: World) -> None:
    api_sign_in(client, world.carer)
    earlier = datetime(2026, 11, 23, 8, 0, tzinfo=UTC).isoformat()
    note = client.post(
        "/api/v1/engagement-notes", json=note_json(world, occurred_at=earlier)
    ).json()
    assert note["recorded_at"] == START.isoformat().replace("+00:00", "Z")
    assert note["late"] is True


def test_a_retry_of_a_saved_note_is_answered_even_if_it_would_be_refused_now(
    client: TestClient, world: World, session: Session
) -> None:
    api_sign_in(client, world.carer)
    body = note_json(world)
    assert client.post("/api/v1/engagement-notes", json=body).status_code == 201
    world.person.active = False  # moved out since the note was first sent
    session.add(world.person)
    session.commit()
    assert client.post("/api/v1/engagement-notes", json=body).status_code == 200
    fresh = client.post("/api/v1/engagement-notes", json=note_json(world))
    assert fresh.status_code == 422
    assert fresh.json()["errors"][0]["field"] == "person_id"
