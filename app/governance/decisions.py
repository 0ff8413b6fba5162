"""What the quality meeting decided: each decision an action with an owner and a due date, for a
site and the week met about, and optionally a learning theme.

A decision is saved by the action domain's one write path (``add_action``, insert-once under the
client's id), so its owner finds it in "my actions" and at handover like any other action; this
module checks what only the meeting knows: who may record decisions for which site, and that the
due date is not before the week met about. The page lists the week's decisions, done or not, so
it reads as the minutes.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from sqlmodel import Session

from app.action import service as action_service
from app.action.models import ActionSource, FollowUpAction
from app.auth.actor import Actor
from app.auth.permissions import SiteCapability
from app.errors import Forbidden, Invalid
from app.governance.schemas import MeetingDecisionCreate
from app.governance.weeks import monday_of
from app.org import staff as org_staff
from app.records import Stored
from app.theme import service as theme_service
from app.theme.models import ThemeStatus

CAPABILITY = SiteCapability.record_meeting_decisions


def deciding_sites(actor: Actor) -> list[uuid.UUID]:
    """The sites the actor may record the meeting's decisions for."""
    return sorted(site_id for site_id in actor.site_ids if actor.can(CAPABILITY, site_id))


def require_deciding(actor: Actor) -> None:
    """Refuse, before reading any form, someone who may record decisions for no site."""
    if not deciding_sites(actor):
        raise Forbidden()


def record_decision(
    session: Session, *, actor: Actor, data: MeetingDecisionCreate, now: datetime
) -> Stored[FollowUpAction]:
    """Save a decision once, as an action of source "meeting" for the week's Monday."""
    require_deciding(actor)
    if data.site_id not in deciding_sites(actor):
        raise Invalid.one("site_id", "Choose one of your sites.")
    week = monday_of(data.week)
    if data.due_on < week:
        raise Invalid.one("due_on", "Choose a due date in the meeting's week or after it.")
    return action_service.add_action(
        session,
        actor=actor,
        site_id=data.site_id,
        source=ActionSource.meeting,
        source_id=None,
        data=data,
        now=now,
        meeting_week=week,
        theme_id=data.theme_id,
    )


def decisions_of_week(
    session: Session, *, actor: Actor, week: date, site_ids: Iterable[uuid.UUID]
) -> list[FollowUpAction]:
    """The decisions recorded for the week at the sites, done or not: the minutes."""
    return [
        action
        for site_id in site_ids
        for action in action_service.list_actions(
            session,
            actor=actor,
            where=action_service.ActionFilter(
                site_id=site_id, meeting_week=monday_of(week), open_only=False
            ),
        )
    ]


@dataclass(frozen=True)
class DecisionChoices:
    """What the decision form offers: (value, label) pairs; ``site`` is the site chosen, whose
    staff are the ``owners`` (none until a site is chosen)."""

    sites: list[tuple[str, str]]
    site: tuple[str, str] | None
    owners: list[tuple[str, str]]
    themes: list[tuple[str, str]]


def decision_choices(
    session: Session,
    *,
    actor: Actor,
    site_names: dict[uuid.UUID, str],
    site_id: uuid.UUID | None,
) -> DecisionChoices:
    """The sites the actor records decisions for, and the staff of the one chosen (or of the
    only one): a lead of fifty sites picks the site first, not one of 1,500 names."""
    site_ids = [known for known in deciding_sites(actor) if known in site_names]
    if len(site_ids) == 1 and site_id is None:
        site_id = site_ids[0]
    team = []
    if site_id is not None and site_id in site_ids:
        team = org_staff.site_team(session, actor=actor, site_id=site_id)
    in_use = [
        theme
        for theme in theme_service.list_themes(session, actor=actor)
        if theme.status not in (ThemeStatus.draft, ThemeStatus.retired)
    ]
    return DecisionChoices(
        sites=[(str(known), site_names[known]) for known in site_ids],
        site=(str(site_id), site_names[site_id]) if site_id in site_ids else None,
        owners=[
            (str(member.user_id), f"{member.name} ({member.role.label})")
            for member in sorted(team, key=lambda member: member.name)
        ],
        themes=[("", "None in particular")] + [(str(t.id), t.title) for t in in_use],
    )
