"""Test helpers: a settable clock, factories with sensible defaults, and signing in over HTTP."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from typing import Any

from sqlalchemy import Engine, event
from sqlmodel import Session, func, select
from starlette.testclient import TestClient

from app.auth import service as auth_service
from app.auth.actor import Actor
from app.auth.models import Role, User
from app.auth.passwords import Passwords
from app.handover.models import Handover
from app.org import service as org_service
from app.org.models import Organisation, PersonSupported, Site
from app.org.schemas import PersonInput, ShiftInput, ShiftPatternInput, SiteInput
from app.theme import service as theme_service
from app.theme.models import LearningTheme, SourceKind, ThemeStatus
from app.theme.schemas import ThemeInput

PASSWORD = "a long test password 1234"
START = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)


class FrozenClock:
    """Time that moves only when a test moves it."""

    def __init__(self, now: datetime = START) -> None:
        self._now = now

    def now(self) -> datetime:
        return self._now

    def set(self, now: datetime) -> None:
        self._now = now

    def advance(self, **delta: float) -> None:
        self._now += timedelta(**delta)


PATTERN = ShiftPatternInput(
    shifts=[
        ShiftInput(name="Early", starts_at=time(7, 0), ends_at=time(14, 30)),
        ShiftInput(name="Late", starts_at=time(14, 0), ends_at=time(21, 30)),
        ShiftInput(name="Night", starts_at=time(21, 0), ends_at=time(7, 30)),
    ]
)


def make_organisation(session: Session, name: str = "Test Care") -> Organisation:
    return org_service.create_organisation(session, name=name, now=START)


def make_user(
    session: Session,
    passwords: Passwords,
    *,
    organisation: Organisation,
    role: Role,
    site: Site | None = None,
    email: str | None = None,
    name: str | None = None,
) -> User:
    return auth_service.create_account(
        session,
        organisation_id=organisation.id,
        email=email or f"{role.value}-{uuid.uuid4().hex[:8]}@example.org",
        name=name or role.label,
        password_hash=passwords.hash(PASSWORD),
        site_id=site.id if site else None,
        role=role,
        now=START,
    )


def actor_for(session: Session, user: User) -> Actor:
    return auth_service.load_actor(session, user=user)


def make_site(session: Session, admin: Actor, name: str = "Rosewood House") -> Site:
    site = org_service.create_site(session, actor=admin, data=SiteInput(name=name), now=START)
    admin = refreshed(session, admin)
    org_service.set_shift_pattern(session, actor=admin, site=site, data=PATTERN, now=START)
    return site


def refreshed(session: Session, actor: Actor) -> Actor:
    return actor_for(session, session.get_one(User, actor.user_id))


def make_person(session: Session, admin: Actor, site: Site, name: str = "Ada") -> PersonSupported:
    return org_service.add_person(
        session, actor=admin, site=site, data=PersonInput(preferred_name=name, room="1"), now=START
    )


def theme_input(**overrides: object) -> ThemeInput:
    values: dict[str, object] = {
        "title": "Proactive engagement",
        "why": "People who are busy and connected are calmer.",
        "source_kind": SourceKind.pilot,
        "source_reference": "Pilot 1",
        "behaviours": ["Offers a choice", "Gives just enough help", "Invites the person to lead"],
        "prompts": ["Who had a meaningful moment today?"],
    }
    values.update(overrides)
    return ThemeInput.model_validate(values)


def make_theme(
    session: Session,
    quality: Actor,
    *,
    sites: list[Site],
    status: ThemeStatus = ThemeStatus.embedding,
    **overrides: object,
) -> LearningTheme:
    data = theme_input(site_ids=[site.id for site in sites], **overrides)
    theme = theme_service.create_theme(session, actor=quality, data=data, now=START)
    if status != ThemeStatus.draft:
        theme_service.transition_theme(
            session, actor=quality, theme=theme, to_status=status, reason="Ready", now=START
        )
    return theme


def api_sign_in(client: TestClient, user: User) -> TestClient:
    """Sign in through the API, as the phone's scripts do; the client keeps the cookie."""
    response = client.post("/api/v1/auth/login", json={"email": user.email, "password": PASSWORD})
    assert response.status_code == 200, response.text
    return client


def sign_in(client: TestClient, user: User, password: str = PASSWORD) -> None:
    response = client.post("/login", data={"email": user.email, "password": password})
    assert response.status_code == 303, response.text


@dataclass
class World:
    """The personas: alice cares at Rosewood with colleague; lead and manager run Rosewood;
    quality and admin span the organisation; outsider and outsider_manager work at Beech Court."""

    organisation: Organisation
    site: Site
    other_site: Site
    carer: User
    colleague: User
    lead: User
    manager: User
    quality: User
    admin: User
    outsider: User
    outsider_manager: User
    person: PersonSupported
    other_person: PersonSupported
    theme: LearningTheme
    other_theme: LearningTheme

    def user(self, persona: str) -> User:
        return getattr(self, persona)


# The role each signing-in persona holds (the outsider cares at Beech Court).
PERSONA_ROLES = {
    "carer": Role.care_worker,
    "lead": Role.team_lead,
    "manager": Role.manager,
    "quality": Role.quality_lead,
    "admin": Role.admin,
    "outsider": Role.care_worker,
}


def build_world(session: Session, passwords: Passwords) -> World:
    organisation = make_organisation(session)

    def user(role: Role, site: Site | None = None, name: str | None = None) -> User:
        return make_user(
            session, passwords, organisation=organisation, role=role, site=site, name=name
        )

    admin = user(Role.admin, name="Alex Admin")
    admin_actor = actor_for(session, admin)
    site = make_site(session, admin_actor, "Rosewood House")
    other_site = make_site(session, refreshed(session, admin_actor), "Beech Court")
    admin_actor = refreshed(session, admin_actor)
    quality = user(Role.quality_lead, name="Quinn Quality")
    quality_actor = actor_for(session, quality)
    world = World(
        organisation=organisation,
        site=site,
        other_site=other_site,
        carer=user(Role.care_worker, site, "Alice Carer"),
        colleague=user(Role.care_worker, site, "Colin Colleague"),
        lead=user(Role.team_lead, site, "Lee Lead"),
        manager=user(Role.manager, site, "Maya Manager"),
        quality=quality,
        admin=admin,
        outsider=user(Role.care_worker, other_site, "Oscar Outsider"),
        outsider_manager=user(Role.manager, other_site, "Olga Othermanager"),
        person=make_person(session, admin_actor, site, "Ada"),
        other_person=make_person(session, admin_actor, other_site, "Iris"),
        theme=make_theme(session, quality_actor, sites=[site]),
        other_theme=make_theme(
            session, quality_actor, sites=[other_site], title="Hydration rounds at night"
        ),
    )
    session.commit()
    return world


def make_bare_handover(session: Session, *, site: Site, lead: User) -> Handover:
    """A handover row with nothing in it, to hang actions on in tests of other domains; each
    is a day before the last, as a site has one handover per shift change."""
    earlier = session.exec(
        select(func.count()).select_from(Handover).where(Handover.site_id == site.id)
    ).one()
    day = START.date() - timedelta(days=earlier)
    handover = Handover(
        id=uuid.uuid4(),
        organisation_id=site.organisation_id,
        site_id=site.id,
        lead_id=lead.id,
        outgoing_shift="Early",
        outgoing_date=day,
        incoming_shift="Late",
        incoming_date=day,
        started_at=START,
        content_hash="-",
    )
    session.add(handover)
    session.flush()
    return handover


@contextmanager
def counted_queries(engine: Engine) -> Iterator[list[str]]:
    """The SQL statements run on ``engine`` while the block runs."""
    statements: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", count)
