"""The auth API: sign in for a session cookie, read who I am, sign out."""

from __future__ import annotations

from sqlmodel import Session, func, select
from starlette.testclient import TestClient

from app.auth.models import LoginFailure
from app.security import SESSION_COOKIE
from tests.support import PASSWORD, World


def test_api_sign_in_sets_the_session_cookie_and_returns_me(
    client: TestClient, world: World
) -> None:
    response = client.post(
        "/api/v1/auth/login", json={"email": world.lead.email, "password": PASSWORD}
    )
    assert response.status_code == 200
    body = response.json()
    assert body["email"] == world.lead.email
    assert body["main_role"] == "team_lead"
    assert body["sites"] == [{"site_id": str(world.site.id), "roles": ["team_lead"]}]
    assert SESSION_COOKIE in client.cookies
    assert client.get("/api/v1/me").json()["id"] == str(world.lead.id)


def test_api_sign_in_failure_is_problem_json_that_names_no_account(
    client: TestClient, world: World
) -> None:
    response = client.post("/api/v1/auth/login", json={"email": world.lead.email, "password": "no"})
    assert response.status_code == 401
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["detail"].startswith("That email and password do not match")


def test_a_refused_api_sign_in_still_counts_towards_the_throttle(
    client: TestClient, world: World, session: Session
) -> None:
    """The refusal is raised as problem+json, and the failure it recorded is kept: a refusal
    ends the request's transaction without rolling back this one record."""
    for _ in range(2):
        refused = client.post(
            "/api/v1/auth/login", json={"email": world.lead.email, "password": "no"}
        )
        assert refused.status_code == 401
    session.expire_all()
    assert session.exec(select(func.count()).select_from(LoginFailure)).one() >= 2


def test_api_sign_in_with_wrong_types_names_the_field(client: TestClient) -> None:
    response = client.post("/api/v1/auth/login", json={"email": 7, "password": ["x"]})
    assert response.status_code == 422
    fields = {error["field"] for error in response.json()["errors"]}
    assert fields == {"email", "password"}


def test_api_sign_in_with_a_huge_email_is_refused_by_field(client: TestClient) -> None:
    response = client.post("/api/v1/auth/login", json={"email": "a" * 100_000, "password": "x"})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "email"


def test_me_without_a_session_is_401_problem_json(client: TestClient) -> None:
    response = client.get("/api/v1/me")
    assert response.status_code == 401
    assert response.headers["content-type"] == "application/problem+json"


def test_organisation_roles_cover_every_site(client: TestClient, world: World) -> None:
    client.post("/api/v1/auth/login", json={"email": world.quality.email, "password": PASSWORD})
    me = client.get("/api/v1/me").json()
    assert me["organisation_roles"] == ["quality_lead"]
    assert {site["site_id"] for site in me["sites"]} == {
        str(world.site.id),
        str(world.other_site.id),
    }


def test_api_sign_out_ends_the_session(client: TestClient, world: World) -> None:
    client.post("/api/v1/auth/login", json={"email": world.carer.email, "password": PASSWORD})
    token = client.cookies[SESSION_COOKIE]
    assert client.post("/api/v1/auth/logout").status_code == 204
    client.cookies.set(SESSION_COOKIE, token)
    assert client.get("/api/v1/me").status_code == 401


def test_unknown_api_path_is_problem_json(client: TestClient) -> None:
    response = client.get("/api/v1/nothing-here")
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"


def test_unknown_page_is_a_friendly_page(client: TestClient) -> None:
    response = client.get("/nothing-here")
    assert response.status_code == 404
    assert "We could not find that." in response.text
