"""Helpers for the learning theme tests: route paths by name, form data, fresh reads of rows."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlmodel import Session, col, func, select
from starlette.testclient import TestClient

from app.auth.models import Role, User
from app.auth.passwords import Passwords
from app.org.models import Site
from app.theme import service as theme_service
from app.theme.models import LearningTheme, ThemeStatus, ThemeTransition
from tests.support import (
    START,
    actor_for,
    make_organisation,
    make_site,
    make_theme,
    make_user,
    sign_in,
)

MakeClient = Callable[[], TestClient]

BEHAVIOURS = [
    "Names the feeling before suggesting anything",
    "Offers space and time before any hands-on support",
    "Keeps their voice low and slow",
]


# The moves that bring a new draft to each stage.
ROUTE_TO = {
    ThemeStatus.draft: [],
    ThemeStatus.pilot: [ThemeStatus.pilot],
    ThemeStatus.embedding: [ThemeStatus.embedding],
    ThemeStatus.embedded: [ThemeStatus.embedding, ThemeStatus.embedded],
    ThemeStatus.retired: [ThemeStatus.retired],
}


def path(client: TestClient, name: str, **params: Any) -> str:
    """A route's path from its name, as the pages build their links."""
    return str(client.app.url_path_for(name, **params))  # type: ignore[attr-defined]


def client_for(make_client: MakeClient, user: User) -> TestClient:
    client = make_client()
    sign_in(client, user)
    return client


def theme_form(sites: list[uuid.UUID], **overrides: Any) -> dict[str, Any]:
    """What a quality lead types into the new theme form, with the unused line boxes blank."""
    values: dict[str, Any] = {
        "title": "De-escalation before restriction",
        "why": "Calm words first keep people safe and keep their trust in us.",
        "source_kind": "review",
        "source_reference": "Post-incident review 12",
        "start_date": "2026-12-01",
        "site_ids": [str(site_id) for site_id in sites],
        "behaviours": [*BEHAVIOURS, "", "", "", "", ""],
        "prompts": ["Did anyone need space today, and what helped?", "", "", "", "", "", "", ""],
    }
    values.update(overrides)
    return values


def theme_json(sites: list[uuid.UUID], **overrides: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "title": "De-escalation before restriction",
        "why": "Calm words first keep people safe and keep their trust in us.",
        "source_kind": "review",
        "source_reference": "Post-incident review 12",
        "start_date": "2026-12-01",
        "site_ids": [str(site_id) for site_id in sites],
        "behaviours": list(BEHAVIOURS),
        "prompts": ["Did anyone need space today, and what helped?"],
    }
    values.update(overrides)
    return values


def rows(session: Session, statement: Any) -> list[Any]:
    """Rows as the app committed them: end the test session's snapshot before reading."""
    session.rollback()
    return list(session.exec(statement))


def theme_count(session: Session) -> int:
    return rows(session, select(func.count()).select_from(LearningTheme))[0]


def transitions_of(session: Session, theme_id: uuid.UUID) -> list[ThemeTransition]:
    return rows(
        session,
        select(ThemeTransition)
        .where(ThemeTransition.theme_id == theme_id)
        .order_by(col(ThemeTransition.at)),
    )


def status_of(session: Session, theme_id: uuid.UUID) -> ThemeStatus:
    return rows(session, select(LearningTheme.status).where(LearningTheme.id == theme_id))[0]


def id_from_location(location: str) -> uuid.UUID:
    return uuid.UUID(location.rstrip("/").split("/")[-1])


def theme_in(
    session: Session, quality: User, status: ThemeStatus, *, sites: list[Site]
) -> LearningTheme:
    """A theme the quality lead has brought to ``status``, committed."""
    actor = actor_for(session, quality)
    theme = make_theme(
        session, actor, sites=sites, status=ThemeStatus.draft, title=f"A theme in {status}"
    )
    for step in ROUTE_TO[status]:
        theme_service.transition_theme(
            session, actor=actor, theme=theme, to_status=step, reason="Set up", now=START
        )
    session.commit()
    return theme


@dataclass
class OtherOrganisation:
    site: Site
    quality: User
    theme: LearningTheme


def build_other_organisation(session: Session, passwords: Passwords) -> OtherOrganisation:
    """A second provider with its own site, quality lead and active theme."""
    organisation = make_organisation(session, "Other Care")
    admin = make_user(session, passwords, organisation=organisation, role=Role.admin)
    site = make_site(session, actor_for(session, admin), "Larch Lodge")
    quality = make_user(session, passwords, organisation=organisation, role=Role.quality_lead)
    theme = make_theme(session, actor_for(session, quality), sites=[site], title="Elsewhere")
    session.commit()
    return OtherOrganisation(site=site, quality=quality, theme=theme)
