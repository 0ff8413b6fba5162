"""People supported: everyone at a site sees who is supported there; managers and admins add
people and change their details; the people API."""

from __future__ import annotations

import pytest
from sqlmodel import Session, select
from starlette.testclient import TestClient

from app.org import service as org_service
from app.org.models import PersonSupported
from app.org.schemas import PersonInput
from tests.org.helpers import assert_refused_beside, audit_actions, fresh, signed_in
from tests.support import START, World, actor_for, make_person


@pytest.fixture
def moved_out(world: World, session: Session) -> PersonSupported:
    """Bea, who has moved out of Rosewood House."""
    admin = actor_for(session, world.admin)
    person = make_person(session, admin, world.site, "Bea")
    org_service.update_person(
        session,
        actor=admin,
        person=person,
        data=PersonInput(preferred_name="Bea", room="2", active=False),
        now=START,
    )
    session.commit()
    return person


def people_at(session: Session, world: World) -> list[tuple[str, str, bool]]:
    found = fresh(session).exec(
        select(PersonSupported)
        .where(PersonSupported.site_id == world.site.id)
        .order_by(PersonSupported.preferred_name)
    )
    return [(person.preferred_name, person.room, person.active) for person in found]


def test_care_worker_sees_who_is_supported_but_not_who_moved_out(
    client: TestClient, world: World, moved_out: PersonSupported
) -> None:
    page = signed_in(client, world, "carer").get(f"/sites/{world.site.id}/people")
    assert page.status_code == 200
    assert "Ada" in page.text
    assert "Bea" not in page.text
    assert "Moved out" not in page.text
    assert "Add a person" not in page.text
    assert f"/people/{world.person.id}/edit" not in page.text


def test_manager_sees_who_moved_out_apart_and_can_change_details(
    client: TestClient, world: World, moved_out: PersonSupported
) -> None:
    page = signed_in(client, world, "manager").get(f"/sites/{world.site.id}/people")
    assert page.status_code == 200
    current, _, earlier = page.text.partition("Moved out")
    assert "Ada" in current
    assert "Bea" not in current
    assert "Bea" in earlier
    assert "Add a person" in page.text
    assert f"/people/{world.person.id}/edit" in page.text
    assert f"/people/{moved_out.id}/edit" in page.text


def test_manager_adds_a_person(client: TestClient, world: World, session: Session) -> None:
    signed_in(client, world, "manager")
    form = client.get(f"/sites/{world.site.id}/people/new")
    assert '<label class="field__label" for="preferred_name">Preferred name</label>' in form.text
    assert 'name="active"' not in form.text
    response = client.post(
        f"/sites/{world.site.id}/people", data={"preferred_name": " Cath ", "room": "Flat 3"}
    )
    assert response.status_code == 303
    assert response.headers["location"].endswith(f"/sites/{world.site.id}/people")
    assert ("Cath", "Flat 3", True) in people_at(session, world)
    assert ("create", "person_supported", "") in audit_actions(session)


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"preferred_name": "  "}, "preferred_name"),
        ({"preferred_name": "x" * 10_000}, "preferred_name"),
        ({"room": "r" * 10_000}, "room"),
    ],
)
def test_new_person_form_says_what_is_wrong_and_adds_nothing(
    client: TestClient, world: World, session: Session, data: dict[str, str], field: str
) -> None:
    signed_in(client, world, "manager")
    before = people_at(session, world)
    response = client.post(
        f"/sites/{world.site.id}/people", data={"preferred_name": "Cath", "room": "", **data}
    )
    assert_refused_beside(response, field)
    assert people_at(session, world) == before


def test_manager_records_that_a_person_has_moved_out_and_back(
    client: TestClient, world: World, session: Session
) -> None:
    signed_in(client, world, "manager")
    edit = client.get(f"/people/{world.person.id}/edit")
    assert 'value="Ada"' in edit.text
    assert "Yes, still supported here" in edit.text
    moved = client.post(
        f"/people/{world.person.id}/edit", data={"preferred_name": "Ada", "room": "1"}
    )
    assert moved.status_code == 303
    assert people_at(session, world) == [("Ada", "1", False)]
    back = client.post(
        f"/people/{world.person.id}/edit",
        data={"preferred_name": "Ada L", "room": "4", "active": "yes"},
    )
    assert back.status_code == 303
    assert people_at(session, world) == [("Ada L", "4", True)]
    assert ("update", "person_supported", "") in audit_actions(session)


def test_changing_a_person_with_a_blank_name_changes_nothing(
    client: TestClient, world: World, session: Session
) -> None:
    signed_in(client, world, "manager")
    response = client.post(
        f"/people/{world.person.id}/edit", data={"preferred_name": "", "room": "9"}
    )
    assert_refused_beside(response, "preferred_name")
    assert 'value="9"' in response.text
    assert people_at(session, world) == [("Ada", "1", True)]


@pytest.mark.parametrize("persona", ["carer", "lead"])
def test_care_worker_and_team_lead_cannot_add_or_change_people(
    client: TestClient, world: World, session: Session, persona: str
) -> None:
    signed_in(client, world, persona)
    site_id, person_id = world.site.id, world.person.id
    assert client.get(f"/sites/{site_id}/people/new").status_code == 403
    assert client.get(f"/people/{person_id}/edit").status_code == 403
    added = client.post(f"/sites/{site_id}/people", data={"preferred_name": "Cath"})
    changed = client.post(f"/people/{person_id}/edit", data={"preferred_name": "Zed"})
    assert (added.status_code, changed.status_code) == (403, 403)
    assert people_at(session, world) == [("Ada", "1", True)]


def test_manager_cannot_change_a_person_at_another_site(
    client: TestClient, world: World, session: Session
) -> None:
    signed_in(client, world, "manager")
    other = world.other_person.id
    assert client.get(f"/people/{other}/edit").status_code == 404
    response = client.post(f"/people/{other}/edit", data={"preferred_name": "Zed", "room": ""})
    assert response.status_code == 404
    assert fresh(session).get_one(PersonSupported, other).preferred_name == "Iris"


def test_outsider_cannot_read_people_of_another_site(client: TestClient, world: World) -> None:
    signed_in(client, world, "outsider")
    assert client.get(f"/sites/{world.site.id}/people").status_code == 404
    assert client.get(f"/api/v1/sites/{world.site.id}/people").status_code == 404


def test_api_lists_people_supported_now(
    client: TestClient, world: World, moved_out: PersonSupported
) -> None:
    response = signed_in(client, world, "carer").get(f"/api/v1/sites/{world.site.id}/people")
    assert response.status_code == 200
    assert response.json() == [
        {
            "id": str(world.person.id),
            "site_id": str(world.site.id),
            "preferred_name": "Ada",
            "room": "1",
            "active": True,
        }
    ]


@pytest.mark.parametrize("persona", ["manager", "admin"])
def test_api_adds_people_who_moved_out_for_managers_and_admins(
    client: TestClient, world: World, moved_out: PersonSupported, persona: str
) -> None:
    response = signed_in(client, world, persona).get(
        f"/api/v1/sites/{world.site.id}/people", params={"include_moved_out": "true"}
    )
    assert response.status_code == 200
    assert [(p["preferred_name"], p["active"]) for p in response.json()] == [
        ("Ada", True),
        ("Bea", False),
    ]


def test_api_refuses_moved_out_people_to_a_care_worker(
    client: TestClient, world: World, moved_out: PersonSupported
) -> None:
    response = signed_in(client, world, "carer").get(
        f"/api/v1/sites/{world.site.id}/people", params={"include_moved_out": "true"}
    )
    assert response.status_code == 403
    assert response.headers["content-type"].startswith("application/problem+json")


def test_api_names_a_malformed_parameter(client: TestClient, world: World) -> None:
    response = signed_in(client, world, "manager").get(
        f"/api/v1/sites/{world.site.id}/people", params={"include_moved_out": "perhaps"}
    )
    assert response.status_code == 422
    assert [error["field"] for error in response.json()["errors"]] == ["include_moved_out"]
