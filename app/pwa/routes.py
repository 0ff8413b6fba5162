"""The manifest, the service worker (served from the root so it controls every page), the
offline page and the outbox page."""

from __future__ import annotations

import hashlib
import json

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse

from app.auth.dependencies import PageActorDep, SettingsDep
from app.web import asset, render, templates

router = APIRouter(tags=["pwa"], include_in_schema=False)

# What the service worker keeps so the app opens with no signal: each URL carries its content
# hash, so a new release is a new list and a new cache.
SHELL_ASSETS = (
    "css/app.css",
    "js/app.js",
    "js/outbox.js",
    "js/sync.js",
    "js/push.js",
    "vendor/alpine/alpine-csp.min.js",
    "icons/icon.svg",
    "icons/icon-192.png",
)
NO_CACHE = {"Cache-Control": "no-cache"}


def shell_urls(request: Request) -> list[str]:
    """The assets, and the two pages that are nobody's: "no signal", and the sign-in page that
    a phone signed out with no signal shows until it can tell the server."""
    pages = [request.url_for(name).path for name in ("pwa:offline", "auth:login_form")]
    return [asset(path) for path in SHELL_ASSETS] + pages


@router.get("/manifest.webmanifest", name="pwa:manifest")
def manifest() -> JSONResponse:
    icons = [
        {
            "src": asset(f"icons/{kind}-{size}.png"),
            "sizes": f"{size}x{size}",
            "type": "image/png",
            "purpose": purpose,
        }
        for kind, purpose in (("icon", "any"), ("maskable", "maskable"))
        for size in (192, 512)
    ]
    body = {
        "name": "Shift Companion",
        "short_name": "Shift",
        "description": "Notes, handovers and observations at the point of care.",
        "start_url": "/home",
        "scope": "/",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": "#005a9c",
        "icons": icons,
    }
    return JSONResponse(body, media_type="application/manifest+json", headers=NO_CACHE)


@router.get("/sw.js", name="pwa:service_worker")
def service_worker(request: Request, settings: SettingsDep) -> Response:
    """A new release is a new script: phones install it, and offer "Update" (the shell's URLs
    change with their content; the release label covers what they do not, like /offline)."""
    urls = shell_urls(request)
    version = hashlib.sha256("\n".join([settings.release, *urls]).encode()).hexdigest()[:12]
    script = templates.get_template("pwa/sw.js").render(
        shell=json.dumps(urls),
        version=json.dumps(version),
        outbox=json.dumps(asset("js/outbox.js")),
        icon=json.dumps(asset("icons/icon-192.png")),
    )
    return Response(script, media_type="text/javascript", headers=NO_CACHE)


@router.get("/offline", name="pwa:offline")
def offline(request: Request) -> Response:
    return render(request, "pwa/offline.html")


@router.get("/outbox", name="pwa:outbox")
def outbox(request: Request, actor: PageActorDep) -> Response:
    return render(request, "pwa/outbox.html")
