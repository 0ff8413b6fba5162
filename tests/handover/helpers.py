"""Helpers for handover tests: signing in to the API, starting handovers, reading forms."""

from __future__ import annotations

import re
import uuid
from datetime import UTC, datetime
from typing import Any

from sqlmodel import Session, SQLModel, func, select
from starlette.testclient import TestClient

from app.theme import service as theme_service
from app.theme.models import LearningTheme
from tests.forms import default_values
from tests.support import World

AT_14_05 = datetime(2026, 11, 23, 14, 5, tzinfo=UTC)  # GMT: London time is UTC


def fresh(session: Session) -> Session:
    """The test's session, reading what the app has committed since it last read (ending its
    read transaction, whose snapshot SQLite and PostgreSQL would otherwise keep)."""
    session.rollback()
    return session


def count(session: Session, model: type[SQLModel]) -> int:
    return fresh(session).exec(select(func.count()).select_from(model)).one()


def prompt_of(session: Session, theme: LearningTheme) -> uuid.UUID:
    return theme_service.view_theme(session, theme=theme).prompts[0].id


def start_json(world: World, **overrides: Any) -> dict[str, Any]:
    return {"id": str(uuid.uuid4()), "site_id": str(world.site.id), **overrides}


def start_handover(client: TestClient, world: World, **overrides: Any) -> dict[str, Any]:
    response = client.post("/api/v1/handovers", json=start_json(world, **overrides))
    assert response.status_code == 201, response.text
    return response.json()


def answer(discussed: bool, note: str, prompt_id: uuid.UUID) -> dict[str, Any]:
    return {
        "id": str(uuid.uuid4()),
        "prompt_id": str(prompt_id),
        "discussed": discussed,
        "note": note,
    }


def completed_handover(client: TestClient, world: World) -> dict[str, Any]:
    """A handover started and completed now by whoever ``client`` is signed in as."""
    handover = start_handover(client, world)
    assert client.post(f"/api/v1/handovers/{handover['id']}/complete").status_code == 200
    return handover


def form_values(html: str, path: str) -> dict[str, str]:
    """What the form posting to ``path`` sends when nothing is touched."""
    found = re.search(
        r'<form[^>]*action="[^"]*' + re.escape(path) + r'"[^>]*>.*?</form>', html, re.S
    )
    assert found, f"the page has a form posting to {path}"
    return default_values(found.group(0))


def start_on_the_page(client: TestClient, world: World) -> uuid.UUID:
    """Start the handover happening now from the site's handovers page; answers its id."""
    listing = client.get(f"/sites/{world.site.id}/handovers")
    assert listing.status_code == 200
    path = f"/sites/{world.site.id}/handovers"
    started = client.post(path, data=form_values(listing.text, path))
    assert started.status_code == 303
    return uuid.UUID(started.headers["location"].rsplit("/", 1)[1])


def person_form(world: World, **fields: str) -> dict[str, str]:
    return {f"person-{world.person.id}.{name}": value for name, value in fields.items()}
