"""``GET /api/v1/governance/signals`` and the flags it raises: a theme at a site read as XmR
charts per indicator and shift, over the last 26 complete weeks, scoped like every read."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from sqlmodel import Session
from starlette.testclient import TestClient

from tests.governance import helpers
from tests.support import START, FrozenClock, World, api_sign_in

URL = "/api/v1/governance/signals"
LAST_WEEK = date(2026, 11, 16)  # the last complete week before START (Monday 23 November)


def tuesdays(weeks: int) -> list[datetime]:
    """10:00 UTC (the Early shift at Rosewood, winter or summer) on the Tuesday of each of the
    last ``weeks`` complete weeks, oldest first."""
    last = datetime(2026, 11, 17, 10, tzinfo=UTC)
    return [last - timedelta(weeks=back) for back in reversed(range(weeks))]


def observe_early(session: Session, world: World, ratings: list[tuple[int, ...]]) -> None:
    for at, rated in zip(tuesdays(len(ratings)), ratings, strict=True):
        helpers.observation(session, world, at, ratings=rated)


def ask(client: TestClient, world: World, **params: Any) -> Any:
    query = {"theme_id": str(world.theme.id), "site_id": str(world.site.id)} | params
    return client.get(URL, params=query)


def signal(body: dict[str, Any], indicator: str, shift: str) -> dict[str, Any]:
    return next(
        item for item in body["signals"] if (item["indicator"], item["shift"]) == (indicator, shift)
    )


def test_fourteen_weeks_of_early_observations_make_a_chart_with_limits(
    client: TestClient, session: Session, world: World
) -> None:
    observe_early(session, world, [(2, 2, 2), (2, 2, 1)] * 7)
    api_sign_in(client, world.manager)

    response = ask(client, world)

    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["first_week"], body["last_week"]) == ("2026-08-17", "2026-11-16")
    early = signal(body, "practice_score", "Early")
    assert len(early["points"]) == 14  # from the first week with records
    assert all(point["value"] is not None for point in early["points"])
    assert {point["records"] for point in early["points"]} == {1}
    assert early["target"] == 80.0
    assert early["limits_note"] is None
    assert early["lower_limit"] < early["mean"] < early["upper_limit"]
    assert early["variation"]["kind"] == "common_cause"
    night = signal(body, "practice_score", "Night")
    assert night["limits_note"]
    assert night["variation"]["kind"] == "not_enough_data"
    assert {item["shift"]: item["last_observed"] for item in body["observed"]} == {
        "Early": "2026-11-17",
        "Late": None,
        "Night": None,
    }
    never = {flag["shift"] for flag in body["flags"] if flag["kind"] == "not_observed"}
    assert never == {"Late", "Night"}


def test_a_shift_not_observed_for_28_days_is_flagged_with_the_days(
    client: TestClient, session: Session, world: World, clock: FrozenClock
) -> None:
    observe_early(session, world, [(2, 2, 2)])
    clock.set(START + timedelta(days=20))  # 13 December: 26 days since 17 November
    api_sign_in(client, world.manager)

    early_flags = [f for f in ask(client, world).json()["flags"] if f["shift"] == "Early"]
    assert early_flags == []

    clock.set(START + timedelta(days=22))
    api_sign_in(client, world.manager)
    early_flags = [f for f in ask(client, world).json()["flags"] if f["shift"] == "Early"]
    assert [(f["kind"], f["words"]) for f in early_flags] == [
        ("not_observed", "Early: not observed for 28 days")
    ]


def test_practice_under_target_two_weeks_running_is_flagged(
    client: TestClient, session: Session, world: World
) -> None:
    observe_early(session, world, [(2, 2, 2), (1, 1, 1), (0, 1, 1)])
    api_sign_in(client, world.manager)

    flags = ask(client, world).json()["flags"]

    under = [flag for flag in flags if flag["kind"] == "under_target"]
    assert [(flag["shift"], flag["indicator"]) for flag in under] == [("Early", "practice_score")]


def test_one_week_under_target_is_not_yet_a_flag(
    client: TestClient, session: Session, world: World
) -> None:
    observe_early(session, world, [(1, 1, 1), (2, 2, 2), (0, 1, 1)])
    api_sign_in(client, world.manager)

    assert not [f for f in ask(client, world).json()["flags"] if f["kind"] == "under_target"]


@pytest.mark.parametrize("persona", ["carer", "lead"])
def test_carers_and_team_leads_may_not(client: TestClient, world: World, persona: str) -> None:
    api_sign_in(client, world.user(persona))
    assert ask(client, world).status_code == 403


def test_another_sites_manager_finds_nothing(client: TestClient, world: World) -> None:
    api_sign_in(client, world.outsider_manager)
    assert ask(client, world).status_code == 404


def test_a_theme_not_at_the_site_is_not_found(client: TestClient, world: World) -> None:
    api_sign_in(client, world.quality)
    assert ask(client, world, theme_id=str(world.other_theme.id)).status_code == 404


def test_the_site_is_needed(client: TestClient, world: World) -> None:
    api_sign_in(client, world.manager)
    response = client.get(URL, params={"theme_id": str(world.theme.id)})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "site_id"


def test_a_fall_too_strong_to_be_chance_is_a_concern_flag_saying_why(
    client: TestClient, session: Session, world: World
) -> None:
    observe_early(session, world, [(2, 2, 2)] * 7 + [(1, 1, 1)] * 7)
    api_sign_in(client, world.manager)

    body = ask(client, world).json()

    assert signal(body, "practice_score", "Early")["variation"]["kind"] == "special_cause_concern"
    concern = [flag for flag in body["flags"] if flag["kind"] == "special_cause_concern"]
    assert [(flag["shift"], flag["indicator"]) for flag in concern] == [("Early", "practice_score")]
    assert concern[0]["words"].startswith("Early, practice score: special cause concern — ")


def report_and_observe(session: Session, world: World, weeks: int, *, reported: int) -> None:
    """Each Tuesday's Early: a note with the theme at ``reported`` and an observation scoring
    50 (every behaviour partly seen), so staff and managers differ by ``reported``'s share."""
    for at in tuesdays(weeks):
        helpers.note(session, world, at, level=reported, theme_id=world.theme.id)
        helpers.observation(session, world, at, ratings=(1, 1, 1))


def gap_flags(client: TestClient, world: World) -> list[tuple[str, str]]:
    api_sign_in(client, world.manager)
    flags = ask(client, world).json()["flags"]
    return [(flag["shift"], flag["words"]) for flag in flags if flag["kind"] == "self_report_gap"]


def test_staff_reporting_far_more_than_managers_see_four_weeks_running_is_flagged(
    client: TestClient, session: Session, world: World
) -> None:
    report_and_observe(session, world, 4, reported=2)  # 100 reported against 50 observed

    assert gap_flags(client, world) == [
        ("Early", "Early: staff report 50 points more than managers observe, 4 weeks running")
    ]


def test_three_weeks_of_a_gap_is_not_yet_lasting(
    client: TestClient, session: Session, world: World
) -> None:
    report_and_observe(session, world, 3, reported=2)

    assert gap_flags(client, world) == []


def test_staff_reporting_far_less_than_managers_see_is_a_gap_too(
    client: TestClient, session: Session, world: World
) -> None:
    report_and_observe(session, world, 4, reported=1)  # 0 reported against 50 observed

    assert gap_flags(client, world) == [
        ("Early", "Early: staff report 50 points less than managers observe, 4 weeks running")
    ]


def test_the_organisation_sets_how_wide_and_how_long_a_gap_must_be(
    client: TestClient, session: Session, world: World
) -> None:
    report_and_observe(session, world, 3, reported=2)
    api_sign_in(client, world.quality)
    criteria = client.get("/api/v1/governance/criteria").json()
    saved = client.put(
        "/api/v1/governance/criteria", json=criteria | {"gap_points": 60, "gap_weeks": 3}
    )
    assert saved.status_code == 200, saved.text
    assert gap_flags(client, world) == []

    api_sign_in(client, world.quality)
    client.put("/api/v1/governance/criteria", json=criteria | {"gap_points": 50, "gap_weeks": 3})
    assert [shift for shift, _ in gap_flags(client, world)] == ["Early"]


def test_a_theme_discussed_at_under_half_the_handovers_is_flagged(
    client: TestClient, session: Session, world: World
) -> None:
    late, night = ("Late", LAST_WEEK + timedelta(days=1)), ("Night", LAST_WEEK + timedelta(days=1))
    early = ("Early", LAST_WEEK + timedelta(days=1))
    at = datetime(2026, 11, 17, 13, tzinfo=UTC)
    helpers.handover(session, world, early, late, at, answers=(True,))
    helpers.handover(session, world, late, night, at + timedelta(hours=7), answers=(False,))
    api_sign_in(client, world.manager)

    flags = ask(client, world).json()["flags"]

    low = [(f["shift"], f["words"]) for f in flags if f["kind"] == "low_prompt_coverage"]
    assert low == [("Late", "Late: the theme was discussed at 0 % of handover prompts")]
