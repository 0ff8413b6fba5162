"""Reading handovers. One handover whole, for its page and the API: people with their summaries
and entries, the prompts with their latest answers, attendance, actions carried forward,
amendments, and who of the site's team has acknowledged it, in a fixed number of queries however
many people, prompts or staff. And, for a care worker's home, the handover to their shift."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, select

from app.action import service as action_service
from app.action.models import FollowUpAction
from app.auth import service as auth_service
from app.auth.actor import Actor
from app.auth.permissions import MANAGER_AT_HANDOVER, SiteCapability
from app.handover.models import (
    Handover,
    HandoverAcknowledgement,
    HandoverAmendment,
    HandoverAttendance,
    HandoverEntry,
    HandoverPromptResponse,
)
from app.handover.service import acknowledgement_of, may_amend
from app.handover.summary import NoteSummary, summarise_outgoing_shift
from app.org import service as org_service
from app.org import staff as org_staff
from app.org.models import PersonSupported, Site
from app.org.staff import StaffMember
from app.theme import service as theme_service
from app.theme.models import HandoverPrompt

Row = TypeVar(
    "Row",
    HandoverAcknowledgement,
    HandoverAmendment,
    HandoverAttendance,
    HandoverEntry,
    HandoverPromptResponse,
)


@dataclass(frozen=True)
class PersonRow:
    person: PersonSupported
    summary: NoteSummary
    entry: HandoverEntry | None


@dataclass(frozen=True)
class PromptRow:
    theme_title: str
    prompt: HandoverPrompt
    latest: HandoverPromptResponse | None


@dataclass(frozen=True)
class Acknowledgements:
    """The site's team split into who gave the handover (the lead who ran it and whoever
    completed it: they have it already), who has received it (with when) and who has not."""

    given_by: list[StaffMember]
    received: list[tuple[StaffMember, datetime]]
    waiting: list[StaffMember]


@dataclass(frozen=True)
class HandoverView:
    handover: Handover
    site: Site
    zone: ZoneInfo
    people: list[PersonRow]
    prompts: list[PromptRow]
    latest_responses: list[HandoverPromptResponse]
    attendance: list[HandoverAttendance]
    manager_present: bool
    team: list[StaffMember]
    actions: list[FollowUpAction]
    overdue: set[uuid.UUID]
    amendments: list[HandoverAmendment]
    acknowledgements: Acknowledgements
    mine: HandoverAcknowledgement | None
    gave_it: bool
    names: dict[uuid.UUID, str]
    can_run: bool
    can_amend: bool
    can_acknowledge: bool


def view_handover(
    session: Session, *, actor: Actor, handover: Handover, now: datetime
) -> HandoverView:
    site = session.get_one(Site, handover.site_id)
    team = org_staff.site_team(session, actor=actor, site_id=site.id)
    latest = _latest_responses(session, handover.id)
    attendance = _rows(session, HandoverAttendance, handover.id, HandoverAttendance.recorded_at)
    amendments = _rows(session, HandoverAmendment, handover.id, HandoverAmendment.at)
    actions = action_service.open_actions_at_site(session, actor=actor, site_id=site.id)
    acks = _acks(session, handover.id)
    mine = next((ack for ack in acks if ack.user_id == actor.user_id), None)
    completed = handover.completed_at is not None
    on_team = any(member.user_id == actor.user_id for member in team)
    gave_it = actor.user_id in givers(handover)
    names = auth_service.user_names(
        session,
        [handover.lead_id, *(row.user_id for row in attendance)]
        + [row.author_id for row in amendments]
        + [action.owner_id for action in actions]
        + ([handover.completed_by_id] if handover.completed_by_id else []),
    )
    return HandoverView(
        handover=handover,
        site=site,
        zone=ZoneInfo(site.time_zone),
        people=_people(session, actor=actor, handover=handover),
        prompts=_prompts(session, actor=actor, site_id=site.id, latest=latest),
        latest_responses=list(latest.values()),
        attendance=attendance,
        manager_present=any(row.role in MANAGER_AT_HANDOVER for row in attendance),
        team=team,
        actions=actions,
        overdue=action_service.overdue_ids(session, actions, now=now),
        amendments=amendments,
        acknowledgements=_split(team, acks, handover),
        mine=mine,
        gave_it=completed and gave_it,
        names=names,
        can_run=not completed and actor.can(SiteCapability.lead_shift, site.id),
        can_amend=completed and may_amend(actor, handover),
        can_acknowledge=completed and on_team and mine is None and not gave_it,
    )


def _people(session: Session, *, actor: Actor, handover: Handover) -> list[PersonRow]:
    """Everyone supported at the site now, and anyone since moved out who has an entry here."""
    entries = {
        entry.person_id: entry
        for entry in _rows(session, HandoverEntry, handover.id, HandoverEntry.updated_at)
    }
    summaries = summarise_outgoing_shift(session, actor=actor, handover=handover)
    people = org_service.list_people(session, actor=actor, site_id=handover.site_id)
    listed = {person.id for person in people}
    people += [
        org_service.get_person(session, actor=actor, person_id=person_id)
        for person_id in entries
        if person_id not in listed
    ]
    return [
        PersonRow(person, summaries.get(person.id, NoteSummary()), entries.get(person.id))
        for person in people
    ]


def _prompts(
    session: Session,
    *,
    actor: Actor,
    site_id: uuid.UUID,
    latest: dict[uuid.UUID, HandoverPromptResponse],
) -> list[PromptRow]:
    return [
        PromptRow(theme_title=view.theme.title, prompt=prompt, latest=latest.get(prompt.id))
        for view in theme_service.active_themes_for_site(session, actor=actor, site_id=site_id)
        for prompt in view.prompts
    ]


def _latest_responses(
    session: Session, handover_id: uuid.UUID
) -> dict[uuid.UUID, HandoverPromptResponse]:
    """The latest answer to each prompt: later answers replace earlier ones in the dict."""
    responses = _rows(
        session, HandoverPromptResponse, handover_id, HandoverPromptResponse.recorded_at
    )
    return {response.prompt_id: response for response in responses}


def acknowledgement_status(
    session: Session, *, actor: Actor, handover: Handover
) -> Acknowledgements:
    team = org_staff.site_team(session, actor=actor, site_id=handover.site_id)
    return _split(team, _acks(session, handover.id), handover)


def givers(handover: Handover) -> set[uuid.UUID]:
    """Who gave the handover: its lead, and whoever completed it. They are not asked to
    acknowledge what they gave."""
    return {handover.lead_id} | ({handover.completed_by_id} if handover.completed_by_id else set())


def _split(
    team: list[StaffMember], acks: list[HandoverAcknowledgement], handover: Handover
) -> Acknowledgements:
    gave = givers(handover) if handover.completed_at else set()
    at = {ack.user_id: ack.acknowledged_at for ack in acks}
    given_by = [member for member in team if member.user_id in gave]
    others = [member for member in team if member.user_id not in gave]
    received = sorted(
        ((member, at[member.user_id]) for member in others if member.user_id in at),
        key=lambda pair: pair[1],
    )
    waiting = [member for member in others if member.user_id not in at]
    return Acknowledgements(given_by=given_by, received=received, waiting=waiting)


def _acks(session: Session, handover_id: uuid.UUID) -> list[HandoverAcknowledgement]:
    return _rows(
        session, HandoverAcknowledgement, handover_id, HandoverAcknowledgement.acknowledged_at
    )


def _rows(session: Session, model: type[Row], handover_id: uuid.UUID, order: Any) -> list[Row]:
    return list(
        session.exec(select(model).where(model.handover_id == handover_id).order_by(col(order)))
    )


@dataclass(frozen=True)
class HandoverForHome:
    id: uuid.UUID
    outgoing_shift: str
    incoming_shift: str
    completed_at: datetime
    acknowledged_at: datetime | None
    gave_it: bool
    zone: ZoneInfo


def latest_for_home(session: Session, *, actor: Actor, now: datetime) -> HandoverForHome | None:
    """The latest completed handover to the shift running now at a site whose shifts the actor
    works, and whether they have acknowledged it."""
    sites = org_service.list_sites(session, actor=actor)
    worked_at = [site for site in sites if actor.can(SiteCapability.work_shifts, site.id)]
    found = [
        handover
        for site in worked_at
        if (handover := _completed_to_shift_now(session, site, now)) is not None
    ]
    if not found:
        return None
    latest = max(found, key=lambda handover: handover.started_at)
    assert latest.completed_at is not None  # only completed handovers were looked for
    mine = acknowledgement_of(session, handover_id=latest.id, user_id=actor.user_id)
    site = next(site for site in worked_at if site.id == latest.site_id)
    return HandoverForHome(
        id=latest.id,
        outgoing_shift=latest.outgoing_shift,
        incoming_shift=latest.incoming_shift,
        completed_at=latest.completed_at,
        acknowledged_at=mine.acknowledged_at if mine else None,
        gave_it=actor.user_id in givers(latest),
        zone=ZoneInfo(site.time_zone),
    )


def _completed_to_shift_now(session: Session, site: Site, now: datetime) -> Handover | None:
    running = org_service.current_shift(session, site=site, now=now)
    if running is None:
        return None
    query = (
        select(Handover)
        .where(
            Handover.site_id == site.id,
            Handover.incoming_shift == running.name,
            Handover.incoming_date == running.start_date,
            col(Handover.completed_at).is_not(None),
        )
        .order_by(col(Handover.completed_at).desc())
    )
    return session.exec(query).first()
