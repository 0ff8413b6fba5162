"""Signing in and out: sessions, timeouts, rotation, revocation, throttling, Origin checks."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import Session, select
from starlette.testclient import TestClient

from app.auth.models import AuthSession
from app.security import SESSION_COOKIE
from tests.support import PASSWORD, FrozenClock, World, sign_in


def test_carer_signs_in_and_sees_their_home(client: TestClient, world: World) -> None:
    response = client.post("/login", data={"email": world.carer.email, "password": PASSWORD})
    assert response.status_code == 303
    cookie = response.headers["set-cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=lax" in cookie
    home = client.get("/home")
    assert home.status_code == 200
    assert "Rosewood House" in home.text
    assert "Today's focus" in home.text


def test_email_is_matched_without_regard_to_case_or_spaces(
    client: TestClient, world: World
) -> None:
    response = client.post(
        "/login", data={"email": f"  {world.carer.email.upper()} ", "password": PASSWORD}
    )
    assert response.status_code == 303


def test_wrong_password_and_unknown_email_get_the_same_answer(
    client: TestClient, world: World
) -> None:
    wrong = client.post("/login", data={"email": world.carer.email, "password": "nope nope nope"})
    unknown = client.post(
        "/login", data={"email": "nobody@example.org", "password": "nope nope nope"}
    )
    assert wrong.status_code == unknown.status_code == 401
    assert "do not match an account" in wrong.text
    assert wrong.text.replace(world.carer.email, "") == unknown.text.replace(
        "nobody@example.org", ""
    )
    assert SESSION_COOKIE not in client.cookies


def test_empty_sign_in_form_says_what_is_missing(client: TestClient) -> None:
    response = client.post("/login", data={"email": "", "password": ""})
    assert response.status_code == 422
    assert 'id="email-error"' in response.text
    assert 'id="password-error"' in response.text


def test_pages_send_a_signed_out_visitor_to_sign_in(client: TestClient) -> None:
    response = client.get("/home")
    assert response.status_code == 303
    assert response.headers["location"].endswith("/login?next=%2Fhome")


def test_sign_in_returns_to_the_page_asked_for_but_never_off_site(
    client: TestClient, world: World
) -> None:
    response = client.post(
        "/login", data={"email": world.carer.email, "password": PASSWORD, "next": "//evil.example/"}
    )
    assert response.headers["location"] == "/"


def test_each_sign_in_gets_a_new_token(client: TestClient, make_client, world: World) -> None:  # type: ignore[no-untyped-def]
    sign_in(client, world.carer)
    first = client.cookies[SESSION_COOKIE]
    other = make_client()
    sign_in(other, world.carer)
    assert other.cookies[SESSION_COOKIE] != first


def test_session_token_is_stored_only_as_a_hash(
    client: TestClient, world: World, session: Session
) -> None:
    sign_in(client, world.carer)
    token = client.cookies[SESSION_COOKIE]
    stored = session.exec(select(AuthSession.token_hash)).all()
    assert token not in stored
    assert len(token) >= 43  # 32 random bytes, base64


def test_idle_session_ends_after_thirty_minutes(
    client: TestClient, world: World, clock: FrozenClock
) -> None:
    sign_in(client, world.carer)
    clock.advance(minutes=29)
    assert client.get("/home").status_code == 200
    clock.advance(minutes=29)  # used a minute ago: still inside the idle window
    assert client.get("/home").status_code == 200
    clock.advance(minutes=30)
    assert client.get("/home").status_code == 303


def test_session_ends_twelve_hours_after_sign_in_however_busy(
    client: TestClient, world: World, clock: FrozenClock
) -> None:
    sign_in(client, world.carer)
    for _ in range(24):
        clock.advance(minutes=29)
        assert client.get("/home").status_code == 200
    clock.advance(minutes=25)  # 12 h 1 min after sign-in
    assert client.get("/home").status_code == 303


def test_sign_out_revokes_the_session_on_the_server(client: TestClient, world: World) -> None:
    sign_in(client, world.carer)
    token = client.cookies[SESSION_COOKIE]
    assert client.post("/logout").status_code == 303
    client.cookies.set(SESSION_COOKIE, token)  # a copied cookie is no use afterwards
    assert client.get("/home").status_code == 303


def test_changing_password_signs_out_other_devices_but_keeps_this_one(
    client: TestClient, make_client, world: World
) -> None:  # type: ignore[no-untyped-def]
    other_device = make_client()
    sign_in(other_device, world.carer)
    sign_in(client, world.carer)
    response = client.post(
        "/account/password",
        data={"current_password": PASSWORD, "new_password": "granite lantern orchard 42"},
    )
    assert response.status_code == 200
    assert "Your password has been changed" in response.text
    assert client.get("/home").status_code == 200
    assert other_device.get("/home").status_code == 303
    fresh = make_client()
    assert (
        fresh.post("/login", data={"email": world.carer.email, "password": PASSWORD}).status_code
        == 401
    )


def test_a_common_password_is_refused_and_nothing_changes(client: TestClient, world: World) -> None:
    sign_in(client, world.carer)
    response = client.post(
        "/account/password", data={"current_password": PASSWORD, "new_password": "password1234"}
    )
    assert response.status_code == 422
    assert 'id="new_password-error"' in response.text
    client.post("/logout")
    sign_in(client, world.carer)


def test_too_many_failures_for_one_account_are_throttled(
    client: TestClient, make_client, world: World, clock: FrozenClock
) -> None:  # type: ignore[no-untyped-def]
    for _ in range(10):
        client.post("/login", data={"email": world.carer.email, "password": "wrong password!!"})
    blocked = make_client().post("/login", data={"email": world.carer.email, "password": PASSWORD})
    assert blocked.status_code == 429
    assert "Too many sign-in attempts" in blocked.text
    clock.advance(minutes=5, seconds=1)
    assert (
        make_client()
        .post("/login", data={"email": world.carer.email, "password": PASSWORD})
        .status_code
        == 303
    )


def test_throttling_an_unknown_email_looks_the_same(client: TestClient) -> None:
    for _ in range(10):
        client.post("/login", data={"email": "ghost@example.org", "password": "wrong password!!"})
    response = client.post("/login", data={"email": "ghost@example.org", "password": "x"})
    assert response.status_code == 429


def test_too_many_failures_from_one_client_are_throttled(client: TestClient, world: World) -> None:
    for number in range(100):
        client.post("/login", data={"email": f"guess{number}@example.org", "password": "wrong!!"})
    response = client.post("/login", data={"email": world.lead.email, "password": PASSWORD})
    assert response.status_code == 429


def test_deactivated_user_cannot_sign_in(
    client: TestClient, world: World, session: Session
) -> None:
    world.carer.active = False
    session.add(world.carer)
    session.commit()
    response = client.post("/login", data={"email": world.carer.email, "password": PASSWORD})
    assert response.status_code == 401


def test_state_change_with_cookie_but_no_origin_is_refused(
    client: TestClient, world: World
) -> None:
    sign_in(client, world.carer)
    client.headers.pop("Origin")
    response = client.post("/logout")
    assert response.status_code == 403
    assert client.get("/home").status_code == 200  # still signed in: nothing changed


def test_state_change_from_another_origin_is_refused(client: TestClient, world: World) -> None:
    sign_in(client, world.carer)
    response = client.post("/logout", headers={"Origin": "https://evil.example"})
    assert response.status_code == 403
    assert client.get("/home").status_code == 200


def test_same_origin_fetch_metadata_stands_in_for_origin(client: TestClient, world: World) -> None:
    sign_in(client, world.carer)
    client.headers.pop("Origin")
    response = client.post("/logout", headers={"Sec-Fetch-Site": "same-origin"})
    assert response.status_code == 303


def test_sign_in_from_a_foreign_page_is_refused(client: TestClient, world: World) -> None:
    response = client.post(
        "/login",
        data={"email": world.carer.email, "password": PASSWORD},
        headers={"Origin": "https://evil.example"},
    )
    assert response.status_code == 403
    assert SESSION_COOKIE not in client.cookies


def test_api_refuses_a_foreign_origin_with_problem_json(client: TestClient, world: World) -> None:
    sign_in(client, world.carer)
    response = client.post("/api/v1/auth/logout", headers={"Origin": "https://evil.example"})
    assert response.status_code == 403
    assert response.headers["content-type"] == "application/problem+json"


def test_session_cookie_is_secure_behind_https(app, world: World) -> None:  # type: ignore[no-untyped-def]
    with TestClient(
        app, base_url="https://testserver", headers={"Origin": "https://testserver"}
    ) as https:
        response = https.post(
            "/login",
            data={"email": world.carer.email, "password": PASSWORD},
            follow_redirects=False,
        )
    assert response.status_code == 303
    assert "Secure" in response.headers["set-cookie"]


def test_idle_timeout_is_configurable(database_url: str, world: World) -> None:
    from app.main import create_app
    from tests.conftest import settings_for
    from tests.support import FrozenClock as Clock

    clock = Clock()
    app = create_app(settings_for(database_url, session_idle_minutes=5), clock=clock)
    with TestClient(app, headers={"Origin": "http://testserver"}, follow_redirects=False) as short:
        sign_in(short, world.carer)
        clock.advance(minutes=5)
        assert short.get("/home").status_code == 303
    app.state.engine.dispose()


def test_every_response_carries_a_strict_content_security_policy(client: TestClient) -> None:
    policy = client.get("/login").headers["content-security-policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "unsafe-eval" not in policy


def test_a_huge_body_is_refused_before_it_is_read(client: TestClient) -> None:
    response = client.post("/login", content=b"x" * (1024 * 1024 + 1))
    assert response.status_code == 413


def test_session_lifetime_is_twelve_hours_by_default(
    client: TestClient, world: World, session: Session
) -> None:
    sign_in(client, world.carer)
    stored = session.exec(select(AuthSession)).one()
    assert stored.expires_at - stored.created_at == timedelta(hours=12)
