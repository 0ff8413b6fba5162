"""An organisation's criteria: a quality lead changes what counts as embedded, and the check and
the dashboards read with it; bad input is refused naming the field and changes nothing."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session
from starlette.testclient import TestClient

from tests.governance.test_lifecycle import observe_every_shift, proposals
from tests.support import World, api_sign_in, sign_in

URL = "/api/v1/governance/criteria"
DEFAULTS = {
    "practice_target": 80,
    "explain_target": 80,
    "weeks_to_embed": 8,
    "observe_every_days": 28,
    "prompt_coverage_floor": 50,
    "gap_points": 25,
    "gap_weeks": 4,
    "require_passing_assurance": False,
}


def put(client: TestClient, **changes: Any) -> Any:
    return client.put(URL, json=DEFAULTS | changes)


def test_four_weeks_embed_once_the_quality_lead_says_so(
    client: TestClient, session: Session, world: World
) -> None:
    observe_every_shift(session, world, weeks=4)
    assert [p for p in proposals(session) if p.theme_id == world.theme.id] == []

    api_sign_in(client, world.quality)
    assert put(client, weeks_to_embed=4).json()["weeks_to_embed"] == 4

    [proposal] = [p for p in proposals(session) if p.theme_id == world.theme.id]
    assert "for 4 weeks running (needed: 4)" in proposal.evidence[0]


def test_everyone_reads_them_and_only_quality_leads_and_admins_change_them(
    client: TestClient, world: World
) -> None:
    api_sign_in(client, world.manager)
    assert client.get(URL).json() == DEFAULTS
    assert put(client, weeks_to_embed=4).status_code == 403
    api_sign_in(client, world.admin)
    assert put(client, practice_target=85).status_code == 200
    assert client.get(URL).json()["practice_target"] == 85


def test_bad_criteria_are_refused_naming_the_field(client: TestClient, world: World) -> None:
    api_sign_in(client, world.quality)
    for field, value in (
        ("weeks_to_embed", 0),
        ("practice_target", 101),
        ("gap_weeks", "4"),
        ("observe_every_days", True),
        ("require_passing_assurance", 1),
    ):
        answer = put(client, **{field: value})
        assert answer.status_code == 422, field
        assert answer.json()["errors"][0]["field"] == field
    assert client.get(URL).json() == DEFAULTS


def test_on_the_page_a_wrong_number_is_shown_beside_its_field(
    client: TestClient, world: World
) -> None:
    sign_in(client, world.quality)
    form = {name: str(value).lower() for name, value in DEFAULTS.items()}
    assert 'value="80"' in client.get("/governance/criteria").text

    wrong = client.post("/governance/criteria", data=form | {"weeks_to_embed": "none"})
    assert wrong.status_code == 422
    assert "Enter a number of weeks from 2 to 52." in wrong.text
    for not_whole in ("4.0", "1_0"):  # a number as typed, not as Python reads it
        wrong = client.post("/governance/criteria", data=form | {"weeks_to_embed": not_whole})
        assert wrong.status_code == 422, not_whole
    saved = client.post("/governance/criteria", data=form | {"gap_points": "30"})
    assert saved.status_code == 303
    assert "Criteria saved" in client.get(saved.headers["location"]).text
