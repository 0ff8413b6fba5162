"""Handovers of a generated history: one at every shift change, led by a team lead, completed
within half an hour, with a word on each person, the active themes' prompts (discussed as the
outgoing shift's practice goes) and who was there, the manager now and then."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlmodel import Session

from app.auth.permissions import SiteCapability
from app.demo_history import phrases
from app.demo_history.context import History, SiteCast
from app.demo_history.patterns import discussed_share
from app.handover import shift_change
from app.handover.models import (
    Handover,
    HandoverAttendance,
    HandoverEntry,
    HandoverPromptResponse,
    PersonStatus,
)
from app.handover.schemas import HandoverStart, PromptResponseCreate
from app.org.shifts import ShiftOccurrence
from app.org.staff import StaffMember
from app.records import fingerprint

STATUSES = (PersonStatus.stable,) * 17 + (PersonStatus.watch,) * 2 + (PersonStatus.unwell,)
MANAGER_AT_DAY_HANDOVER = 0.35
MANAGER_AT_NIGHT_HANDOVER = 0.05


def add_handover(
    session: Session, history: History, cast: SiteCast, incoming: ShiftOccurrence
) -> None:
    """The handover as the incoming shift starts; which change it is for is derived as
    ``start_handover`` derives it when no shifts are chosen."""
    leads = [m for m in cast.able(SiteCapability.lead_shift) if m not in cast.managers]
    leads = leads or cast.able(SiteCapability.lead_shift)  # the manager leads where no one else can
    if not leads:
        return
    lead = history.pick(leads)
    started_at = incoming.starts + timedelta(minutes=history.rng.randrange(0, 7))
    change = shift_change.current_change(session, site=cast.site, now=started_at)
    if change is None:
        return
    completed_at = started_at + timedelta(minutes=history.rng.randrange(12, 26))
    data = HandoverStart(id=history.new_id(), site_id=cast.site.id)
    handover = Handover(
        id=data.id,
        organisation_id=cast.site.organisation_id,
        site_id=cast.site.id,
        lead_id=lead.user_id,
        outgoing_shift=change.outgoing.name,
        outgoing_date=change.outgoing.start_date,
        incoming_shift=change.incoming.name,
        incoming_date=change.incoming.start_date,
        started_at=started_at,
        completed_at=completed_at,
        completed_by_id=lead.user_id,
        content_hash=fingerprint(data, author_id=lead.user_id),
    )
    history.add(Handover, handover.model_dump())
    _add_entries(history, cast, handover, lead, completed_at)
    _add_prompts(history, cast, handover, lead, change.outgoing, completed_at)
    _add_attendance(history, cast, handover, lead, night=_is_night(cast, change.outgoing))


def _is_night(cast: SiteCast, occurrence: ShiftOccurrence) -> bool:
    return occurrence.ends.astimezone(cast.zone).date() != occurrence.start_date


def _during(history: History, handover: Handover, completed_at: datetime) -> datetime:
    return history.moment(handover.started_at, completed_at)


def _add_entries(
    history: History, cast: SiteCast, handover: Handover, lead: StaffMember, completed_at: datetime
) -> None:
    for person in cast.people:
        status = history.pick(STATUSES)
        history.add(
            HandoverEntry,
            {
                "id": history.new_id(),
                "handover_id": handover.id,
                "person_id": person.id,
                "status": status,
                "update": history.pick(phrases.HANDOVER_UPDATES[status.value]),
                "risks": "Monitor and tell the nurse on call"
                if status == PersonStatus.unwell
                else "",
                "updated_by_id": lead.user_id,
                "updated_at": _during(history, handover, completed_at),
            },
        )


def _add_prompts(
    history: History,
    cast: SiteCast,
    handover: Handover,
    lead: StaffMember,
    outgoing: ShiftOccurrence,
    completed_at: datetime,
) -> None:
    """Each active theme's prompts, discussed about as often as the outgoing shift practises
    the theme."""
    progress = history.progress(outgoing.start_date)
    for view, pattern in cast.themes:
        share = discussed_share(pattern.target(progress, outgoing.name))
        for prompt in view.prompts:
            discussed = history.chance(share)
            data = PromptResponseCreate(
                id=history.new_id(),
                prompt_id=prompt.id,
                discussed=discussed,
                note=history.pick(phrases.DISCUSSED if discussed else phrases.NOT_DISCUSSED),
            )
            history.add(
                HandoverPromptResponse,
                {
                    "id": data.id,
                    "handover_id": handover.id,
                    "prompt_id": prompt.id,
                    "theme_id": view.theme.id,
                    "discussed": discussed,
                    "note": data.note,
                    "author_id": lead.user_id,
                    "recorded_at": _during(history, handover, completed_at),
                    "content_hash": fingerprint(data, author_id=lead.user_id),
                },
            )


def _add_attendance(
    history: History, cast: SiteCast, handover: Handover, lead: StaffMember, *, night: bool
) -> None:
    """The lead, one to three colleagues, and the manager at some day handovers."""
    others = [m for m in cast.able(SiteCapability.work_shifts) if m not in [*cast.managers, lead]]
    present = [lead, *history.rng.sample(others, k=min(len(others), history.rng.randrange(1, 4)))]
    managers = [m for m in cast.managers if m not in present]
    visit = MANAGER_AT_NIGHT_HANDOVER if night else MANAGER_AT_DAY_HANDOVER
    if managers and history.chance(visit):
        present.append(history.pick(managers))
    for member in present:
        history.add(
            HandoverAttendance,
            {
                "id": history.new_id(),
                "handover_id": handover.id,
                "user_id": member.user_id,
                "role": member.role,
                "recorded_at": handover.started_at,
            },
        )
