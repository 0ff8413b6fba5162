"""The snapshots API: the same write path as the page and the sync, saved once under the
client's id, strict about counts, and scoped to the site's managers and quality leads."""

from __future__ import annotations

import uuid

import pytest
from sqlmodel import Session, select
from starlette.testclient import TestClient

from app.audit.models import AuditEvent
from app.snapshot.models import InteractionSnapshot
from tests.observation.helpers import count, fresh
from tests.snapshot.helpers import snapshot_json, take_snapshot
from tests.support import World, api_sign_in

URL = "/api/v1/snapshots"


def test_a_manager_records_a_snapshot(client: TestClient, world: World, session: Session) -> None:
    api_sign_in(client, world.manager)
    created = client.post(URL, json=snapshot_json(world, theme_id=str(world.theme.id)))
    assert created.status_code == 201, created.text
    saved = created.json()
    assert saved["total"] == 12
    assert saved["shift_name"] == "Early"
    assert saved["observer_id"] == str(world.manager.id)
    assert saved["theme_id"] == str(world.theme.id)
    row = fresh(session).get_one(InteractionSnapshot, uuid.UUID(saved["id"]))
    assert (row.positive_social, row.restrictive, row.minutes) == (6, 1, 10)
    event = session.exec(select(AuditEvent).where(AuditEvent.entity_id == row.id)).one()
    assert event.entity == "interaction_snapshot"
    assert "Lounge" not in event.summary
    assert client.get(f"{URL}/{row.id}").json() == saved


def test_without_a_start_the_watch_ended_now(client: TestClient, world: World) -> None:
    api_sign_in(client, world.quality)
    body = snapshot_json(world)
    del body["started_at"]
    saved = client.post(URL, json=body).json()
    assert saved["started_at"].startswith("2026-11-23T09:50:00")  # the clock is 10:00


def test_the_same_snapshot_sent_again_is_saved_once(
    client: TestClient, world: World, session: Session
) -> None:
    api_sign_in(client, world.manager)
    body = snapshot_json(world)
    created = client.post(URL, json=body)
    again = client.post(URL, json=body)
    assert (created.status_code, again.status_code) == (201, 200)
    assert again.json() == created.json()
    assert count(session, InteractionSnapshot) == 1


def test_the_same_id_with_other_counts_is_a_conflict(
    client: TestClient, world: World, session: Session
) -> None:
    api_sign_in(client, world.manager)
    body = snapshot_json(world)
    client.post(URL, json=body)
    clash = client.post(URL, json={**body, "neutral": 3})
    assert clash.status_code == 409
    assert clash.headers["content-type"].startswith("application/problem+json")
    assert fresh(session).get_one(InteractionSnapshot, uuid.UUID(body["id"])).neutral == 2


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"neutral": -1}, "neutral"),
        ({"positive_care": 1000}, "positive_care"),
        ({"restrictive": 10**30}, "restrictive"),
        ({"positive_social": True}, "positive_social"),
        ({"positive_social": "3"}, "positive_social"),
        ({"neutral": 2.5}, "neutral"),
        ({"minutes": 0}, "minutes"),
        ({"minutes": 61}, "minutes"),
        ({"minutes": None}, "minutes"),
        ({"location": "Lounge\x00"}, "location"),
        ({"location": "L" * 41}, "location"),
        ({"started_at": 1700000000}, "started_at"),
        ({"started_at": "2026-11-23T09:45:00"}, "started_at"),
        ({"started_at": "2026-11-24T09:45:00Z"}, "started_at"),
        ({"started_at": "2026-10-01T09:45:00Z"}, "started_at"),
        ({"theme_id": str(uuid.uuid4())}, "theme_id"),
        (
            {
                "positive_social": 0,
                "positive_care": 0,
                "neutral": 0,
                "protective_restrictive": 0,
                "restrictive": 0,
            },
            "counts",
        ),
    ],
)
def test_bad_input_is_refused_naming_the_field(
    client: TestClient, world: World, session: Session, change: dict[str, object], field: str
) -> None:
    api_sign_in(client, world.manager)
    refused = client.post(URL, json=snapshot_json(world, **change))
    assert refused.status_code == 422, refused.text
    assert refused.headers["content-type"].startswith("application/problem+json")
    assert field in refused.text
    assert count(session, InteractionSnapshot) == 0


def test_a_theme_of_another_site_is_refused(client: TestClient, world: World) -> None:
    api_sign_in(client, world.manager)
    refused = client.post(URL, json=snapshot_json(world, theme_id=str(world.other_theme.id)))
    assert refused.status_code == 422


@pytest.mark.parametrize("persona", ["carer", "lead"])
def test_care_workers_and_team_leads_do_not_take_snapshots(
    make_client, world: World, session: Session, persona: str
) -> None:  # type: ignore[no-untyped-def]
    client = api_sign_in(make_client(), world.user(persona))
    assert client.post(URL, json=snapshot_json(world)).status_code == 403
    assert count(session, InteractionSnapshot) == 0


def test_another_sites_snapshot_is_not_found_and_its_site_cannot_be_used(
    make_client, world: World, session: Session
) -> None:  # type: ignore[no-untyped-def]
    beech = take_snapshot(session, world, by="outsider_manager", site_id=str(world.other_site.id))
    client = api_sign_in(make_client(), world.manager)
    assert client.get(f"{URL}/{beech.id}").status_code == 404
    assert client.get(f"{URL}/{uuid.uuid4()}").status_code == 404
    body = snapshot_json(world, site_id=str(world.other_site.id))
    assert client.post(URL, json=body).status_code == 404
    # Its id, sent for Rosewood: taken, whoever's it is, and nothing of it shows.
    clash = client.post(URL, json=snapshot_json(world, id=str(beech.id)))
    assert clash.status_code == 409
    assert "Beech" not in clash.text


def test_who_reads_a_snapshot(make_client, world: World, session: Session) -> None:  # type: ignore[no-untyped-def]
    snapshot = take_snapshot(session, world)
    for persona, status in (
        ("manager", 200),
        ("quality", 200),
        ("admin", 200),
        ("lead", 403),
        ("carer", 403),
        ("outsider", 404),
        ("outsider_manager", 404),
    ):
        client = api_sign_in(make_client(), world.user(persona))
        assert client.get(f"{URL}/{snapshot.id}").status_code == status, persona
