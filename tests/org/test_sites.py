"""Sites: the list, adding and changing a site (admins), the overview, and the sites API."""

from __future__ import annotations

import pytest
from sqlmodel import Session, func, select
from starlette.testclient import TestClient

from app.org.models import Site, SiteKind
from tests.org.helpers import assert_refused_beside, audit_actions, fresh, signed_in
from tests.support import World


def site_count(session: Session) -> int:
    return fresh(session).exec(select(func.count()).select_from(Site)).one()


def test_admin_sees_every_site_and_can_add_one(client: TestClient, world: World) -> None:
    page = signed_in(client, world, "admin").get("/sites")
    assert page.status_code == 200
    assert "Rosewood House" in page.text
    assert "Beech Court" in page.text
    assert "Add a site" in page.text


def test_manager_sees_only_their_own_site_and_cannot_add_one(
    client: TestClient, world: World
) -> None:
    page = signed_in(client, world, "manager").get("/sites")
    assert page.status_code == 200
    assert "Rosewood House" in page.text
    assert "Beech Court" not in page.text
    assert "Add a site" not in page.text


@pytest.mark.parametrize("persona", ["manager", "quality", "carer"])
def test_only_an_admin_may_add_a_site(
    client: TestClient, world: World, session: Session, persona: str
) -> None:
    signed_in(client, world, persona)
    assert client.get("/sites/new").status_code == 403
    response = client.post("/sites", data={"name": "Oak Lodge", "kind": "care_home"})
    assert response.status_code == 403
    assert site_count(session) == 2


def test_admin_adds_a_site_and_lands_on_its_overview(
    client: TestClient, world: World, session: Session
) -> None:
    signed_in(client, world, "admin")
    form = client.get("/sites/new").text
    assert '<select class="field__input" id="time_zone" name="time_zone"' in form  # not free text
    assert '<option value="Europe/London" selected>Europe/London</option>' in form
    assert '<option value="Europe/Dublin">Europe/Dublin</option>' in form
    assert '<option value="Australia/Perth">Australia/Perth</option>' in form
    response = client.post(
        "/sites",
        data={"name": "  Oak Lodge ", "kind": "supported_living", "time_zone": "Europe/Dublin"},
    )
    assert response.status_code == 303
    site = fresh(session).exec(select(Site).where(Site.name == "Oak Lodge")).one()
    assert (site.kind, site.time_zone) == (SiteKind.supported_living, "Europe/Dublin")
    assert response.headers["location"].endswith(f"/sites/{site.id}")
    overview = client.get(response.headers["location"])
    assert "Oak Lodge" in overview.text
    assert "no shift pattern yet" in overview.text
    assert ("create", "site", "") in audit_actions(session)


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"name": "   "}, "name"),
        ({"name": "x" * 10_000}, "name"),
        ({"name": "Beech Court"}, "name"),
        ({"time_zone": "Europe/Atlantis"}, "time_zone"),
        ({"time_zone": ""}, "time_zone"),
        ({"kind": "castle"}, "kind"),
    ],
)
def test_new_site_form_says_what_is_wrong_and_adds_nothing(
    client: TestClient, world: World, session: Session, data: dict[str, str], field: str
) -> None:
    signed_in(client, world, "admin")
    events = len(audit_actions(session))
    form = {"name": "Oak Lodge", "kind": "care_home", "time_zone": "Europe/London", **data}
    response = client.post("/sites", data=form)
    assert_refused_beside(response, field)
    assert site_count(session) == 2
    assert len(audit_actions(session)) == events


def test_overview_shows_the_site_its_pattern_and_counts_to_a_care_worker(
    client: TestClient, world: World
) -> None:
    page = signed_in(client, world, "carer").get(f"/sites/{world.site.id}")
    assert page.status_code == 200
    for text in ("Rosewood House", "Care home", "Europe/London", "Early shift"):
        assert text in page.text
    assert "21:00 to 07:30 the next day" in page.text
    assert "People we support" in page.text
    assert "Staff and invitations" not in page.text
    assert "Change site details" not in page.text


def test_overview_offers_staff_to_a_manager_and_site_details_to_an_admin(
    client: TestClient, make_client, world: World
) -> None:  # type: ignore[no-untyped-def]
    manager_page = signed_in(make_client(), world, "manager").get(f"/sites/{world.site.id}")
    assert "Staff and invitations" in manager_page.text
    assert "Change the shift pattern" in manager_page.text
    assert "Change site details" not in manager_page.text
    admin_page = signed_in(client, world, "admin").get(f"/sites/{world.site.id}")
    assert "Change site details" in admin_page.text


def test_admin_changes_a_sites_details(client: TestClient, world: World, session: Session) -> None:
    signed_in(client, world, "admin")
    form = client.get(f"/sites/{world.site.id}/edit")
    assert 'value="Rosewood House"' in form.text
    response = client.post(
        f"/sites/{world.site.id}/edit",
        data={"name": "Rosewood", "kind": "home_care", "time_zone": "Europe/London"},
    )
    assert response.status_code == 303
    site = fresh(session).get_one(Site, world.site.id)
    assert (site.name, site.kind) == ("Rosewood", SiteKind.home_care)
    assert ("update", "site", "") in audit_actions(session)


def test_site_cannot_take_the_name_of_another(
    client: TestClient, world: World, session: Session
) -> None:
    signed_in(client, world, "admin")
    response = client.post(
        f"/sites/{world.site.id}/edit",
        data={"name": "Beech Court", "kind": "care_home", "time_zone": "Europe/London"},
    )
    assert_refused_beside(response, "name")
    assert "Another site already has this name." in response.text
    assert fresh(session).get_one(Site, world.site.id).name == "Rosewood House"


def test_manager_may_not_change_their_sites_details(
    client: TestClient, world: World, session: Session
) -> None:
    signed_in(client, world, "manager")
    assert client.get(f"/sites/{world.site.id}/edit").status_code == 403
    response = client.post(
        f"/sites/{world.site.id}/edit",
        data={"name": "Renamed", "kind": "care_home", "time_zone": "Europe/London"},
    )
    assert response.status_code == 403
    assert fresh(session).get_one(Site, world.site.id).name == "Rosewood House"


def test_api_lists_the_care_workers_site_with_its_shift_pattern(
    client: TestClient, world: World
) -> None:
    response = signed_in(client, world, "carer").get("/api/v1/sites")
    assert response.status_code == 200
    [site] = response.json()
    assert site["id"] == str(world.site.id)
    assert site["kind"] == "care_home"
    assert site["time_zone"] == "Europe/London"
    assert [(s["name"], s["starts_at"], s["ends_at"]) for s in site["shifts"]] == [
        ("Early", "07:00:00", "14:30:00"),
        ("Late", "14:00:00", "21:30:00"),
        ("Night", "21:00:00", "07:30:00"),
    ]


def test_api_lists_every_site_for_an_admin(client: TestClient, world: World) -> None:
    names = {site["name"] for site in signed_in(client, world, "admin").get("/api/v1/sites").json()}
    assert names == {"Rosewood House", "Beech Court"}


def test_api_reads_one_site(client: TestClient, world: World) -> None:
    response = signed_in(client, world, "lead").get(f"/api/v1/sites/{world.site.id}")
    assert response.status_code == 200
    assert response.json()["name"] == "Rosewood House"
    assert len(response.json()["shifts"]) == 3


def test_outsider_cannot_read_another_site_through_the_api(
    client: TestClient, world: World
) -> None:
    response = signed_in(client, world, "outsider").get(f"/api/v1/sites/{world.site.id}")
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("application/problem+json")


def test_api_names_a_malformed_site_id(client: TestClient, world: World) -> None:
    response = signed_in(client, world, "carer").get("/api/v1/sites/not-a-site")
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("application/problem+json")
    assert [error["field"] for error in response.json()["errors"]] == ["site_id"]


def test_api_asks_a_signed_out_client_to_sign_in(client: TestClient, world: World) -> None:
    response = client.get("/api/v1/sites")
    assert response.status_code == 401
    assert response.json()["title"] == "Sign in needed"


def test_openapi_describes_the_sites_api_with_its_models(client: TestClient) -> None:
    schema = client.get("/api/openapi.json").json()
    answer = schema["paths"]["/api/v1/sites/{site_id}"]["get"]["responses"]
    assert answer["200"]["content"]["application/json"]["schema"]["$ref"].endswith("/SitePublic")
    assert "application/problem+json" in answer["404"]["content"]
    people = schema["paths"]["/api/v1/sites/{site_id}/people"]["get"]["responses"]["200"]
    assert people["content"]["application/json"]["schema"]["items"]["$ref"].endswith(
        "/PersonPublic"
    )
