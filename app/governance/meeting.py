"""The quality meeting: one week, one page, in the order the meeting takes it.

Drift alerts (open, and those raised or resolved that week), lifecycle proposals (waiting, and
those decided that week), restrictive practice awaiting review, actions overdue or due that
week, and shifts not observed for 28 days, across the sites whose indicators the reader may
read. Each item links to where it is decided; what was decided that week reads as the minutes,
with the decisions recorded for the week as actions with owners (``decisions``).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlmodel import Session, col, or_, select

from app.action import service as action_service
from app.action.models import FollowUpAction
from app.auth import service as auth_service
from app.auth.actor import Actor
from app.auth.permissions import OrgCapability, SiteCapability
from app.db import by_id
from app.engagement import service as engagement_service
from app.errors import Forbidden
from app.governance import decisions, lifecycle
from app.governance.models import DriftAlert, FlagKind, LifecycleProposal
from app.org.models import Site
from app.record_weeks import monday_of
from app.theme import service as theme_service


@dataclass(frozen=True)
class QualityMeeting:
    week_start: date
    sites: dict[uuid.UUID, Site]
    themes: dict[uuid.UUID, str]
    alerts: list[DriftAlert]
    proposals: list[LifecycleProposal]
    to_review: dict[uuid.UUID, int]  # per site, where any wait
    actions: list[FollowUpAction]
    overdue: set[uuid.UUID]
    unobserved: list[DriftAlert]
    decisions: list[FollowUpAction]
    names: dict[uuid.UUID, str]  # the decisions' owners

    @property
    def week_before(self) -> date:
        return self.week_start - timedelta(weeks=1)

    @property
    def week_after(self) -> date:
        return self.week_start + timedelta(weeks=1)


def quality_meeting(
    session: Session, *, actor: Actor, week_of: date, now: datetime
) -> QualityMeeting:
    readable = sorted(s for s in actor.site_ids if actor.can(SiteCapability.read_indicators, s))
    if not readable:
        raise Forbidden()
    start = monday_of(week_of)
    since = datetime.combine(start, time(), UTC)
    until = since + timedelta(weeks=1)
    alerts = _alerts(session, readable, since, until)
    proposals = _proposals(session, actor, since, until)
    actions = [
        action
        for site_id in readable
        for action in action_service.list_actions(
            session,
            actor=actor,
            where=action_service.ActionFilter(site_id=site_id, due_to=start + timedelta(days=6)),
        )
    ]
    decided = decisions.decisions_of_week(session, actor=actor, week=start, site_ids=readable)
    theme_ids = {a.theme_id for a in alerts} | {p.theme_id for p in proposals}
    theme_ids |= {d.theme_id for d in decided if d.theme_id is not None}
    counts = {
        s: engagement_service.count_to_review(session, actor=actor, site_id=s) for s in readable
    }
    return QualityMeeting(
        week_start=start,
        sites=by_id(session, Site, readable),
        themes=theme_service.theme_titles(session, theme_ids=theme_ids),
        alerts=[a for a in alerts if a.kind is not FlagKind.not_observed],
        proposals=proposals,
        to_review={site_id: count for site_id, count in counts.items() if count},
        actions=actions,
        overdue=action_service.overdue_ids(session, [*actions, *decided], now=now),
        unobserved=[a for a in alerts if a.kind is FlagKind.not_observed and a.is_open],
        decisions=decided,
        names=auth_service.user_names(session, (d.owner_id for d in decided)),
    )


def _alerts(
    session: Session, site_ids: list[uuid.UUID], since: datetime, until: datetime
) -> list[DriftAlert]:
    """Open now, or raised or resolved in the week (the minutes)."""
    in_week = col(DriftAlert.raised_at).between(since, until) | col(DriftAlert.resolved_at).between(
        since, until
    )
    return list(
        session.exec(
            select(DriftAlert)
            .where(
                col(DriftAlert.site_id).in_(site_ids),
                or_(col(DriftAlert.resolved_at).is_(None), in_week),
            )
            .order_by(col(DriftAlert.raised_at).desc())
        )
    )


def _proposals(
    session: Session, actor: Actor, since: datetime, until: datetime
) -> list[LifecycleProposal]:
    if not actor.can_org(OrgCapability.manage_themes):
        return []
    waiting = lifecycle.open_proposals(session, actor=actor)
    decided = session.exec(
        select(LifecycleProposal).where(
            LifecycleProposal.organisation_id == actor.organisation_id,
            col(LifecycleProposal.decided_at).between(since, until),
        )
    )
    return waiting + list(decided)
