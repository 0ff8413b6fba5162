"""Request guards and response headers that apply to every route.

- State-changing requests must come from our own pages: a request carrying the session cookie
  needs an ``Origin`` that matches the app (or ``Sec-Fetch-Site: same-origin``), and a request
  with a foreign ``Origin`` is refused whether or not it carries a cookie (no login CSRF).
- Bodies over the limit are refused with 413: at once when ``Content-Length`` says so, and
  otherwise (a chunked body) as soon as the bytes received pass the limit, so nothing ever
  holds more than the limit in memory, on any route, signed in or not.
- Every answer, the refusals here included, carries the security headers: a strict
  Content-Security-Policy (scripts only from our own origin, no inline script, no eval) and
  friends; and ``Cache-Control: no-store`` unless the route chose its own caching (static
  files, the manifest and the service worker do), so no personal page or API answer is kept in
  a shared device's cache.
"""

from __future__ import annotations

from starlette.datastructures import Headers, MutableHeaders
from starlette.exceptions import HTTPException
from starlette.requests import cookie_parser
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.db import SAFE_METHODS
from app.problems import problem_or_page

SESSION_COOKIE = "shift_session"
MAX_BODY_BYTES = 1024 * 1024
TOO_LARGE = "That is too much to send at once."

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "manifest-src 'self'",
        "worker-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)

SECURITY_HEADERS = [
    (b"content-security-policy", CONTENT_SECURITY_POLICY.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
    (b"x-frame-options", b"DENY"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=(), payment=()"),
    (b"cross-origin-opener-policy", b"same-origin"),
]


class BodyTooLarge(HTTPException):
    """Raised from ``receive`` when a body passes the limit: an ``HTTPException``, so FastAPI's
    body reading lets it through and the app's handler answers 413 as a page or problem+json."""

    def __init__(self) -> None:
        super().__init__(status_code=413, detail=TOO_LARGE)


def limit_body(receive: Receive) -> Receive:
    """``receive``, counting the body's bytes as they arrive and refusing past the limit."""
    received = 0

    async def receive_within_limit() -> Message:
        nonlocal received
        message = await receive()
        if message["type"] == "http.request":
            received += len(message.get("body", b""))
            if received > MAX_BODY_BYTES:
                raise BodyTooLarge()
        return message

    return receive_within_limit


class SecurityMiddleware:
    def __init__(self, app: ASGIApp, *, trusted_origins: list[str]) -> None:
        self.app = app
        self.trusted_origins = frozenset(origin.rstrip("/") for origin in trusted_origins)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                response_headers = MutableHeaders(scope=message)
                for name, value in SECURITY_HEADERS:
                    if name.decode() not in response_headers:
                        response_headers.raw.append((name, value))
                if "cache-control" not in response_headers:
                    response_headers["cache-control"] = "no-store"
                if scope.get("scheme") == "https":
                    response_headers["strict-transport-security"] = "max-age=63072000"
            await send(message)

        refusal = self._refusal(scope, headers)
        if refusal is not None:
            status, detail = refusal
            await problem_or_page(scope, status, detail)(scope, receive, send_with_headers)
            return
        await self.app(scope, limit_body(receive), send_with_headers)

    def _refusal(self, scope: Scope, headers: Headers) -> tuple[int, str] | None:
        if scope["method"] in SAFE_METHODS:
            return None
        length = headers.get("content-length")
        if length is not None and (not length.isdigit() or int(length) > MAX_BODY_BYTES):
            return 413, TOO_LARGE
        if not self._origin_ok(scope, headers):
            return 403, "This request did not come from a Shift Companion page, so it was refused."
        return None

    def _origin_ok(self, scope: Scope, headers: Headers) -> bool:
        origin = headers.get("origin")
        if origin is not None:
            own = f"{scope.get('scheme', 'http')}://{headers.get('host', '')}"
            return origin == own or origin in self.trusted_origins
        if SESSION_COOKIE not in cookie_parser(headers.get("cookie", "")):
            return True
        return headers.get("sec-fetch-site") == "same-origin"
