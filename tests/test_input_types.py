"""Numbers the API takes are bounded and typed: an offset past 2⁶³ is a 422, not a 500 (and a
dropped connection); ``true`` is not the level 1, ``"2"`` is not a number, ``1`` is not a yes.
HTML forms, which send only text, still read their numbers."""

from __future__ import annotations

import uuid

import pytest
from sqlmodel import Session, select
from starlette.testclient import TestClient

from app.engagement.models import EngagementNote
from app.schemas import MAX_OFFSET
from tests.support import World, api_sign_in, sign_in

LISTS = [
    "/api/v1/engagement-notes",
    "/api/v1/observations",
    "/api/v1/handovers",
    "/api/v1/actions",
]


@pytest.mark.parametrize("path", LISTS)
@pytest.mark.parametrize("offset", [2**63, 2**64, MAX_OFFSET + 1, -1])
def test_an_offset_out_of_bounds_is_a_422_naming_it(
    client: TestClient, world: World, path: str, offset: int
) -> None:
    api_sign_in(client, world.manager)
    response = client.get(path, params={"offset": offset})
    assert response.status_code == 422, response.text
    assert [error["field"] for error in response.json()["errors"]] == ["offset"]


@pytest.mark.parametrize("path", LISTS)
def test_the_last_offset_allowed_answers_an_empty_page(
    client: TestClient, world: World, path: str
) -> None:
    api_sign_in(client, world.manager)
    response = client.get(path, params={"offset": MAX_OFFSET, "limit": 200})
    assert response.status_code == 200, response.text
    assert response.json() == {"items": [], "next_offset": None}


def test_the_handover_list_page_refuses_a_huge_offset(client: TestClient, world: World) -> None:
    sign_in(client, world.lead)
    assert client.get(f"/sites/{world.site.id}/handovers?offset={2**63}").status_code == 404


@pytest.mark.parametrize(
    ("level", "reason"),
    [
        (True, "Send a whole number, such as 2."),
        ("2", "Send a whole number, such as 2."),
        (2.0, "Send a whole number, such as 2."),
    ],
)
def test_a_level_must_be_a_json_number(
    client: TestClient, world: World, session: Session, level: object, reason: str
) -> None:
    api_sign_in(client, world.carer)
    note = {"id": str(uuid.uuid4()), "person_id": str(world.person.id), "level": level}
    response = client.post("/api/v1/engagement-notes", json=note)
    assert response.status_code == 422, response.text
    assert response.json()["errors"] == [{"field": "level", "reason": reason}]
    assert session.exec(select(EngagementNote)).all() == []


def test_the_outbox_must_send_json_types_too(client: TestClient, world: World) -> None:
    api_sign_in(client, world.manager)
    note = {"person_id": str(world.person.id), "level": True}
    observation = {
        "site_id": str(world.site.id),
        "theme_id": str(world.theme.id),
        "ratings": {str(uuid.uuid4()): "1"},
    }
    prompt = {"handover_id": str(uuid.uuid4()), "prompt_id": str(uuid.uuid4()), "discussed": 1}
    items = [
        {"id": str(uuid.uuid4()), "type": kind, "payload": payload}
        for kind, payload in [
            ("engagement_note", note),
            ("observation", observation),
            ("handover_prompt_response", prompt),
        ]
    ]
    results = client.post("/api/v1/sync", json={"items": items}).json()["results"]
    assert [result["status"] for result in results] == ["invalid"] * 3
    assert [result["errors"][0]["field"] for result in results] == [
        "level",
        f"ratings.{observation['ratings'].popitem()[0]}",
        "discussed",
    ]
    assert results[2]["errors"][0]["reason"] == "Send true or false."


def test_the_note_form_still_reads_its_level_from_text(
    client: TestClient, world: World, session: Session
) -> None:
    sign_in(client, world.carer)
    form = client.get(f"/people/{world.person.id}/notes/new")
    assert form.status_code == 200
    note_id = str(uuid.uuid4())
    saved = client.post(
        f"/people/{world.person.id}/notes", data={"id": note_id, "level": "3", "activity": "Baking"}
    )
    assert saved.status_code == 303, saved.text
    stored = session.exec(select(EngagementNote)).one()
    assert (str(stored.id), stored.level) == (note_id, 3)
