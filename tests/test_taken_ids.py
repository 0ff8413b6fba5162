"""A client-made id already used by another site's record tells the sender nothing.

Every capture is answered as if its id were new until its checks pass: a request refused for
its scope or its content gets the same answer (status and body) whether or not its id is
taken. Only a request the checks accept meets the taken id, as the same 409 as a clash with
one's own record (``app.records.taken_id``).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

import pytest
from sqlmodel import Session
from starlette.testclient import TestClient

from tests.handover.helpers import answer, prompt_of, start_handover
from tests.observation.helpers import observation_json
from tests.support import START, World, api_sign_in

Body = dict[str, Any]


def taken_note(client: TestClient, world: World, session: Session) -> tuple[str, Body]:
    """Alice's note at Rosewood; Oscar at Beech sends a note about Ada, who is not his to note."""
    api_sign_in(client, world.carer)
    body = {"id": str(uuid.uuid4()), "person_id": str(world.person.id), "level": 2}
    taken = client.post("/api/v1/engagement-notes", json=body).json()["id"]
    return "/api/v1/engagement-notes", {**body, "id": taken}


def taken_observation(client: TestClient, world: World, session: Session) -> tuple[str, Body]:
    """The Rosewood manager's observation; Beech's manager sends one for Rosewood."""
    api_sign_in(client, world.manager)
    body = observation_json(world, session)
    taken = client.post("/api/v1/observations", json=body).json()["id"]
    return "/api/v1/observations", {**body, "id": taken}


def taken_handover(client: TestClient, world: World, session: Session) -> tuple[str, Body]:
    """Rosewood's handover; Beech's manager starts one at Beech for a shift Beech does not have."""
    api_sign_in(client, world.lead)
    taken = start_handover(client, world)["id"]
    day = START.date().isoformat()
    chosen = {
        "outgoing": {"name": "Elevenses", "date": day},
        "incoming": {"name": "Late", "date": day},
    }
    return "/api/v1/handovers", {"id": taken, "site_id": str(world.other_site.id), **chosen}


def taken_prompt_answer(client: TestClient, world: World, session: Session) -> tuple[str, Body]:
    """An answer at Rosewood's handover; Beech's manager answers Rosewood's prompt at Beech."""
    api_sign_in(client, world.lead)
    prompt_id = prompt_of(session, world.theme)
    rosewood = start_handover(client, world)["id"]
    body = answer(True, "Ada chose the music", prompt_id)
    path = f"/api/v1/handovers/{rosewood}/prompt-responses"
    taken = client.post(path, json=body).json()["id"]
    beech = api_sign_in(TestClient(client.app, headers=client.headers), world.outsider_manager)
    beech_handover = start_handover(beech, world, site_id=str(world.other_site.id))["id"]
    beech.close()
    return f"/api/v1/handovers/{beech_handover}/prompt-responses", {**body, "id": taken}


@pytest.mark.parametrize(
    ("make", "sender"),
    [
        (taken_note, "outsider"),
        (taken_observation, "outsider_manager"),
        (taken_handover, "outsider_manager"),
        (taken_prompt_answer, "outsider_manager"),
    ],
    ids=["note", "observation", "handover", "prompt answer"],
)
def test_a_refused_capture_is_answered_alike_whether_or_not_its_id_is_taken(
    client: TestClient,
    make_client,  # type: ignore[no-untyped-def]
    world: World,
    session: Session,
    make: Callable[[TestClient, World, Session], tuple[str, Body]],
    sender: str,
) -> None:
    path, body = make(client, world, session)
    beech = api_sign_in(make_client(), world.user(sender))
    with_taken_id = beech.post(path, json=body)
    with_new_id = beech.post(path, json={**body, "id": str(uuid.uuid4())})
    assert with_taken_id.status_code == with_new_id.status_code != 409
    assert with_taken_id.json() == with_new_id.json()


def test_a_taken_id_that_passes_the_checks_is_the_same_conflict_as_ones_own(
    client: TestClient,
    make_client,  # type: ignore[no-untyped-def]
    world: World,
    session: Session,
) -> None:
    """Oscar's note about Iris at Beech under Alice's id gets the answer Alice gets for another
    note under her own id: nothing in it says where, or whose, that record is."""
    path, alices = taken_note(client, world, session)
    own_clash = client.post(path, json={**alices, "level": 0})
    oscar = api_sign_in(make_client(), world.outsider)
    theirs = oscar.post(path, json={**alices, "person_id": str(world.other_person.id)})
    assert own_clash.status_code == theirs.status_code == 409
    assert own_clash.json() == theirs.json()


def test_a_synced_note_under_a_taken_id_is_refused_as_under_a_new_one(
    client: TestClient,
    make_client,  # type: ignore[no-untyped-def]
    world: World,
    session: Session,
) -> None:
    """The phone's outbox meets the same rules: the item is refused for its person, not
    reported as a conflict."""
    _path, body = taken_note(client, world, session)
    oscar = api_sign_in(make_client(), world.outsider)
    payload = {key: value for key, value in body.items() if key != "id"}
    items = [
        {"id": item_id, "type": "engagement_note", "payload": payload}
        for item_id in (body["id"], str(uuid.uuid4()))
    ]
    taken, new = oscar.post("/api/v1/sync", json={"items": items}).json()["results"]
    assert taken["status"] == new["status"] == "invalid"
    assert {**taken, "id": None} == {**new, "id": None}
