"""The template environment and the helpers every page uses."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from functools import cache
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.types import Scope

from app.config import PROJECT_ROOT

TEMPLATES_DIR = PROJECT_ROOT / "templates"
STATIC_DIR = PROJECT_ROOT / "static"

templates = Jinja2Templates(directory=TEMPLATES_DIR)


@cache
def _content_hash(relative_path: str) -> str:
    return hashlib.sha256((STATIC_DIR / relative_path).read_bytes()).hexdigest()[:12]


def asset(relative_path: str) -> str:
    """A static file's URL with its content hash, so a changed file is never served stale."""
    return f"/static/{relative_path}?v={_content_hash(relative_path)}"


# What every template may call, besides its context. Domains declare their own ``TEMPLATE_NAMES``
# beside their routes; ``create_app`` hands them all to ``register_template_names``, the one place
# the shared environment changes, so importing a module never does.
TEMPLATE_NAMES: dict[str, Any] = {"asset": asset}


def register_template_names(*declared: Mapping[str, Any]) -> None:
    for names in declared:
        templates.env.globals.update(names)


def render(
    request: Request,
    template: str,
    context: dict[str, Any] | None = None,
    *,
    status_code: int = 200,
) -> HTMLResponse:
    """Render a page. The signed-in actor, their page header and their count of unread
    notifications reach every template."""
    page = {
        "actor": getattr(request.state, "actor", None),
        "header": getattr(request.state, "header", None),
        "unread": getattr(request.state, "unread", 0),
        **(context or {}),
    }
    return templates.TemplateResponse(request, template, page, status_code=status_code)


def redirect_to(request: Request, route_name: str, /, **path_params: Any) -> RedirectResponse:
    """303 See Other after a successful form POST, so a reload does not post again."""
    return RedirectResponse(request.url_for(route_name, **path_params), status_code=303)


class VersionedStaticFiles(StaticFiles):
    """Static files; a URL made by ``asset()`` carries the content hash, so it never changes and
    the phone may keep it for a year. Anything else is checked with the server each time."""

    async def get_response(self, path: str, scope: Scope) -> Response:
        response = await super().get_response(path, scope)
        versioned = b"v=" in scope.get("query_string", b"")
        response.headers["cache-control"] = (
            "public, max-age=31536000, immutable" if versioned else "no-cache"
        )
        return response
