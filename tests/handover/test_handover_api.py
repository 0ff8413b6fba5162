"""The handovers API: the same service functions as the pages, idempotent by the client's ids,
errors as problem+json naming the field, scoped by the actor's sites."""

from __future__ import annotations

import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from fastapi import FastAPI
from sqlmodel import Session, select
from starlette.testclient import TestClient

from app.action.models import FollowUpAction
from app.audit.models import AuditEvent
from app.handover.models import (
    Handover,
    HandoverAcknowledgement,
    HandoverAmendment,
    HandoverAttendance,
    HandoverEntry,
    HandoverPromptResponse,
)
from tests.conftest import ORIGIN
from tests.handover.helpers import (
    AT_14_05,
    answer,
    completed_handover,
    count,
    fresh,
    prompt_of,
    start_handover,
    start_json,
)
from tests.support import START, FrozenClock, World, api_sign_in


def test_a_lead_runs_a_handover_through_the_api(
    client: TestClient, make_client, world: World, session: Session, clock: FrozenClock
) -> None:  # type: ignore[no-untyped-def]
    clock.set(AT_14_05)
    api_sign_in(client, world.lead)
    handover = start_handover(client, world)
    assert (handover["outgoing_shift"], handover["incoming_shift"]) == ("Early", "Late")
    base = f"/api/v1/handovers/{handover['id']}"

    attended = client.post(f"{base}/attendance", json={"user_id": str(world.manager.id)})
    assert attended.status_code == 201
    assert attended.json()["role"] == "manager"
    again = client.post(f"{base}/attendance", json={"user_id": str(world.manager.id)})
    assert again.status_code == 200
    entry = client.post(
        f"{base}/people/{world.person.id}",
        json={"status": "unwell", "update": "Temperature", "risks": "Dehydration"},
    )
    assert entry.status_code == 200
    assert entry.json()["status"] == "unwell"
    prompt_id = prompt_of(session, world.theme)
    not_discussed = client.post(f"{base}/prompt-responses", json=answer(False, "Busy", prompt_id))
    assert not_discussed.status_code == 201
    clock.advance(minutes=1)
    discussed = client.post(f"{base}/prompt-responses", json=answer(True, "Baking", prompt_id))
    assert discussed.status_code == 201
    action = client.post(
        f"{base}/actions",
        json={
            "id": str(uuid.uuid4()),
            "description": "Offer drinks hourly",
            "owner_id": str(world.carer.id),
            "due_on": "2026-11-23",
        },
    )
    assert action.status_code == 201
    assert action.json()["handover_id"] == handover["id"]

    detail = client.get(base).json()
    assert detail["manager_present"] is True
    assert [row["user_id"] for row in detail["attendance"]] == [
        str(world.lead.id),
        str(world.manager.id),
    ]
    ada = next(row for row in detail["people"] if row["person_id"] == str(world.person.id))
    assert ada["entry"]["update"] == "Temperature"
    assert [(r["discussed"], r["note"]) for r in detail["prompt_responses"]] == [(True, "Baking")]
    assert [a["description"] for a in detail["open_actions"]] == ["Offer drinks hourly"]

    completed = client.post(f"{base}/complete")
    assert completed.json()["completed"] is True
    assert client.post(f"{base}/complete").status_code == 200  # completing again changes nothing

    carer = api_sign_in(make_client(), world.carer)
    received = carer.post(f"{base}/acknowledgements", json={"id": str(uuid.uuid4())})
    assert received.status_code == 201
    other_device = carer.post(f"{base}/acknowledgements", json={"id": str(uuid.uuid4())})
    assert other_device.status_code == 200
    assert other_device.json()["id"] == received.json()["id"]

    status = client.get(f"{base}/acknowledgements").json()
    assert [row["name"] for row in status["acknowledged"]] == ["Alice Carer"]
    assert [row["name"] for row in status["given_by"]] == ["Lee Lead"]
    assert {row["name"] for row in status["not_acknowledged"]} == {
        "Colin Colleague",
        "Maya Manager",
    }
    assert count(session, HandoverAcknowledgement) == 1
    actions = fresh(session).exec(select(AuditEvent.action, AuditEvent.entity)).all()
    for expected in (
        ("create", "handover"),
        ("create", "handover_attendance"),
        ("create", "handover_entry"),
        ("create", "handover_prompt_response"),
        ("create", "follow_up_action"),
        ("complete", "handover"),
        ("acknowledge", "handover"),
    ):
        assert expected in actions
    summaries = fresh(session).exec(select(AuditEvent.summary)).all()
    assert not any(word in summary for summary in summaries for word in ("Baking", "Temperature"))


def test_the_same_start_sent_twice_makes_one_handover(
    client: TestClient, world: World, session: Session
) -> None:
    api_sign_in(client, world.lead)
    body = start_json(world)
    first = client.post("/api/v1/handovers", json=body)
    again = client.post("/api/v1/handovers", json=body)
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json() == first.json()
    assert count(session, Handover) == 1
    assert count(session, HandoverAttendance) == 1


def test_a_retry_arriving_after_the_shift_changed_answers_with_what_was_saved(
    client: TestClient, world: World, session: Session, clock: FrozenClock
) -> None:
    api_sign_in(client, world.lead)
    body = start_json(world)
    first = client.post("/api/v1/handovers", json=body).json()
    clock.advance(hours=8)
    api_sign_in(client, world.lead)  # the earlier sign-in has timed out by now
    again = client.post("/api/v1/handovers", json=body)
    assert again.status_code == 200
    assert again.json()["incoming_shift"] == first["incoming_shift"] == "Early"


def test_the_same_start_id_with_other_content_is_a_conflict(
    client: TestClient, world: World, session: Session
) -> None:
    api_sign_in(client, world.lead)
    body = start_json(world)
    client.post("/api/v1/handovers", json=body)
    chosen = {
        "outgoing": {"name": "Late", "date": "2026-11-22"},
        "incoming": {"name": "Night", "date": "2026-11-22"},
    }
    clash = client.post("/api/v1/handovers", json={**body, **chosen})
    assert clash.status_code == 409
    assert clash.headers["content-type"] == "application/problem+json"
    assert count(session, Handover) == 1


def test_a_second_handover_for_the_same_shift_change_is_a_conflict(
    client: TestClient, make_client, world: World, session: Session
) -> None:  # type: ignore[no-untyped-def]
    api_sign_in(client, world.lead)
    start_handover(client, world)
    manager = api_sign_in(make_client(), world.manager)
    assert manager.post("/api/v1/handovers", json=start_json(world)).status_code == 409
    assert count(session, Handover) == 1


def test_prompt_responses_are_idempotent_and_the_latest_counts(
    client: TestClient, world: World, session: Session, clock: FrozenClock
) -> None:
    api_sign_in(client, world.lead)
    base = f"/api/v1/handovers/{start_handover(client, world)['id']}"
    prompt_id = prompt_of(session, world.theme)
    body = answer(True, "Ada chose the music", prompt_id)
    assert client.post(f"{base}/prompt-responses", json=body).status_code == 201
    assert client.post(f"{base}/prompt-responses", json=body).status_code == 200
    clash = client.post(f"{base}/prompt-responses", json={**body, "note": "Something else"})
    assert clash.status_code == 409
    clock.advance(minutes=2)
    later = answer(False, "We ran out of time after all", prompt_id)
    assert client.post(f"{base}/prompt-responses", json=later).status_code == 201
    latest = client.get(base).json()["prompt_responses"]
    assert [(r["id"], r["discussed"]) for r in latest] == [(later["id"], False)]
    assert count(session, HandoverPromptResponse) == 2


@pytest.mark.parametrize("same_id", [True, False], ids=["one device", "eight devices"])
def test_acknowledgements_sent_at_once_are_saved_once(
    app: FastAPI, client: TestClient, world: World, session: Session, same_id: bool
) -> None:
    api_sign_in(client, world.lead)
    handover = completed_handover(client, world)
    path = f"/api/v1/handovers/{handover['id']}/acknowledgements"
    shared = str(uuid.uuid4())
    devices = [
        api_sign_in(TestClient(app, headers={"Origin": ORIGIN}), world.carer) for _ in range(8)
    ]

    def acknowledge(device: TestClient) -> int:
        body = {"id": shared if same_id else str(uuid.uuid4())}
        return device.post(path, json=body).status_code

    with ThreadPoolExecutor(max_workers=8) as pool:
        statuses = list(pool.map(acknowledge, devices))
    for device in devices:
        device.close()
    assert sorted(statuses) == [200] * 7 + [201]
    assert count(session, HandoverAcknowledgement) == 1


def test_someone_elses_acknowledgement_id_is_a_conflict(
    client: TestClient, make_client, world: World
) -> None:  # type: ignore[no-untyped-def]
    api_sign_in(client, world.lead)
    path = f"/api/v1/handovers/{completed_handover(client, world)['id']}/acknowledgements"
    body = {"id": str(uuid.uuid4())}
    assert api_sign_in(make_client(), world.carer).post(path, json=body).status_code == 201
    assert api_sign_in(make_client(), world.colleague).post(path, json=body).status_code == 409


def test_after_completion_edits_are_refused_and_amendments_kept(
    client: TestClient, make_client, world: World, session: Session
) -> None:  # type: ignore[no-untyped-def]
    api_sign_in(client, world.lead)
    base = f"/api/v1/handovers/{completed_handover(client, world)['id']}"
    prompt_id = prompt_of(session, world.theme)
    edits = {
        f"people/{world.person.id}": {"status": "watch"},
        "prompt-responses": answer(True, "Late answer", prompt_id),
        "attendance": {"user_id": str(world.carer.id)},
        "actions": {
            "id": str(uuid.uuid4()),
            "description": "Late action",
            "owner_id": str(world.carer.id),
        },
    }
    for path, body in edits.items():
        refused = client.post(f"{base}/{path}", json=body)
        assert refused.status_code == 422, path
        assert refused.json()["errors"][0]["field"] == "handover", path
    amendment = {"id": str(uuid.uuid4()), "change": "Ada now on watch", "reason": "Fell at 15:00"}
    assert client.post(f"{base}/amendments", json=amendment).status_code == 201
    assert client.post(f"{base}/amendments", json=amendment).status_code == 200
    changed = {**amendment, "reason": "Another reason"}
    assert client.post(f"{base}/amendments", json=changed).status_code == 409
    manager = api_sign_in(make_client(), world.manager)
    by_manager = {"id": str(uuid.uuid4()), "change": "GP visit booked", "reason": "Follow-up"}
    assert manager.post(f"{base}/amendments", json=by_manager).status_code == 201
    carer = api_sign_in(make_client(), world.carer)
    by_carer = {"id": str(uuid.uuid4()), "change": "x", "reason": "y"}
    assert carer.post(f"{base}/amendments", json=by_carer).status_code == 403
    assert [a["change"] for a in client.get(base).json()["amendments"]] == [
        "Ada now on watch",
        "GP visit booked",
    ]
    assert count(session, HandoverEntry) == count(session, FollowUpAction) == 0
    assert count(session, HandoverAmendment) == 2


def test_bad_input_names_the_field_and_writes_nothing(
    client: TestClient, world: World, session: Session
) -> None:
    api_sign_in(client, world.lead)
    base = f"/api/v1/handovers/{start_handover(client, world)['id']}"
    prompt_id = prompt_of(session, world.theme)
    action = {"id": str(uuid.uuid4()), "description": "Call", "owner_id": str(world.carer.id)}
    cases = [
        (f"people/{uuid.uuid4()}", {"status": "stable"}, "person_id"),
        (f"people/{world.other_person.id}", {"status": "stable"}, "person_id"),
        (f"people/{world.person.id}", {"status": "fine"}, "status"),
        (f"people/{world.person.id}", {"status": "stable", "update": "x" * 5000}, "update"),
        (f"people/{world.person.id}", {"status": "stable", "risks": "x" * 501}, "risks"),
        (
            "prompt-responses",
            answer(True, "Said", prompt_of(session, world.other_theme)),
            "prompt_id",
        ),
        ("prompt-responses", answer(False, "", prompt_id), "note"),
        ("prompt-responses", answer(True, "", prompt_id), "note"),
        ("prompt-responses", {"id": str(uuid.uuid4()), "prompt_id": str(prompt_id)}, "discussed"),
        ("actions", {**action, "owner_id": str(world.outsider.id)}, "owner_id"),
        ("actions", {**action, "person_id": str(world.other_person.id)}, "person_id"),
        ("actions", {**action, "due_on": "2026-11-22"}, "due_on"),
        ("actions", {**action, "description": ""}, "description"),
        ("attendance", {"user_id": str(world.outsider.id)}, "user_id"),
        ("attendance", {"user_id": str(world.quality.id)}, "user_id"),
    ]
    for path, body, field in cases:
        response = client.post(f"{base}/{path}", json=body)
        assert response.status_code == 422, (path, field)
        assert response.headers["content-type"] == "application/problem+json"
        assert field in [error["field"] for error in response.json()["errors"]], (path, field)
    assert count(session, HandoverEntry) == count(session, HandoverPromptResponse) == 0
    assert count(session, FollowUpAction) == 0
    assert count(session, HandoverAttendance) == 1


def test_starting_with_shifts_not_in_the_pattern_names_the_field(
    client: TestClient, world: World, session: Session
) -> None:
    api_sign_in(client, world.lead)
    cases = {
        "outgoing.name": {
            "outgoing": {"name": "Twilight", "date": "2026-11-22"},
            "incoming": {"name": "Early", "date": "2026-11-23"},
        },
        "incoming.name": {"outgoing": {"name": "Night", "date": "2026-11-22"}},
        "outgoing.date": {
            "outgoing": {"name": "Night"},
            "incoming": {"name": "Early", "date": "2026-11-23"},
        },
    }
    backwards = {
        "outgoing": {"name": "Early", "date": "2026-11-23"},
        "incoming": {"name": "Night", "date": "2026-11-22"},
    }
    for field, chosen in cases.items():
        response = client.post("/api/v1/handovers", json=start_json(world, **chosen))
        assert response.status_code == 422, field
        assert response.json()["errors"][0]["field"] == field
    assert client.post("/api/v1/handovers", json=start_json(world, **backwards)).status_code == 422
    assert count(session, Handover) == 0


def test_lists_filter_by_site_and_time_and_page(
    client: TestClient, world: World, clock: FrozenClock
) -> None:
    for hours in range(3):
        clock.set(START + timedelta(hours=8 * hours))  # 10:00, 18:00, 02:00: three shift changes
        api_sign_in(client, world.lead)
        start_handover(client, world)
    first = client.get("/api/v1/handovers", params={"site_id": str(world.site.id), "limit": 2})
    assert [h["incoming_shift"] for h in first.json()["items"]] == ["Night", "Late"]
    assert first.json()["next_offset"] == 2
    rest = client.get("/api/v1/handovers", params={"limit": 2, "offset": 2}).json()
    assert [h["incoming_shift"] for h in rest["items"]] == ["Early"]
    assert rest["next_offset"] is None
    window = client.get(
        "/api/v1/handovers",
        params={
            "from": (START + timedelta(hours=1)).isoformat(),
            "to": (START + timedelta(hours=9)).isoformat(),
        },
    )
    assert [h["incoming_shift"] for h in window.json()["items"]] == ["Late"]
