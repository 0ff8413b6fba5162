"""The demo's history: colleagues for the demo sites' teams (accounts that cannot sign in),
and twelve weeks in which "Proactive engagement" embeds everywhere while "De-escalation before
restriction" slips on nights at Rosewood House from week 9."""

from __future__ import annotations

from datetime import datetime
from typing import NamedTuple

from sqlmodel import Session

from app.auth import service as auth_service
from app.auth.actor import Actor
from app.auth.models import Role
from app.demo_history import DRIFTS_ON_NIGHTS, EMBEDS, generate_history
from app.org.models import Site
from app.theme import service as theme_service

NO_SIGN_IN = "!"


class Colleague(NamedTuple):
    name: str
    role: Role


COLLEAGUES = {
    "Rosewood House": (
        Colleague("Amira Khan", Role.care_worker),
        Colleague("Luke Price", Role.care_worker),
        Colleague("Nadia Ross", Role.care_worker),
    ),
    "Beech Court": (
        Colleague("Ceri Lloyd", Role.team_lead),
        Colleague("Dana Fox", Role.manager),
        Colleague("Olu Adeyemi", Role.care_worker),
        Colleague("Rhea Patel", Role.care_worker),
    ),
}
PATTERNS = {"Proactive engagement": EMBEDS, "De-escalation before restriction": DRIFTS_ON_NIGHTS}
OBSERVE_EVERY_WEEKS = {"Rosewood House": 1, "Beech Court": 2}


def load_demo_history(
    session: Session, *, actor: Actor, sites: dict[str, Site], weeks: int, now: datetime
) -> dict[str, int]:
    """Add the colleagues, then the history; ``actor`` holds an organisation-wide role."""
    add_colleagues(session, sites=sites, now=now)
    return generate_demo_history(session, actor=actor, sites=sites, weeks=weeks, now=now)


def add_colleagues(session: Session, *, sites: dict[str, Site], now: datetime) -> None:
    for site_name, colleagues in COLLEAGUES.items():
        site = sites[site_name]
        domain = site_name.split()[0].lower()
        for name, role in colleagues:
            auth_service.create_account(
                session,
                organisation_id=site.organisation_id,
                email=f"{name.split()[0].lower()}@{domain}.demo",
                name=name,
                password_hash=NO_SIGN_IN,
                site_id=site.id,
                role=role,
                now=now,
            )


def generate_demo_history(
    session: Session, *, actor: Actor, sites: dict[str, Site], weeks: int, now: datetime
) -> dict[str, int]:
    """The demo's patterns and observation rounds, given to ``generate_history``."""
    themes = theme_service.list_themes(session, actor=actor)
    return generate_history(
        session,
        actor=actor,
        sites=list(sites.values()),
        patterns={theme.id: PATTERNS[theme.title] for theme in themes if theme.title in PATTERNS},
        weeks=weeks,
        now=now,
        observe_every_weeks={sites[name].id: every for name, every in OBSERVE_EVERY_WEEKS.items()},
    )
