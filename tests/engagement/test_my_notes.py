"""A care worker puts right a note just saved: "Change it" after saving, and "My notes today"
with each note's "Change it" (an amendment with a reason); the reason for restrictive practice
is asked for in the page before the note is saved."""

from __future__ import annotations

import re

from starlette.testclient import TestClient

from tests.engagement.test_note_pages import open_note_form, record
from tests.support import FrozenClock, World, sign_in


def test_my_notes_today_lists_only_my_notes_of_the_last_24_hours(
    client: TestClient, make_client, world: World, clock: FrozenClock
) -> None:  # type: ignore[no-untyped-def]
    sign_in(client, world.carer)
    mine = record(client, world, activity="Baking")
    colleague = make_client()
    sign_in(colleague, world.colleague)
    record(colleague, world, activity="Gardening")
    assert "My notes today" in client.get("/home").text

    clock.advance(hours=23)
    sign_in(client, world.carer)  # a new shift, a new session
    page = client.get("/my/notes")
    assert page.status_code == 200
    assert re.search(rf'href="[^"]*/notes/{mine.id}/amend">Change it', page.text)
    assert len(re.findall(r"/amend\">Change it", page.text)) == 1  # not the colleague's
    clock.advance(hours=2)
    sign_in(client, world.carer)
    assert "You have not written a note in the last 24 hours." in client.get("/my/notes").text


def test_my_notes_today_is_for_people_who_write_notes(client: TestClient, world: World) -> None:
    sign_in(client, world.quality)
    assert "My notes today" not in client.get("/home").text
    assert "You have not written a note" in client.get("/my/notes").text


def test_a_note_saved_without_the_outbox_offers_change_it(client: TestClient, world: World) -> None:
    sign_in(client, world.carer)
    action, defaults = open_note_form(client, world)
    saved = client.post(action, data={**defaults, "level": "1"}, follow_redirects=True)
    assert re.search(rf'href="[^"]*/notes/{defaults["id"]}/amend">Change it', saved.text)


def test_the_reason_is_required_in_the_page_once_restrictive_practice_is_ticked(
    client: TestClient, world: World
) -> None:
    sign_in(client, world.carer)
    action, defaults = open_note_form(client, world)
    fresh = client.get(f"/people/{world.person.id}/notes/new").text
    assert re.search(r'<textarea[^>]*id="restrictive_reason"[^>]*>', fresh)
    assert not re.search(r'<textarea[^>]*id="restrictive_reason"[^>]* required', fresh)
    assert 'data-required-when="restrictive_practice"' in fresh
    refused = client.post(action, data={**defaults, "level": "0", "restrictive_practice": "other"})
    assert refused.status_code == 422
    assert re.search(r'<textarea[^>]*id="restrictive_reason"[^>]* required', refused.text)
