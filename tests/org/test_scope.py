"""Scope, generated from the route table: every organisation route with a Rosewood id is "not
found" for Beech Court's staff, and every route beyond reading is refused to care workers and
team leads at Rosewood."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.routing import APIRoute
from starlette.testclient import TestClient

from app.org.api import api_router
from app.org.routes import router
from app.org.staff_routes import router as staff_router
from tests.org.helpers import signed_in
from tests.support import World

# Pages and API answers that everyone at the site may read.
READ_BY_EVERYONE = {
    "org:site",
    "org:shifts",
    "org:people",
    "api_site",
    "api_people",
}


def scoped_routes() -> Iterator[tuple[str, str, str]]:
    """(name, method, path template) of every route that takes a site, person or staff id."""
    for api, prefix in ((router, ""), (staff_router, ""), (api_router, "/api/v1")):
        for route in api.routes:
            assert isinstance(route, APIRoute)
            if route.param_convertors:
                for method in sorted(route.methods):
                    yield route.name, method, prefix + route.path


SCOPED = sorted(scoped_routes())


def rosewood_path(template: str, world: World) -> str:
    return template.format(
        site_id=world.site.id, person_id=world.person.id, user_id=world.colleague.id
    )


def test_every_route_with_an_id_is_in_these_tests() -> None:
    """A new route fails here until it is placed: read by everyone, or beyond reading."""
    assert {name for name, _, _ in SCOPED} == READ_BY_EVERYONE | {
        "org:site_edit",
        "org:site_update",
        "org:shifts_update",
        "org:person_new",
        "org:person_create",
        "org:person_edit",
        "org:person_update",
        "org:staff",
        "org:invite",
        "org:invite_create",
        "org:staff_member",
        "org:staff_role",
        "org:staff_deactivate",
        "org:staff_reactivate",
    }


@pytest.mark.parametrize("persona", ["outsider", "outsider_manager"])
@pytest.mark.parametrize(("name", "method", "template"), SCOPED)
def test_beech_court_staff_get_not_found_for_every_rosewood_id(
    client: TestClient, world: World, persona: str, name: str, method: str, template: str
) -> None:
    signed_in(client, world, persona)
    response = client.request(method, rosewood_path(template, world))
    assert response.status_code == 404, name


@pytest.mark.parametrize("persona", ["carer", "lead"])
@pytest.mark.parametrize(
    ("name", "method", "template"),
    [route for route in SCOPED if route[0] not in READ_BY_EVERYONE],
)
def test_care_worker_and_team_lead_are_refused_everything_beyond_reading(
    client: TestClient, world: World, persona: str, name: str, method: str, template: str
) -> None:
    signed_in(client, world, persona)
    response = client.request(method, rosewood_path(template, world))
    assert response.status_code == 403, name


@pytest.mark.parametrize("persona", ["carer", "lead", "manager", "quality", "admin"])
@pytest.mark.parametrize("name", sorted(READ_BY_EVERYONE))
def test_everyone_at_rosewood_reads_its_site_pattern_and_people(
    client: TestClient, world: World, persona: str, name: str
) -> None:
    [(_, method, template)] = [route for route in SCOPED if route[0] == name]
    signed_in(client, world, persona)
    assert client.request(method, rosewood_path(template, world)).status_code == 200


def test_outsider_sees_only_their_own_site_listed(client: TestClient, world: World) -> None:
    signed_in(client, world, "outsider")
    assert "Rosewood House" not in client.get("/sites").text
    assert [site["name"] for site in client.get("/api/v1/sites").json()] == ["Beech Court"]


def test_signed_out_visitor_is_sent_to_sign_in_from_every_page(
    client: TestClient, world: World
) -> None:
    for name, method, template in SCOPED:
        if method == "GET" and not template.startswith("/api/"):
            response = client.get(rosewood_path(template, world))
            assert response.status_code == 303, name
            assert "/login" in response.headers["location"]
