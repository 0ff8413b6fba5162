"""A realistic history for sites and their active themes, written in bulk: engagement notes,
restrictive-practice reviews, observations with their actions, handovers with prompts and
attendance, and (when asked for) interaction snapshots, over the weeks before ``now``, with planted patterns (``patterns.ThemePattern``).

Records are made as the services make them (the same content hash, the same shift derivation,
plausible ``recorded_at``), from a seeded ``random.Random``: the same store, seed and ``now``
give the same rows. Nothing is recorded in the last 24 hours, so "my notes today" and the
current shift's handover are the demo's own. No audit events are written: no one did these
things in the app, and the audit log records only what was done in it.
"""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from datetime import date, datetime, timedelta
from random import Random

from sqlmodel import Session

from app.action.models import FollowUpAction
from app.auth.actor import Actor
from app.demo_history.context import History, SiteCast, occurrences
from app.demo_history.handovers import add_handover
from app.demo_history.notes import add_shift_notes
from app.demo_history.observations import add_observations
from app.demo_history.patterns import DRIFTS_ON_NIGHTS, EMBEDS, ThemePattern
from app.demo_history.snapshots import add_snapshots
from app.engagement.models import EngagementNote, EngagementNoteRevision, RestrictivePracticeReview
from app.handover.models import Handover, HandoverAttendance, HandoverEntry, HandoverPromptResponse
from app.observation.models import Observation, ObservationRating
from app.org import service as org_service
from app.org import staff as org_staff
from app.org.models import Site
from app.snapshot.models import InteractionSnapshot
from app.theme import service as theme_service

__all__ = ["DRIFTS_ON_NIGHTS", "EMBEDS", "ThemePattern", "generate_history"]

QUIET_BEFORE_NOW = timedelta(hours=24)
WRITE_ORDER = (
    EngagementNote,
    EngagementNoteRevision,
    RestrictivePracticeReview,
    Observation,
    ObservationRating,
    FollowUpAction,
    Handover,
    HandoverEntry,
    HandoverPromptResponse,
    HandoverAttendance,
    InteractionSnapshot,
)


def generate_history(
    session: Session,
    *,
    actor: Actor,
    sites: Sequence[Site],
    patterns: Mapping[uuid.UUID, ThemePattern],
    weeks: int,
    now: datetime,
    observe_every_weeks: Mapping[uuid.UUID, int] | None = None,
    snapshots_per_week: int = 0,
    seed: int = 2026,
    copy: bool = True,
    after_site: Callable[[Site], None] | None = None,
) -> dict[str, int]:
    """Write history at each site for its active themes that have a pattern: ``weeks`` whole
    weeks (Monday to Sunday), then the days of the next week up to 24 hours before ``now``.
    ``observe_every_weeks`` (by site, default 1): how often each shift is observed;
    ``snapshots_per_week``: interaction snapshots a site a week (none by default, so the small
    demo keeps its own handful); ``copy``: COPY where the store has it. Each site's rows are
    written before the next site's are made, and ``after_site`` hears of it. Answers how many
    rows each table got."""
    end = now - QUIET_BEFORE_NOW
    history = History(
        rng=Random(seed),  # noqa: S311 - a plausible story, not a secret
        first_day=_monday(end.date()) - timedelta(weeks=weeks),
        end=end,
        copy=copy,
    )
    cadence = observe_every_weeks or {}
    counts: Counter[str] = Counter()
    for site in sorted(sites, key=lambda site: site.name):
        cast = _cast(session, actor, site, patterns, cadence.get(site.id, 1))
        shifts = occurrences(session, cast, history)
        for index, occurrence in enumerate(shifts):
            add_shift_notes(session, history, cast, occurrence)
            if index > 0:
                add_handover(session, history, cast, occurrence)
        add_observations(session, history, cast, shifts)
        add_snapshots(session, history, cast, shifts, snapshots_per_week)
        counts.update(history.write(session, WRITE_ORDER))  # a site at a time: bounded memory
        if after_site is not None:
            after_site(site)
    names = [model.__table__.name for model in WRITE_ORDER]  # type: ignore[attr-defined]
    return {name: counts[name] for name in names}


def _monday(day: date) -> date:
    """Weeks start on Monday (ISO), as the governance indicators count them."""
    return day - timedelta(days=day.weekday())


def _cast(
    session: Session,
    actor: Actor,
    site: Site,
    patterns: Mapping[uuid.UUID, ThemePattern],
    every: int,
) -> SiteCast:
    """The site's people, team and patterned themes, in a fixed order (for the same rows)."""
    people = org_service.list_people(session, actor=actor, site_id=site.id)
    team = org_staff.site_team(session, actor=actor, site_id=site.id)
    views = theme_service.active_themes_for_site(session, actor=actor, site_id=site.id)
    return SiteCast(
        site=site,
        people=sorted(people, key=lambda person: (person.preferred_name, str(person.id))),
        team=sorted(team, key=lambda member: member.email),
        themes=[
            (view, patterns[view.theme.id])
            for view in sorted(views, key=lambda view: view.theme.title)
            if view.theme.id in patterns
        ],
        observe_every_weeks=every,
    )
