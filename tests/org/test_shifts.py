"""The shift pattern: everyone at a site reads it; managers and admins change it."""

from __future__ import annotations

from datetime import time

import pytest
from sqlmodel import Session, col, select
from starlette.testclient import TestClient

from app.org.models import Shift
from tests.org.helpers import assert_refused_beside, audit_actions, fresh, signed_in
from tests.support import World


def pattern(session: Session, world: World) -> list[tuple[str, time, time]]:
    shifts = fresh(session).exec(
        select(Shift).where(Shift.site_id == world.site.id).order_by(col(Shift.position))
    )
    return [(shift.name, shift.starts_at, shift.ends_at) for shift in shifts]


def rows(*shifts: tuple[str, str, str]) -> dict[str, str]:
    form: dict[str, str] = {}
    for index, (name, starts_at, ends_at) in enumerate(shifts):
        form |= {
            f"shifts.{index}.name": name,
            f"shifts.{index}.starts_at": starts_at,
            f"shifts.{index}.ends_at": ends_at,
        }
    return form


ORIGINAL = [
    ("Early", time(7, 0), time(14, 30)),
    ("Late", time(14, 0), time(21, 30)),
    ("Night", time(21, 0), time(7, 30)),
]


@pytest.mark.parametrize("persona", ["carer", "lead"])
def test_care_worker_and_team_lead_read_the_pattern_without_a_form(
    client: TestClient, world: World, persona: str
) -> None:
    page = signed_in(client, world, persona).get(f"/sites/{world.site.id}/shifts")
    assert page.status_code == 200
    assert "07:00 to 14:30" in page.text
    assert "21:00 to 07:30 the next day" in page.text
    assert "local time at the site (Europe/London)" in page.text
    assert '<form method="post" action="' + f"/sites/{world.site.id}/shifts" not in page.text
    assert "Save shift pattern" not in page.text


def test_manager_gets_the_pattern_as_a_form_with_blank_rows_to_add_a_shift(
    client: TestClient, world: World
) -> None:
    page = signed_in(client, world, "manager").get(f"/sites/{world.site.id}/shifts")
    assert page.status_code == 200
    assert 'name="shifts.0.name" type="text" value="Early"' in page.text
    assert 'name="shifts.2.ends_at" type="time" value="07:30"' in page.text
    assert 'name="shifts.5.name" type="text" value=""' in page.text
    assert 'name="shifts.6.name"' not in page.text
    assert '<label class="field__label" for="shifts-5-starts_at">Starts</label>' in page.text


def test_manager_replaces_the_pattern_and_rows_left_blank_are_dropped(
    client: TestClient, world: World, session: Session
) -> None:
    signed_in(client, world, "manager")
    form = rows(("Day", "08:00", "20:00"), ("", "", ""), ("Long night", "19:30", "08:15"))
    response = client.post(f"/sites/{world.site.id}/shifts", data=form)
    assert response.status_code == 303
    assert response.headers["location"].endswith(f"/sites/{world.site.id}/shifts")
    assert pattern(session, world) == [
        ("Day", time(8, 0), time(20, 0)),
        ("Long night", time(19, 30), time(8, 15)),
    ]
    assert ("set_shift_pattern", "site", "shifts=2") in audit_actions(session)
    assert "19:30 to 08:15 the next day" in client.get(f"/sites/{world.site.id}/shifts").text


def test_the_new_pattern_decides_the_shift_every_page_shows(
    client: TestClient, make_client, world: World
) -> None:  # type: ignore[no-untyped-def]
    carer = signed_in(make_client(), world, "carer")
    people = f"/sites/{world.site.id}/people"
    assert "Early shift" in carer.get(people).text  # 10:00 in London
    signed_in(client, world, "manager").post(
        f"/sites/{world.site.id}/shifts", data=rows(("Day", "08:00", "20:00"))
    )
    assert "Day shift" in carer.get(people).text


def test_admin_may_change_any_sites_pattern(
    client: TestClient, world: World, session: Session
) -> None:
    signed_in(client, world, "admin")
    response = client.post(f"/sites/{world.site.id}/shifts", data=rows(("Day", "08:00", "20:00")))
    assert response.status_code == 303
    assert [name for name, _, _ in pattern(session, world)] == ["Day"]


@pytest.mark.parametrize(
    ("form", "field", "message"),
    [
        (
            rows(("Day", "08:00", "20:00"), ("Night", "25:99", "08:00")),
            "shifts-1-starts_at",
            "Enter a time like 07:00.",
        ),
        (
            rows(("Day", "08:00", "20:00"), ("day", "20:00", "08:00")),
            "shifts-1-name",
            "Give each shift a different name.",
        ),
        (rows(("", "08:00", "20:00")), "shifts-0-name", "This cannot be empty."),
        (rows(("x" * 10_000, "08:00", "20:00")), "shifts-0-name", "Use at most 40 characters."),
        (rows(("Day", "08:00", "")), "shifts-0-ends_at", "Enter a time like 07:00."),
        (
            rows(("Day", "08:00", "08:00")),
            "shifts-0-ends_at",
            "A shift must end at a different time",
        ),
        (rows(("", "", "")), "shifts", "Add at least one shift."),
        (
            rows(*[(f"Shift {n}", "08:00", "20:00") for n in range(13)]),
            "shifts",
            "Use at most 12 shifts.",
        ),
    ],
)
def test_pattern_form_says_what_is_wrong_beside_the_row_and_changes_nothing(
    client: TestClient,
    world: World,
    session: Session,
    form: dict[str, str],
    field: str,
    message: str,
) -> None:
    signed_in(client, world, "manager")
    response = client.post(f"/sites/{world.site.id}/shifts", data=form)
    assert_refused_beside(response, field)
    assert message in response.text
    assert pattern(session, world) == ORIGINAL


def test_refused_pattern_comes_back_as_it_was_typed(client: TestClient, world: World) -> None:
    signed_in(client, world, "manager")
    form = rows(("Day", "08:00", "20:00"), ("Twilight", "25:99", "08:00"))
    response = client.post(f"/sites/{world.site.id}/shifts", data=form)
    assert 'name="shifts.1.name" type="text" value="Twilight"' in response.text
    assert 'name="shifts.1.starts_at" type="time" value="25:99"' in response.text


def test_team_lead_cannot_change_the_pattern(
    client: TestClient, world: World, session: Session
) -> None:
    signed_in(client, world, "lead")
    response = client.post(f"/sites/{world.site.id}/shifts", data=rows(("Day", "08:00", "20:00")))
    assert response.status_code == 403
    assert pattern(session, world) == ORIGINAL


def test_another_sites_manager_cannot_see_or_change_the_pattern(
    client: TestClient, world: World, session: Session
) -> None:
    signed_in(client, world, "outsider_manager")
    assert client.get(f"/sites/{world.site.id}/shifts").status_code == 404
    response = client.post(f"/sites/{world.site.id}/shifts", data=rows(("Day", "08:00", "20:00")))
    assert response.status_code == 404
    assert pattern(session, world) == ORIGINAL
