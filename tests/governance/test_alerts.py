"""Drift alerts: raised once per condition by a check, seen and resolved by a manager or
quality lead saying how, raised again if the drift is still there after it was resolved."""

from __future__ import annotations

from typing import Any

import pytest
from sqlmodel import Session, select
from starlette.testclient import TestClient

from app.governance.check import check_organisation
from app.governance.models import DriftAlert, FlagKind
from tests.governance.test_signals import observe_early
from tests.handover.test_handover_race import race
from tests.support import START, World, api_sign_in, sign_in

UNDER_TARGET = [(2, 2, 2), (1, 1, 1), (0, 1, 1)]  # Early under 80 for the last two weeks


def check(session: Session, world: World) -> list[DriftAlert]:
    raised = check_organisation(session, organisation_id=world.organisation.id, now=START).alerts
    session.commit()
    return raised


def early_alert(session: Session, world: World) -> DriftAlert:
    observe_early(session, world, UNDER_TARGET)
    raised = check(session, world)
    return next(alert for alert in raised if alert.kind is FlagKind.under_target)


def resolve(client: TestClient, alert: DriftAlert, resolution: str = "Coached the team") -> Any:
    path = f"/api/v1/governance/alerts/{alert.id}/resolve"
    return client.post(path, json={"resolution": resolution})


def test_a_check_raises_each_flag_once_and_again_only_after_it_is_resolved(
    client: TestClient, session: Session, world: World
) -> None:
    observe_early(session, world, UNDER_TARGET)

    raised = [alert for alert in check(session, world) if alert.theme_id == world.theme.id]
    kinds = sorted((alert.kind.value, alert.shift) for alert in raised)
    assert kinds == [
        ("not_observed", "Late"),
        ("not_observed", "Night"),
        ("under_target", "Early"),
    ]
    assert check(session, world) == []

    api_sign_in(client, world.manager)
    under = next(alert for alert in raised if alert.kind is FlagKind.under_target)
    assert resolve(client, under).status_code == 200
    again = check(session, world)
    assert [(alert.kind, alert.shift) for alert in again] == [(FlagKind.under_target, "Early")]
    ours = select(DriftAlert).where(DriftAlert.theme_id == world.theme.id)
    assert len(session.exec(ours).all()) == 4


def test_a_manager_sees_then_resolves_an_alert_and_a_second_resolve_is_refused(
    client: TestClient, session: Session, world: World
) -> None:
    alert = early_alert(session, world)
    api_sign_in(client, world.manager)

    listed = client.get("/api/v1/governance/alerts", params={"site_id": str(world.site.id)})
    assert alert.words in [item["words"] for item in listed.json()["alerts"]]
    seen = client.post(f"/api/v1/governance/alerts/{alert.id}/seen").json()
    assert seen["seen_by_id"] == str(world.manager.id)

    done = resolve(client, alert, "Observed nights twice this week; practice talked through.")
    assert done.status_code == 200
    assert done.json()["resolved_by_id"] == str(world.manager.id)
    assert resolve(client, alert).status_code == 409
    listed = client.get("/api/v1/governance/alerts").json()["alerts"]
    assert alert.words not in [item["words"] for item in listed]


def test_resolving_without_saying_how_is_refused_naming_the_field(
    client: TestClient, session: Session, world: World
) -> None:
    alert = early_alert(session, world)
    api_sign_in(client, world.quality)
    response = resolve(client, alert, "  ")
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "resolution"


@pytest.mark.parametrize(("persona", "status"), [("carer", 403), ("outsider_manager", 404)])
def test_others_may_not_resolve(
    client: TestClient, session: Session, world: World, persona: str, status: int
) -> None:
    alert = early_alert(session, world)
    api_sign_in(client, world.user(persona))
    assert resolve(client, alert).status_code == status


def test_two_people_resolving_at_once_one_is_kept(
    make_client, session: Session, world: World
) -> None:  # type: ignore[no-untyped-def]
    alert = early_alert(session, world)
    people = [make_client(), make_client()]
    api_sign_in(people[0], world.manager)
    api_sign_in(people[1], world.quality)

    answers = race(people, lambda person: resolve(person, alert).status_code)

    assert sorted(answers) == [200, 409]  # type: ignore[type-var]


def test_on_the_pages_a_manager_resolves_it_from_home(
    client: TestClient, session: Session, world: World
) -> None:
    alert = early_alert(session, world)
    sign_in(client, world.manager)
    assert '3<span class="visually-hidden"> drift alerts' in client.get("/home").text
    dashboard = client.get(f"/sites/{world.site.id}/governance").text
    assert f"/alerts/{alert.id}" in dashboard

    empty = client.post(f"/alerts/{alert.id}/resolve", data={"resolution": ""})
    assert empty.status_code == 422
    assert "Say how it was resolved" in empty.text
    done = client.post(f"/alerts/{alert.id}/resolve", data={"resolution": "Coached nights"})
    assert done.status_code == 303
    page = client.get(done.headers["location"]).text
    assert "Coached nights" in page
    assert "Resolve the alert" not in page
