"""The observations API: the same write path as the pages, idempotent by the client's id, and
scoped so that only the observer, the site's overseers and the staff member observed read one."""

from __future__ import annotations

import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

from fastapi import FastAPI
from sqlmodel import Session, select
from starlette.testclient import TestClient

from app.action.models import FollowUpAction
from app.audit.models import AuditEvent
from app.observation.models import Observation, ObservationRating
from tests.conftest import ORIGIN
from tests.observation.helpers import behaviour_ids, count, fresh, observation_json, observe
from tests.support import START, World, api_sign_in

URL = "/api/v1/observations"


def action_json(world: World, **overrides: object) -> dict[str, object]:
    return {
        "id": str(uuid.uuid4()),
        "description": "Read the guide on offering choices",
        "owner_id": str(world.carer.id),
        "due_on": "2026-12-01",
        **overrides,
    }


def test_a_manager_records_an_observation_with_its_follow_up(
    client: TestClient, world: World, session: Session
) -> None:
    api_sign_in(client, world.manager)
    body = observation_json(world, session, follow_up_on="2026-12-12", actions=[action_json(world)])
    created = client.post(URL, json=body)
    assert created.status_code == 201, created.text
    saved = created.json()
    assert saved["practice_score"] == 75.0
    assert saved["shift_name"] == "Early"
    assert saved["observer_id"] == str(world.manager.id)
    assert [r["rating"] for r in saved["ratings"]] == [2, 1, None]
    assert [r["behaviour"] for r in saved["ratings"]] == [
        "Offers a choice",
        "Gives just enough help",
        "Invites the person to lead",
    ]
    row = fresh(session).get_one(Observation, uuid.UUID(saved["id"]))
    assert row.theme_revision == world.theme.revision
    assert row.follow_up_on.isoformat() == "2026-12-12"
    action = session.exec(select(FollowUpAction)).one()
    assert action.observation_id == row.id
    assert action.owner_id == world.carer.id


def test_the_same_observation_sent_again_is_saved_once(
    client: TestClient, world: World, session: Session
) -> None:
    api_sign_in(client, world.manager)
    body = observation_json(world, session, actions=[action_json(world)])
    created = client.post(URL, json=body)
    again = client.post(URL, json=body)
    assert (created.status_code, again.status_code) == (201, 200)
    assert again.json() == created.json()
    assert count(session, Observation) == 1
    assert count(session, ObservationRating) == 3
    assert count(session, FollowUpAction) == 1


def test_the_same_id_with_other_content_is_a_conflict(
    client: TestClient, world: World, session: Session
) -> None:
    api_sign_in(client, world.manager)
    body = observation_json(world, session)
    client.post(URL, json=body)
    clash = client.post(URL, json={**body, "next_step": "Something else"})
    assert clash.status_code == 409
    assert clash.headers["content-type"] == "application/problem+json"
    assert count(session, Observation) == 1
    assert fresh(session).exec(select(Observation.next_step)).one() == body["next_step"]


def test_the_same_observation_sent_at_once_from_many_connections_is_saved_once(
    app: FastAPI, world: World, session: Session
) -> None:
    body = observation_json(world, session, actions=[action_json(world)])
    clients = [
        api_sign_in(TestClient(app, headers={"Origin": ORIGIN}), world.manager) for _ in range(8)
    ]
    with ThreadPoolExecutor(max_workers=8) as pool:
        statuses = list(pool.map(lambda c: c.post(URL, json=body).status_code, clients))
    for client in clients:
        client.close()
    assert sorted(statuses) == [200] * 7 + [201]
    assert count(session, Observation) == 1
    assert count(session, ObservationRating) == 3
    assert count(session, FollowUpAction) == 1


def test_bad_input_names_the_field_and_writes_nothing(
    client: TestClient, world: World, session: Session
) -> None:
    api_sign_in(client, world.manager)
    first = behaviour_ids(session, world.theme)[0]
    elsewhere = behaviour_ids(session, world.other_theme)[0]
    cases = {
        "ratings.": observation_json(world, session, ratings={first: 3}),
        "ratings": observation_json(world, session, ratings={first: 2, elsewhere: 2}),
        "theme_id": observation_json(world, session, theme_id=str(world.other_theme.id)),
        "observed_user_id": observation_json(
            world, session, observed_user_id=str(world.outsider.id)
        ),
        "observed_at": observation_json(
            world, session, observed_at=(START + timedelta(minutes=30)).isoformat()
        ),
        "next_step": observation_json(world, session, next_step="x" * 5000),
        "location": observation_json(world, session, location="x" * 81),
        "follow_up_on": observation_json(world, session, follow_up_on="2026-11-22"),
        "could_explain": observation_json(world, session, could_explain="maybe"),
        "actions.0.owner_id": observation_json(
            world, session, actions=[action_json(world, owner_id=str(world.outsider.id))]
        ),
        "actions.0.description": observation_json(
            world, session, actions=[action_json(world, description="")]
        ),
        "id": {k: v for k, v in observation_json(world, session).items() if k != "id"},
    }
    for field, body in cases.items():
        response = client.post(URL, json=body)
        assert response.status_code == 422, field
        named = [error["field"] for error in response.json()["errors"]]
        assert any(
            name == field or (field.endswith(".") and name.startswith(field)) for name in named
        ), (field, named)
    assert count(session, Observation) == 0
    assert count(session, ObservationRating) == 0
    assert count(session, FollowUpAction) == 0


def test_an_observation_older_than_a_month_is_refused(
    client: TestClient, world: World, session: Session
) -> None:
    api_sign_in(client, world.manager)
    old = (START - timedelta(days=40)).isoformat()
    response = client.post(URL, json=observation_json(world, session, observed_at=old))
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "observed_at"


def test_a_one_megabyte_observation_is_refused_as_too_large(
    client: TestClient, world: World, session: Session
) -> None:
    api_sign_in(client, world.manager)
    body = observation_json(world, session, context_notes="x" * 1_100_000)
    assert client.post(URL, json=body).status_code == 413
    assert count(session, Observation) == 0


def test_only_managers_and_quality_leads_observe(
    make_client, world: World, session: Session
) -> None:  # type: ignore[no-untyped-def]
    expected = {
        "carer": 403,
        "lead": 403,
        "admin": 403,
        "outsider": 404,
        "outsider_manager": 404,
        "quality": 201,
        "manager": 201,
    }
    for persona, status in expected.items():
        client = api_sign_in(make_client(), world.user(persona))
        response = client.post(URL, json=observation_json(world, session))
        assert response.status_code == status, persona
    assert count(session, Observation) == 2


def test_who_reads_an_observation(make_client, world: World, session: Session) -> None:  # type: ignore[no-untyped-def]
    observation = observe(session, world)
    readers = {"manager", "quality", "admin", "carer"}
    for persona in ("manager", "quality", "admin", "carer", "colleague", "lead", "outsider"):
        client = api_sign_in(make_client(), world.user(persona))
        one = client.get(f"{URL}/{observation.id}")
        listed = [item["id"] for item in client.get(URL).json()["items"]]
        if persona in readers:
            assert one.status_code == 200, persona
            assert listed == [str(observation.id)], persona
        else:
            assert one.status_code == 404, persona
            assert listed == [], persona


def test_lists_filter_and_page(client: TestClient, world: World, session: Session) -> None:
    for hours_ago, observed in ((1, world.carer), (2, world.colleague), (3, world.carer)):
        at = (START - timedelta(hours=hours_ago)).isoformat()
        observe(session, world, observed_at=at, observed_user_id=str(observed.id))
    api_sign_in(client, world.manager)
    first = client.get(URL, params={"site_id": str(world.site.id), "limit": 2})
    assert len(first.json()["items"]) == 2
    assert first.json()["next_offset"] == 2
    rest = client.get(URL, params={"site_id": str(world.site.id), "offset": 2})
    assert len(rest.json()["items"]) == 1
    assert rest.json()["next_offset"] is None
    carers = client.get(URL, params={"observed_user_id": str(world.carer.id)}).json()["items"]
    assert [item["observed_user_id"] for item in carers] == [str(world.carer.id)] * 2
    window = client.get(
        URL,
        params={
            "from": (START - timedelta(hours=2, minutes=30)).isoformat(),
            "to": START.isoformat(),
            "theme_id": str(world.theme.id),
        },
    )
    assert len(window.json()["items"]) == 2
    other_theme = client.get(URL, params={"theme_id": str(world.other_theme.id)})
    assert other_theme.json()["items"] == []


def test_outsiders_cannot_list_a_sites_observations(
    client: TestClient, world: World, session: Session
) -> None:
    observe(session, world)
    api_sign_in(client, world.outsider_manager)
    assert client.get(URL, params={"site_id": str(world.site.id)}).status_code == 404
    assert client.get(URL).json()["items"] == []


def test_only_the_staff_member_observed_reflects_and_a_later_reflection_replaces_it(
    make_client, world: World, session: Session, clock
) -> None:  # type: ignore[no-untyped-def]
    observation = observe(session, world)
    path = f"{URL}/{observation.id}/reflection"
    carer = api_sign_in(make_client(), world.carer)
    assert carer.put(path, json={"reflection": ""}).json()["errors"][0]["field"] == "reflection"
    first = carer.put(path, json={"reflection": "I rushed the start."})
    assert first.status_code == 200
    assert first.json()["reflection"] == "I rushed the start."
    clock.advance(minutes=20)
    second = carer.put(path, json={"reflection": "Next time I will ask first."})
    assert second.json()["reflection"] == "Next time I will ask first."
    assert second.json()["reflected_at"].startswith("2026-11-23T10:20")
    manager = api_sign_in(make_client(), world.manager)
    assert manager.put(path, json={"reflection": "Not mine"}).status_code == 403
    colleague = api_sign_in(make_client(), world.colleague)
    assert colleague.put(path, json={"reflection": "Not mine"}).status_code == 404
    assert (
        fresh(session).get_one(Observation, observation.id).reflection
        == "Next time I will ask first."
    )


def test_the_observer_or_a_manager_voids_and_nothing_is_deleted(
    make_client, world: World, session: Session
) -> None:  # type: ignore[no-untyped-def]
    observation = observe(session, world, by="quality")
    path = f"{URL}/{observation.id}/void"
    for persona in ("carer", "admin"):
        client = api_sign_in(make_client(), world.user(persona))
        assert client.post(path, json={"reason": "Wrong"}).status_code == 403, persona
    manager = api_sign_in(make_client(), world.manager)
    assert manager.post(path, json={"reason": ""}).status_code == 422
    voided = manager.post(path, json={"reason": "Recorded against the wrong person"})
    assert voided.status_code == 200
    assert voided.json()["voided"] is True
    assert manager.get(URL).json()["items"] == []
    kept = manager.get(URL, params={"include_voided": "true"}).json()["items"]
    assert [item["void_reason"] for item in kept] == ["Recorded against the wrong person"]
    assert count(session, Observation) == 1
    carer = api_sign_in(make_client(), world.carer)
    refused = carer.put(f"{URL}/{observation.id}/reflection", json={"reflection": "Too late"})
    assert refused.status_code == 422


def test_create_reflect_and_void_are_audited_with_codes_only(
    make_client, world: World, session: Session
) -> None:  # type: ignore[no-untyped-def]
    manager = api_sign_in(make_client(), world.manager)
    body = observation_json(world, session, actions=[action_json(world)])
    observation_id = manager.post(URL, json=body).json()["id"]
    carer = api_sign_in(make_client(), world.carer)
    carer.put(f"{URL}/{observation_id}/reflection", json={"reflection": "Secret thoughts"})
    manager.post(f"{URL}/{observation_id}/void", json={"reason": "Private reason"})
    events = (
        fresh(session)
        .exec(select(AuditEvent).where(AuditEvent.entity_id == uuid.UUID(observation_id)))
        .all()
    )
    assert sorted((event.action, event.actor_id) for event in events) == sorted(
        [
            ("create", world.manager.id),
            ("reflect", world.carer.id),
            ("void", world.manager.id),
        ]
    )
    created = next(event for event in events if event.action == "create")
    assert created.summary == "rated=2/3 could_explain=partly actions=1"
    for event in events:
        for private in ("Secret", "Private", "Ada", "Lounge"):
            assert private not in event.summary
    action_events = session.exec(
        select(AuditEvent).where(AuditEvent.entity == "follow_up_action")
    ).all()
    assert len(action_events) == 1


def test_the_api_is_in_the_openapi_document(client: TestClient) -> None:
    paths = client.get("/api/openapi.json").json()["paths"]
    assert set(paths[URL]) == {"get", "post"}
    assert "put" in paths[f"{URL}/{{observation_id}}/reflection"]
    assert "post" in paths[f"{URL}/{{observation_id}}/void"]
