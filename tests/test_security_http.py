"""HTTP-level guards: the body limit counted as bytes arrive, the headers every answer carries
(refusals from the middleware too) and ``Cache-Control: no-store`` on personal answers."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from starlette.testclient import TestClient
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.security import MAX_BODY_BYTES
from tests.e2e.conftest import Server
from tests.http_server import served
from tests.support import World, api_sign_in, sign_in

CHUNK = 64 * 1024
CHUNKED_TOTAL = 8 * MAX_BODY_BYTES


def chunked_body(total: int = CHUNKED_TOTAL) -> Iterator[bytes]:
    """A body sent in chunks with no Content-Length, as the attacker's was."""
    for _ in range(total // CHUNK):
        yield b"x" * CHUNK


class BodyMeter:
    """Counts the body bytes the app pulled from the server."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.read = 0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        async def counted() -> Message:
            message = await receive()
            self.read += len(message.get("body", b""))
            return message

        await self.app(scope, counted, send)


@pytest.mark.parametrize(
    ("path", "content_type"),
    [
        ("/login", "application/x-www-form-urlencoded"),
        ("/api/v1/auth/login", "application/json"),
        ("/api/v1/sync", "application/json"),
    ],
)
def test_a_chunked_body_past_the_limit_is_refused_as_it_arrives(
    app, path: str, content_type: str
) -> None:  # type: ignore[no-untyped-def]
    meter = BodyMeter(app)
    with served(meter) as url, httpx.Client(base_url=url, timeout=30) as http:
        response = http.post(
            path,
            content=chunked_body(),
            headers={"Origin": url, "Content-Type": content_type},
        )
    assert response.status_code == 413
    assert "content-length" not in response.request.headers
    # The app stopped reading soon after the limit, not at the end of the 8 MiB.
    assert meter.read <= 2 * MAX_BODY_BYTES


@pytest.mark.parametrize(
    ("path", "content_type", "answer_type"),
    [
        ("/account/password", "application/x-www-form-urlencoded", "text/html; charset=utf-8"),
        ("/api/v1/sync", "application/json", "application/problem+json"),
    ],
)
def test_a_chunked_body_past_the_limit_is_refused_when_signed_in(
    client: TestClient, world: World, path: str, content_type: str, answer_type: str
) -> None:
    api_sign_in(client, world.carer)
    response = client.post(
        path, content=chunked_body(2 * MAX_BODY_BYTES), headers={"Content-Type": content_type}
    )
    assert response.status_code == 413
    assert response.headers["content-type"] == answer_type
    assert "too much to send" in response.text


def test_a_chunked_body_within_the_limit_still_works(client: TestClient, world: World) -> None:
    form = f"email={world.carer.email}&password=a+long+test+password+1234".encode()
    response = client.post(
        "/login",
        content=iter([form[:10], form[10:]]),
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert response.status_code == 303


def security_headers_present(response: httpx.Response) -> None:
    assert "script-src 'self'" in response.headers["content-security-policy"]
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["cache-control"] == "no-store"


def test_refusals_from_the_middleware_carry_the_security_headers(
    client: TestClient, world: World
) -> None:
    too_large = client.post("/login", content=b"x" * (MAX_BODY_BYTES + 1))
    assert too_large.status_code == 413
    security_headers_present(too_large)
    foreign = client.post(
        "/api/v1/auth/login",
        json={"email": world.carer.email, "password": "x"},
        headers={"Origin": "https://evil.example"},
    )
    assert foreign.status_code == 403
    security_headers_present(foreign)


def test_personal_pages_and_api_answers_are_not_stored(client: TestClient, world: World) -> None:
    for path in ("/login", "/healthz"):
        assert client.get(path).headers["cache-control"] == "no-store"
    sign_in(client, world.carer)
    for path in ("/home", "/account", "/outbox", "/api/v1/me"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert response.headers["cache-control"] == "no-store", path


def test_static_files_and_the_app_shell_keep_their_own_caching(client: TestClient) -> None:
    assert client.get("/sw.js").headers["cache-control"] == "no-cache"
    assert client.get("/manifest.webmanifest").headers["cache-control"] == "no-cache"
    assert client.get("/static/css/app.css").headers["cache-control"] == "no-cache"


def test_the_access_log_never_holds_an_invitation_token(database_url: str, tmp_path: Path) -> None:
    token = secrets.token_urlsafe(32)
    log_path = tmp_path / "server.log"
    server = Server(database_url, log_path, environment={"SHIFT_LOG_LEVEL": "INFO"})
    try:
        server.start()
        with httpx.Client(base_url=server.url, headers={"Origin": server.url}) as http:
            assert http.get(f"/invitations/{token}").status_code == 404
            assert http.get(f"/invitations/{token}?from=email").status_code == 404
            assert http.post(f"/invitations/{token}", data={"password": "x"}).status_code == 404
    finally:
        server.close()
    log = log_path.read_text()
    assert token not in log
    assert log.count('"GET /invitations/[token] HTTP/1.1" 404') == 2
    assert '"POST /invitations/[token] HTTP/1.1" 404' in log
