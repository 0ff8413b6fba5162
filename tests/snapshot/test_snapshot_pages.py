"""The tally page and the snapshot page, as a manager uses them on a phone: counts posted from
the tally, refused beside the tally with what was tapped kept, shown as proportions."""

from __future__ import annotations

import re

import pytest
from sqlmodel import Session, select
from starlette.testclient import TestClient

from app.snapshot.models import InteractionSnapshot
from tests.forms import default_values
from tests.observation.helpers import count, fresh
from tests.snapshot.helpers import take_snapshot
from tests.support import World, sign_in

TALLY = {
    "positive_social": "6",
    "positive_care": "3",
    "neutral": "2",
    "protective_restrictive": "0",
    "restrictive": "1",
}


def open_tally(client: TestClient, world: World) -> tuple[str, dict[str, str], str]:
    page = client.get(f"/sites/{world.site.id}/snapshots/new")
    assert page.status_code == 200
    action = re.search(r'<form method="post" action="([^"]+)"', page.text)
    assert action
    return action.group(1), default_values(page.text), page.text


def field_error(html: str, field: str) -> str:
    found = re.search(
        rf'id="{field}-error"><span class="visually-hidden">Error:</span> ([^<]+)<', html
    )
    assert found, f"no message beside {field}"
    return found.group(1)


def test_a_manager_finds_the_tally_at_home_and_saves_a_snapshot(
    client: TestClient, world: World, session: Session
) -> None:
    sign_in(client, world.manager)
    home = client.get("/home").text
    assert "Snapshot of a room" in home
    action, defaults, page = open_tally(client, world)
    for label in ("Positive social", "Positive care", "Neutral", "Protective but restrictive"):
        assert label in page
    assert "Undo last tap" in page
    assert defaults["positive_social"] == "0"
    assert " style=" not in page, "no inline styles under the strict CSP"
    form = {**defaults, **TALLY, "minutes": "10", "location": "Lounge"}
    saved = client.post(action, data=form)
    assert saved.status_code == 303
    again = client.post(action, data=form)  # a double tap on Save
    assert again.headers["location"] == saved.headers["location"]
    assert count(session, InteractionSnapshot) == 1
    detail = client.get(saved.headers["location"])
    assert detail.status_code == 200
    assert "Snapshot saved." in detail.text
    assert "Snapshot: Lounge" in detail.text
    assert "10 minutes · 12 interactions" in detail.text
    assert "50% (6 of 12)" in detail.text
    assert "8% (1 of 12)" in detail.text
    assert "0% (0 of 12)" in detail.text
    assert "share-bar__part--w50" in detail.text
    assert " style=" not in detail.text


def test_a_quality_lead_finds_the_tally_on_the_site_card(client: TestClient, world: World) -> None:
    sign_in(client, world.quality)
    home = client.get("/home").text
    assert f"/sites/{world.site.id}/snapshots/new" in home
    assert f"/sites/{world.other_site.id}/snapshots/new" in home


def test_nothing_tapped_is_refused_beside_the_tally_keeping_the_room(
    client: TestClient, world: World, session: Session
) -> None:
    sign_in(client, world.manager)
    action, defaults, _page = open_tally(client, world)
    refused = client.post(action, data={**defaults, "minutes": "5", "location": "Lounge"})
    assert refused.status_code == 422
    assert field_error(refused.text, "counts") == "Tap at least one interaction before saving."
    assert 'value="Lounge"' in refused.text
    assert count(session, InteractionSnapshot) == 0


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"neutral": "-1"}, "counts", "Each count is a whole number from 0 to 999."),
        ({"restrictive": "99999999999999999999"}, "counts", "Each count is"),
        ({"positive_care": "two"}, "counts", "Each count is"),
        ({"minutes": "90"}, "minutes", "Watch for 1 to 60 minutes."),
        ({"location": "Lounge\x00"}, "location", "Remove the control character U+0000"),
        ({"location": "x" * 41}, "location", "Use at most 40 characters."),
        ({"started_at": "yesterday"}, "minutes", "Start the tally again"),
    ],
)
def test_bad_answers_are_refused_beside_their_field(
    client: TestClient,
    world: World,
    session: Session,
    change: dict[str, str],
    field: str,
    message: str,
) -> None:
    sign_in(client, world.manager)
    action, defaults, _page = open_tally(client, world)
    refused = client.post(action, data={**defaults, **TALLY, "minutes": "10", **change})
    assert refused.status_code == 422
    assert field_error(refused.text, field).startswith(message)
    assert 'value="6"' in refused.text, "the tally is kept"
    assert count(session, InteractionSnapshot) == 0


def test_who_may_open_the_tally_and_the_snapshot(
    make_client, world: World, session: Session
) -> None:  # type: ignore[no-untyped-def]
    snapshot = take_snapshot(session, world)
    for persona, tally, detail in (
        ("carer", 403, 403),
        ("lead", 403, 403),
        ("outsider", 404, 404),
        ("admin", 403, 200),
    ):
        client = make_client()
        sign_in(client, world.user(persona))
        assert client.get(f"/sites/{world.site.id}/snapshots/new").status_code == tally, persona
        assert client.get(f"/snapshots/{snapshot.id}").status_code == detail, persona
        if persona == "carer":
            assert "Snapshot of a room" not in client.get("/home").text


def test_the_snapshot_page_names_the_theme_and_who_took_it(
    client: TestClient, world: World, session: Session
) -> None:
    snapshot = take_snapshot(session, world, by="quality", theme_id=str(world.theme.id))
    sign_in(client, world.manager)
    page = client.get(f"/snapshots/{snapshot.id}").text
    assert world.theme.title in page
    assert world.quality.name in page
    stored = fresh(session).exec(select(InteractionSnapshot)).one()
    assert stored.observer_id == world.quality.id
