"""Demo data: "Demo Care Group" with two sites, people supported, two active learning themes and
a login for each role. Loaded only in demo mode, and only into an empty store, through the same
service functions the pages use."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from sqlmodel import Session, select

from app.auth import service as auth_service
from app.auth.actor import Actor
from app.auth.models import Role, User
from app.auth.passwords import Passwords
from app.config import Settings
from app.demo_history.demo import load_demo_history
from app.engagement import service as engagement_service
from app.engagement.schemas import EngagementNoteCreate
from app.handover import shift_change
from app.org import service as org_service
from app.org.models import Organisation, Site, SiteKind
from app.org.schemas import PersonInput, ShiftInput, ShiftPatternInput, SiteInput
from app.snapshot import service as snapshot_service
from app.snapshot.schemas import SnapshotCreate
from app.theme import service as theme_service
from app.theme.models import SourceKind, ThemeStatus
from app.theme.schemas import ThemeInput

DEMO_PASSWORD = "shift-demo-pass"  # noqa: S105 - public on purpose, demo mode only


@dataclass(frozen=True)
class DemoLogin:
    email: str
    name: str
    role: Role
    site: str | None


DEMO_LOGINS = (
    DemoLogin("carer@rosewood.demo", "Priya Shah", Role.care_worker, "Rosewood House"),
    DemoLogin("lead@rosewood.demo", "Sam Okafor", Role.team_lead, "Rosewood House"),
    DemoLogin("manager@rosewood.demo", "Jo Bennett", Role.manager, "Rosewood House"),
    DemoLogin("carer@beech.demo", "Tom Hughes", Role.care_worker, "Beech Court"),
    DemoLogin("quality@demo.demo", "Morgan Reid", Role.quality_lead, None),
    DemoLogin("admin@demo.demo", "Alex Carter", Role.admin, None),
)

PATTERN = ShiftPatternInput(
    shifts=[
        ShiftInput(name="Early", starts_at=time(7, 0), ends_at=time(14, 30)),
        ShiftInput(name="Late", starts_at=time(14, 0), ends_at=time(21, 30)),
        ShiftInput(name="Night", starts_at=time(21, 0), ends_at=time(7, 30)),
    ]
)

SITES = {
    "Rosewood House": (
        SiteKind.care_home,
        [("Ada", "Room 1"), ("Ben", "Room 2"), ("Cath", "Room 3"), ("Dev", "Room 4"),
         ("Eli", "Room 5"), ("Fay", "Room 6"), ("Gus", "Room 7"), ("Hal", "Room 8")],
    ),
    "Beech Court": (
        SiteKind.supported_living,
        [("Iris", "Flat 1"), ("Jon", "Flat 2"), ("Kit", "Flat 3"), ("Lena", "Flat 4"),
         ("Mo", "Flat 5")],
    ),
}  # fmt: skip

PROACTIVE_ENGAGEMENT = ThemeInput(
    title="Proactive engagement",
    why="People who are busy and connected are calmer: boredom and frustration lead to incidents.",
    source_kind=SourceKind.pilot,
    source_reference="Engagement pilot, Rosewood House, spring 2026",
    behaviours=[
        "Offers a choice before starting an activity",
        "Gives just enough help, not more",
        "Invites the person to start or lead what happens next",
        "Notices someone waiting or withdrawn and offers something to do",
        "Records how engaged the person was, not just what was done",
    ],
    prompts=[
        "Who had a meaningful moment today, and what made it work?",
        "Who spent long stretches with nothing to do, and what could change next shift?",
    ],
)

DE_ESCALATION = ThemeInput(
    title="De-escalation before restriction",
    why="Calm, early support prevents most crises; restriction is a last resort and always reviewed.",
    source_kind=SourceKind.incident,
    source_reference="Post-incident review IR-2026-014",
    behaviours=[
        "Spots early signs of distress and responds straight away",
        "Uses a calm voice, gives space and offers a way out",
        "Tries the person's known calming strategies first",
        "Uses restrictive practice only as a last resort, for the shortest time",
        "Talks through what happened with the team afterwards",
    ],
    prompts=[
        "Was anyone distressed this shift? What helped them settle?",
        "Was any restrictive practice used, and could it have been avoided?",
    ],
)


def load_demo_data(
    session: Session,
    *,
    settings: Settings,
    passwords: Passwords,
    now: datetime,
    history_weeks: int = 0,
) -> bool:
    """Load the demo into an empty store, with ``history_weeks`` weeks of history before the
    last day (``app.demo_history``). Returns False (and changes nothing) if the store already
    holds an organisation."""
    if not settings.demo_mode:
        raise RuntimeError("Demo data is only loaded in demo mode (SHIFT_DEMO_MODE=true).")
    if session.exec(select(Organisation.id)).first() is not None:
        return False
    organisation = org_service.create_organisation(session, name="Demo Care Group", now=now)
    password_hash = passwords.hash(DEMO_PASSWORD)

    def account(login: DemoLogin, site: Site | None) -> None:
        auth_service.create_account(
            session,
            organisation_id=organisation.id,
            email=login.email,
            name=login.name,
            password_hash=password_hash,
            site_id=site.id if site else None,
            role=login.role,
            now=now,
        )

    admin_login, quality_login = DEMO_LOGINS[5], DEMO_LOGINS[4]
    account(admin_login, None)
    admin = _actor(session, admin_login.email)
    sites = {
        name: org_service.create_site(
            session, actor=admin, data=SiteInput(name=name, kind=kind), now=now
        )
        for name, (kind, _people) in SITES.items()
    }
    admin = _actor(session, admin_login.email)  # an organisation-wide role now covers the sites
    for name, (_kind, people) in SITES.items():
        org_service.set_shift_pattern(session, actor=admin, site=sites[name], data=PATTERN, now=now)
        for preferred_name, room in people:
            org_service.add_person(
                session,
                actor=admin,
                site=sites[name],
                data=PersonInput(preferred_name=preferred_name, room=room),
                now=now,
            )
    for login in DEMO_LOGINS[:5]:
        account(login, sites[login.site] if login.site else None)
    # The themes started before the history does, so its first weeks are theirs too.
    began = now - timedelta(weeks=history_weeks + 1)
    _add_themes(session, quality_email=quality_login.email, sites=sites, now=began)
    _add_recent_notes(
        session, carer_email=DEMO_LOGINS[0].email, site=sites["Rosewood House"], now=now
    )
    _add_snapshots(
        session,
        takers={"Rosewood House": DEMO_LOGINS[2].email, "Beech Court": quality_login.email},
        sites=sites,
        now=now,
    )
    if history_weeks:
        load_demo_history(session, actor=admin, sites=sites, weeks=history_weeks, now=now)
    return True


def _add_themes(
    session: Session, *, quality_email: str, sites: dict[str, Site], now: datetime
) -> None:
    quality = _actor(session, quality_email)
    everywhere = [site.id for site in sites.values()]
    rosewood = [sites["Rosewood House"].id]
    # Proactive engagement began first (its pilot came before the roll-out), so it leads the
    # focus; de-escalation followed the post-incident review.
    for data, site_ids, status, weeks_earlier, reason in (
        (PROACTIVE_ENGAGEMENT, everywhere, ThemeStatus.embedding, 4,
         "Pilot at Rosewood House: incidents linked to boredom fell; rolling out to all sites."),
        (DE_ESCALATION, rosewood, ThemeStatus.pilot, 0,
         "Piloting at Rosewood House after the post-incident review."),
    ):  # fmt: skip
        began = (now - timedelta(weeks=weeks_earlier)).date()
        started = {"site_ids": site_ids, "start_date": began}
        theme = theme_service.create_theme(
            session, actor=quality, data=data.model_copy(update=started), now=now
        )
        theme_service.transition_theme(
            session, actor=quality, theme=theme, to_status=status, reason=reason, now=now
        )


def _actor(session: Session, email: str) -> Actor:
    user = session.exec(select(User).where(User.email == email)).one()
    return auth_service.load_actor(session, user=user)


# (person, how far through the last shift, level, activity, restrictive practice and why)
RECENT_NOTES = (
    ("Ada", 0.1, 3, "Baking scones, chose the recipe", None),
    ("Ben", 0.25, 1, "Lunch", None),
    ("Cath", 0.4, 2, "Folding laundry together", None),
    ("Dev", 0.55, 2, "Garden walk", None),
    (
        "Ben",
        0.7,
        0,
        "Waiting in the lounge",
        ("kept_apart", "Shouting at Cath; walked with him to his room"),
    ),
    ("Eli", 0.85, 3, "Chose the music for everyone", None),
)


def _add_recent_notes(session: Session, *, carer_email: str, site: Site, now: datetime) -> None:
    """Notes through the shift before this one, so the first handover has something to
    summarise whatever the time of day the demo was loaded."""
    carer = _actor(session, carer_email)
    people = {
        person.preferred_name: person
        for person in org_service.list_people(session, actor=carer, site_id=site.id)
    }
    change = shift_change.current_change(session, site=site, now=now)
    if change is None:  # the demo's pattern covers every hour of the day
        return
    starts = change.outgoing.starts
    length = min(change.outgoing.ends, now) - starts
    for name, through, level, activity, restriction in RECENT_NOTES:
        practice, reason = restriction or (None, "")
        engagement_service.record_engagement_note(
            session,
            actor=carer,
            data=EngagementNoteCreate(
                id=uuid.uuid4(),
                person_id=people[name].id,
                level=level,
                activity=activity,
                restrictive_practice=practice,
                restrictive_reason=reason,
            ),
            now=starts + length * through,
        )


# (site, hours ago, minutes, room, positive social, positive care, neutral, protective but
# restrictive, restrictive): a busy lounge, a quiet dining room, a flat's kitchen.
SNAPSHOTS = (
    ("Rosewood House", 26, 10, "Lounge", 9, 6, 4, 1, 0),
    ("Rosewood House", 5, 8, "Dining room", 3, 7, 6, 2, 1),
    ("Rosewood House", 2, 5, "Garden room", 6, 2, 1, 0, 0),
    ("Beech Court", 30, 10, "Shared kitchen", 5, 4, 3, 0, 0),
    ("Beech Court", 4, 6, "Lounge", 2, 3, 5, 1, 0),
)


def _add_snapshots(
    session: Session, *, takers: dict[str, str], sites: dict[str, Site], now: datetime
) -> None:
    """A few walk-round snapshots at each site, from the last two days."""
    for site_name, hours_ago, minutes, room, *counts in SNAPSHOTS:
        social, care, neutral, protective, restrictive = counts
        snapshot_service.record_interaction_snapshot(
            session,
            actor=_actor(session, takers[site_name]),
            data=SnapshotCreate(
                id=uuid.uuid4(),
                site_id=sites[site_name].id,
                started_at=now - timedelta(hours=hours_ago),
                minutes=minutes,
                location=room,
                positive_social=social,
                positive_care=care,
                neutral=neutral,
                protective_restrictive=protective,
                restrictive=restrictive,
            ),
            now=now,
        )
