"""Text is plain text everywhere: a NUL byte or another control character is refused with a 422
naming the field (PostgreSQL cannot store NUL, and nobody types one), never a 500; in a sync
batch only the item that holds it is refused."""

from __future__ import annotations

import uuid

import pytest
from sqlmodel import Session, select
from starlette.testclient import TestClient

from app.engagement.models import EngagementNote, QuickPick
from app.org.models import PersonSupported
from tests.org.test_invitations import STRONG_PASSWORD, invitation_path, invite
from tests.support import PASSWORD, World, api_sign_in, sign_in

REFUSED = ["\x00", "\x01", "\x1b", "\x7f", "\x85"]


def note(world: World, **content: object) -> dict[str, object]:
    return {"id": str(uuid.uuid4()), "person_id": str(world.person.id), "level": 2, **content}


def saved_notes(session: Session) -> set[str]:
    session.rollback()
    return {str(note_id) for note_id in session.exec(select(EngagementNote.id))}


@pytest.mark.parametrize("character", REFUSED)
def test_a_control_character_in_a_note_is_refused_naming_the_field(
    client: TestClient, world: World, session: Session, character: str
) -> None:
    api_sign_in(client, world.carer)
    response = client.post(
        "/api/v1/engagement-notes", json=note(world, helped_note=f"Sang{character} along")
    )
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    [error] = response.json()["errors"]
    assert error["field"] == "helped_note"
    assert f"U+{ord(character):04X}" in error["reason"]
    assert saved_notes(session) == set()


def test_tabs_and_line_breaks_are_kept_where_text_has_lines(
    client: TestClient, world: World
) -> None:
    api_sign_in(client, world.carer)
    kept = client.post(
        "/api/v1/engagement-notes",
        json=note(
            world, restrictive_practice="other", restrictive_reason="Door\tlocked\r\nbriefly"
        ),
    )
    assert kept.status_code == 201, kept.text
    assert kept.json()["restrictive_reason"] == "Door\tlocked\r\nbriefly"
    one_line = client.post("/api/v1/engagement-notes", json=note(world, activity="Garden\nwalk"))
    assert one_line.status_code == 422
    assert one_line.json()["errors"] == [{"field": "activity", "reason": "Keep this to one line."}]


def test_a_nul_in_one_sync_item_refuses_that_item_and_saves_the_others(
    client: TestClient, world: World, session: Session
) -> None:
    api_sign_in(client, world.carer)
    good, poisoned, after = note(world), note(world, activity="Tea\x00"), note(world)
    items = [
        {"id": payload["id"], "type": "engagement_note", "payload": payload}
        for payload in (good, poisoned, after)
    ]
    items.append({"id": "bad\x00id", "type": "engagement_note", "payload": note(world)})
    response = client.post("/api/v1/sync", json={"items": items})
    assert response.status_code == 200, response.text
    results = response.json()["results"]
    assert [result["status"] for result in results] == ["created", "invalid", "created", "invalid"]
    assert results[1]["errors"][0]["field"] == "activity"
    assert "U+0000" in results[1]["errors"][0]["reason"]
    assert results[3]["errors"][0]["field"] == "id"
    assert saved_notes(session) == {good["id"], after["id"]}


def test_a_nul_at_sign_in_is_a_422_on_the_page_and_in_the_api(
    client: TestClient, world: World
) -> None:
    page = client.post("/login", data={"email": f"{world.carer.email}\x00", "password": PASSWORD})
    assert page.status_code == 422
    assert 'id="email-error"' in page.text
    api = client.post(
        "/api/v1/auth/login", json={"email": world.carer.email, "password": f"{PASSWORD}\x00"}
    )
    assert api.status_code == 422
    assert api.json()["errors"][0]["field"] == "password"


FORMS = {
    "person": ("people", {"preferred_name": "Bea\x00", "room": "2"}, "preferred_name"),
    "quick picks": ("quick-picks", {"helped": "Music\nTea\x00", "hindered": ""}, "helped"),
}


@pytest.mark.parametrize("form", FORMS.values(), ids=FORMS.keys())
def test_a_nul_in_a_form_re_renders_it_beside_the_field(
    client: TestClient, world: World, session: Session, form: tuple[str, dict[str, str], str]
) -> None:
    page, data, field = form
    sign_in(client, world.manager)
    response = client.post(f"/sites/{world.site.id}/{page}", data=data)
    assert response.status_code == 422
    assert f'id="{field}-error"' in response.text
    assert "U+0000" in response.text
    session.rollback()
    assert session.exec(select(QuickPick)).all() == []
    assert "Bea" not in [person.preferred_name for person in session.exec(select(PersonSupported))]


def test_a_nul_in_an_invitation_password_is_refused(
    client: TestClient, make_client, world: World
) -> None:  # type: ignore[no-untyped-def]
    sign_in(client, world.manager)
    path = invitation_path(invite(client, world))
    newcomer = make_client()
    password = f"{STRONG_PASSWORD}\x00"
    answer = newcomer.post(path, data={"password": password, "confirm_password": password})
    assert answer.status_code == 422
    assert 'id="password-error"' in answer.text
    assert newcomer.get(path).status_code == 200  # still open: nothing was written
