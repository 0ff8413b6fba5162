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
    """What the decision form offers: (value, label) pairs."""

    sites: list[tuple[str, str]]
    owners: list[tuple[str, str]]
    themes: list[tuple[str, str]]


def decision_choices(
    session: Session, *, actor: Actor, site_names: dict[uuid.UUID, str]
) -> DecisionChoices:
    """The sites the actor records decisions for, the staff working there (a person working at
    two sites is offered once, with both named) and the themes in use."""
    site_ids = [site_id for site_id in deciding_sites(actor) if site_id in site_names]
    owners: dict[uuid.UUID, tuple[str, list[str]]] = {}
    for site_id in site_ids:
        for member in org_staff.site_team(session, actor=actor, site_id=site_id):
            owners.setdefault(member.user_id, (member.name, []))[1].append(site_names[site_id])
    in_use = [
        theme
        for theme in theme_service.list_themes(session, actor=actor)
        if theme.status not in (ThemeStatus.draft, ThemeStatus.retired)
    ]
    return DecisionChoices(
        sites=[(str(site_id), site_names[site_id]) for site_id in site_ids],
        owners=[
            (str(user_id), f"{name} ({', '.join(sites)})")
            for user_id, (name, sites) in sorted(owners.items(), key=lambda item: item[1][0])
        ],
        themes=[("", "None in particular")] + [(str(t.id), t.title) for t in in_use],
    )
