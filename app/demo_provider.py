"""A provider at scale: ``shift-companion demo-data --sites N --months M``.

"Greenfield Care Group" with N sites (care homes and supported living, Europe/London, the demo's
Early/Late/Night pattern), about 30 staff a site (a manager, four team leads, care workers), 12
people supported a site, and the demo's two themes rolled out everywhere with its planted
patterns: "Proactive engagement" embeds, "De-escalation before restriction" slips on nights from
two-thirds of the way through (month 9 of 12). Then M months of history (``app.demo_history``),
written a site at a time, with COPY on PostgreSQL. It exists to show, and to measure, how the
app reads a year of a large provider; the small demo (``app.demo``) stays the one ``make run``
tells its story with.

Everyone is made through the same services the pages use. Only two accounts can sign in
(``PROVIDER_LOGINS``, with the demo's password); every other account's password hash is "!",
which no password matches.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from random import Random

from sqlmodel import Session, select

from app.auth import service as auth_service
from app.auth.actor import Actor
from app.auth.models import Role, User
from app.auth.passwords import Passwords
from app.config import Settings
from app.demo import DE_ESCALATION, DEMO_PASSWORD, PATTERN, PROACTIVE_ENGAGEMENT, DemoLogin
from app.demo_history import generate_history
from app.demo_history.demo import NO_SIGN_IN
from app.demo_history.names import people_names, site_names, staff_name
from app.demo_history.patterns import DRIFTS_ON_NIGHTS, EMBEDS_STEADILY, ThemePattern
from app.org import service as org_service
from app.org.models import Organisation, Site
from app.org.schemas import PersonInput, SiteInput
from app.theme import service as theme_service
from app.theme.models import ThemeStatus

PROVIDER_NAME = "Greenfield Care Group"
DOMAIN = "greenfield.demo"
ADMIN_EMAIL = f"admin@{DOMAIN}"
PROVIDER_LOGINS = (
    DemoLogin(f"quality@{DOMAIN}", "Morgan Ellis", Role.quality_lead, None),
    DemoLogin(f"manager@{DOMAIN}", "Jo Hartley", Role.manager, "the first site"),
)
TEAM = {Role.manager: 1, Role.team_lead: 4, Role.care_worker: 25}
PEOPLE_PER_SITE = 12
SNAPSHOTS_PER_WEEK = 3
OBSERVE_EVERY_WEEKS = (1, 2)  # each site's managers observe each shift weekly or fortnightly
SEED = 2026
DRIFTS_IN_OBSERVATION = replace(DRIFTS_ON_NIGHTS, moves_engagement=False)
"""The night drift, seen in what managers observe and in handover prompts, while the notes
follow the embedding theme: were the notes to slip with it, every site's night engagement would
be a special-cause concern, which rightly holds back the other theme's embedding everywhere, and
the provider would have no theme that embeds."""


@dataclass(frozen=True)
class Loaded:
    """What a load made: the sites, and the rows each history table got."""

    sites: list[Site]
    counts: dict[str, int]


def weeks_for(months: int) -> int:
    """Whole weeks of history for ``months`` months (a year is 52 weeks)."""
    return round(months * 52 / 12)


def load_provider_data(
    session: Session,
    *,
    settings: Settings,
    passwords: Passwords,
    now: datetime,
    sites: int,
    months: int,
    after_site: Callable[[Site], None] | None = None,
) -> Loaded | None:
    """Load the provider into an empty store; ``None`` (and nothing changed) if the store
    already holds an organisation. ``after_site`` hears of each site once its history is
    written, so a long load can say how far it has got."""
    if not settings.demo_mode:
        raise RuntimeError("Demo data is only loaded in demo mode (SHIFT_DEMO_MODE=true).")
    if session.exec(select(Organisation.id)).first() is not None:
        return None
    rng = Random(SEED)  # noqa: S311 - plausible names, not a secret
    organisation = org_service.create_organisation(session, name=PROVIDER_NAME, now=now)
    auth_service.create_account(
        session,
        organisation_id=organisation.id,
        email=ADMIN_EMAIL,
        name="Provider Admin",
        password_hash=NO_SIGN_IN,
        site_id=None,
        role=Role.admin,
        now=now,
    )
    admin = _actor(session, ADMIN_EMAIL)
    made = [
        org_service.create_site(session, actor=admin, data=SiteInput(name=name, kind=kind), now=now)
        for name, kind in site_names(rng, sites)
    ]
    admin = _actor(session, ADMIN_EMAIL)  # an organisation-wide role now covers the sites
    password_hash = passwords.hash(DEMO_PASSWORD)
    for index, site in enumerate(made):
        org_service.set_shift_pattern(session, actor=admin, site=site, data=PATTERN, now=now)
        for preferred_name, room in people_names(rng, PEOPLE_PER_SITE, site.kind):
            org_service.add_person(
                session,
                actor=admin,
                site=site,
                data=PersonInput(preferred_name=preferred_name, room=room),
                now=now,
            )
        _add_team(session, rng, site, now=now, signs_in=password_hash if index == 0 else None)
    quality, _manager = PROVIDER_LOGINS
    auth_service.create_account(
        session,
        organisation_id=organisation.id,
        email=quality.email,
        name=quality.name,
        password_hash=password_hash,
        site_id=None,
        role=quality.role,
        now=now,
    )
    weeks = weeks_for(months)
    patterns = _add_themes(session, quality_email=quality.email, sites=made, now=now, weeks=weeks)
    counts = generate_history(
        session,
        actor=_actor(session, ADMIN_EMAIL),
        sites=made,
        patterns=patterns,
        weeks=weeks,
        now=now,
        observe_every_weeks={site.id: rng.choice(OBSERVE_EVERY_WEEKS) for site in made},
        snapshots_per_week=SNAPSHOTS_PER_WEEK,
        seed=SEED,
        after_site=after_site,
    )
    return Loaded(sites=made, counts=counts)


def _add_team(
    session: Session, rng: Random, site: Site, *, now: datetime, signs_in: str | None
) -> None:
    """About thirty staff in the site's usual mix; at the first site the manager is the one
    manager login (``signs_in``: its password hash)."""
    slug = site.name.lower().replace(" ", "-")
    number = 0
    for role, count in TEAM.items():
        for _ in range(count):
            number += 1
            login = PROVIDER_LOGINS[1] if signs_in and role is Role.manager else None
            auth_service.create_account(
                session,
                organisation_id=site.organisation_id,
                email=login.email if login else f"staff{number:02d}@{slug}.{DOMAIN}",
                name=login.name if login else staff_name(rng),
                password_hash=signs_in if login and signs_in else NO_SIGN_IN,
                site_id=site.id,
                role=role,
                now=now,
            )


def _add_themes(
    session: Session, *, quality_email: str, sites: list[Site], now: datetime, weeks: int
) -> dict[uuid.UUID, ThemePattern]:
    """Both themes rolled out to every site before the history begins (proactive engagement
    four weeks earlier, after its pilot), both being embedded; answers each theme's pattern."""
    quality = _actor(session, quality_email)
    began = now - timedelta(weeks=weeks + 2)
    patterns: dict[uuid.UUID, ThemePattern] = {}
    for data, pattern, weeks_earlier, reason in (
        (PROACTIVE_ENGAGEMENT, EMBEDS_STEADILY, 4,
         f"Pilot at {sites[0].name}: incidents linked to boredom fell; rolling out everywhere."),
        (DE_ESCALATION, DRIFTS_IN_OBSERVATION, 0,
         "After the post-incident review: every site, every shift."),
    ):  # fmt: skip
        at = began - timedelta(weeks=weeks_earlier)
        started = {
            "site_ids": [site.id for site in sites],
            "start_date": at.date(),
            "source_reference": data.source_reference.replace("Rosewood House", sites[0].name),
        }
        theme = theme_service.create_theme(
            session, actor=quality, data=data.model_copy(update=started), now=at
        )
        theme_service.transition_theme(
            session,
            actor=quality,
            theme=theme,
            to_status=ThemeStatus.embedding,
            reason=reason,
            now=at,
        )
        patterns[theme.id] = pattern
    return patterns


def _actor(session: Session, email: str) -> Actor:
    user = session.exec(select(User).where(User.email == email)).one()
    return auth_service.load_actor(session, user=user)
