"""Snapshots saved on a phone with no signal reach the server through the outbox's batch: each
item answered on its own, each snapshot saved once."""

from __future__ import annotations

import uuid

from sqlmodel import Session, select
from starlette.testclient import TestClient

from app.snapshot.models import InteractionSnapshot
from tests.observation.helpers import fresh
from tests.snapshot.helpers import snapshot_json
from tests.support import World, api_sign_in


def snapshot_item(world: World, **payload: object) -> dict[str, object]:
    body = snapshot_json(world, **payload)
    return {"id": body.pop("id"), "type": "interaction_snapshot", "payload": body}


def stored_ids(session: Session) -> set[str]:
    return {str(found) for found in fresh(session).exec(select(InteractionSnapshot.id)).all()}


def test_one_bad_snapshot_is_refused_and_the_others_are_saved(
    client: TestClient, world: World, session: Session
) -> None:
    api_sign_in(client, world.manager)
    first, second = snapshot_item(world), snapshot_item(world, location="Dining room")
    items = [
        first,
        snapshot_item(world, neutral=-1),
        snapshot_item(world, positive_social=0, positive_care=0, neutral=0, restrictive=0),
        snapshot_item(world, site_id=str(world.other_site.id)),
        second,
        first,
        {**first, "payload": {**first["payload"], "neutral": 5}},
    ]
    answer = client.post("/api/v1/sync", json={"items": items})
    assert answer.status_code == 200
    results = answer.json()["results"]
    assert [result["status"] for result in results] == [
        "created", "invalid", "invalid", "forbidden", "created", "duplicate", "conflict",
    ]  # fmt: skip
    assert results[1]["errors"][0]["field"] == "neutral"
    assert results[2]["errors"][0]["field"] == "counts"
    assert stored_ids(session) == {first["id"], second["id"]}


def test_a_batch_sent_twice_saves_each_snapshot_once(
    client: TestClient, world: World, session: Session
) -> None:
    api_sign_in(client, world.quality)
    items = [snapshot_item(world) for _ in range(3)]
    client.post("/api/v1/sync", json={"items": items})
    again = client.post("/api/v1/sync", json={"items": items}).json()["results"]
    assert {result["status"] for result in again} == {"duplicate"}
    assert stored_ids(session) == {item["id"] for item in items}


def test_a_care_worker_cannot_send_a_snapshot(
    client: TestClient, world: World, session: Session
) -> None:
    api_sign_in(client, world.carer)
    item = snapshot_item(world, id=str(uuid.uuid4()))
    [result] = client.post("/api/v1/sync", json={"items": [item]}).json()["results"]
    assert result["status"] == "forbidden"
    assert stored_ids(session) == set()
