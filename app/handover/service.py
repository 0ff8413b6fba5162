"""Handovers: starting one, completing it, amending it afterwards, acknowledging it, reading them.

Rules:
- Team leads and managers of the site (``lead_shift``) start and run handovers. Care workers
  read their site's handovers and acknowledge completed ones; quality leads and admins read.
  A handover at a site outside the actor's scope does not exist for them (404).
- A handover is for one shift change. Unless both shifts are chosen, the shift running now takes
  over from the shift that started before it. A site has one handover per shift change.
- Until it is completed its lead records person updates, prompt answers, attendance and actions
  (``app.handover.recording``). Completing locks it; a later change is an amendment, with what
  changed and why, by the lead who ran it or a manager of the site.
- Each member of the site's team acknowledges a completed handover once, on their own device; an
  acknowledgement from their second device answers with the first.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, func, select

from app.audit.service import record_event
from app.auth.actor import Actor
from app.auth.models import Role
from app.auth.permissions import SiteCapability
from app.auth.recipients import holders_at_site
from app.errors import Conflict, Forbidden, Invalid, NotFound
from app.handover.models import (
    SHIFT_CHANGE,
    Handover,
    HandoverAcknowledgement,
    HandoverAmendment,
    HandoverAttendance,
    HandoverEntry,
    HandoverPromptResponse,
)
from app.handover.schemas import AcknowledgementCreate, AmendmentCreate, HandoverStart
from app.handover.shift_change import shift_change
from app.inbox.models import Kind
from app.inbox.service import notify
from app.org import staff as org_staff
from app.org.models import Site
from app.record_weeks import records_changed
from app.records import Capture, Stored, fingerprint, insert_record_once


class AlreadyStarted(Conflict):
    """Another handover already covers this shift change; ``handover_id`` is that one."""

    def __init__(self, handover_id: uuid.UUID) -> None:
        super().__init__(
            "A handover for this shift change has already been started. Open it from the "
            "list of handovers."
        )
        self.handover_id = handover_id


def start_handover(
    session: Session, *, actor: Actor, data: HandoverStart, now: datetime
) -> Stored[Handover]:
    """The one way a handover is started; the lead's own attendance is recorded with it.

    A retry is answered from what was saved, whatever shift is running by the time it arrives.
    The schema allows one handover per shift change at a site, so when a colleague started one
    first (a moment ago, or at the same moment on another phone) that one is the answer.
    """
    actor.require(SiteCapability.lead_shift, data.site_id)
    content_hash = fingerprint(data, author_id=actor.user_id)
    capture = Capture(
        id=data.id,
        same={"content_hash": content_hash},
        make_row=lambda: _new_handover(
            session, actor=actor, data=data, content_hash=content_hash, now=now
        ).model_dump(),
    )
    saved = insert_record_once(
        session, Handover, capture, natural_key=SHIFT_CHANGE, visible_sites=actor.site_ids
    )
    if saved.record.id != data.id:
        raise AlreadyStarted(saved.record.id)
    if saved.created:
        handover = saved.record
        add_attendance(
            session,
            actor=actor,
            handover=handover,
            user_id=actor.user_id,
            role=_role(actor, handover),
            now=now,
        )
        summary = f"outgoing={handover.outgoing_shift} incoming={handover.incoming_shift}"
        audit(session, actor, handover, "create", now, summary=summary)
    return saved


def _new_handover(
    session: Session, *, actor: Actor, data: HandoverStart, content_hash: str, now: datetime
) -> Handover:
    site = session.get_one(Site, data.site_id)
    change = shift_change(session, site=site, data=data, now=now)
    return Handover(
        id=data.id,
        organisation_id=site.organisation_id,
        site_id=site.id,
        lead_id=actor.user_id,
        outgoing_shift=change.outgoing.name,
        outgoing_date=change.outgoing.start_date,
        incoming_shift=change.incoming.name,
        incoming_date=change.incoming.start_date,
        started_at=now,
        content_hash=content_hash,
    )


def _role(actor: Actor, handover: Handover) -> Role:
    role = actor.role_at(handover.site_id)
    assert role is not None  # the actor leads shifts here, so holds a role here
    return role


def require_running(actor: Actor, handover: Handover) -> None:
    """Recording during a handover: a team lead or manager of the site, until it is completed."""
    actor.require(SiteCapability.lead_shift, handover.site_id)
    if handover.completed_at is not None:
        raise Invalid.one("handover", "This handover is complete. Record a change as an amendment.")


def complete_handover(
    session: Session, *, actor: Actor, handover: Handover, now: datetime
) -> Handover:
    """Lock the handover; completing it again changes nothing."""
    actor.require(SiteCapability.lead_shift, handover.site_id)
    if handover.completed_at is not None:
        return handover
    handover.completed_at, handover.completed_by_id = now, actor.user_id
    session.add(handover)
    audit(session, actor, handover, "complete", now, summary=_counts(session, handover))
    site = session.get_one(Site, handover.site_id)
    staff = holders_at_site(session, site_id=site.id, capability=SiteCapability.work_shifts)
    incoming = org_staff.on_shift(
        session, site_id=site.id, shift_name=handover.incoming_shift, staff=staff
    )
    notify(
        session,
        users=incoming - {actor.user_id},
        kind=Kind.handover_to_acknowledge,
        title=f"Handover for {site.name}, {handover.incoming_shift.lower()} shift, "
        "is ready to acknowledge",
        url=f"/handovers/{handover.id}",
        source_key=str(handover.id),
        now=now,
    )
    return handover


def _counts(session: Session, handover: Handover) -> str:
    def count(model: type[HandoverEntry] | type[HandoverPromptResponse]) -> int:
        query = select(func.count()).select_from(model).where(model.handover_id == handover.id)
        return session.exec(query).one()

    return f"entries={count(HandoverEntry)} prompt_responses={count(HandoverPromptResponse)}"


def may_amend(actor: Actor, handover: Handover) -> bool:
    """The lead who ran it (while still leading shifts there) or a manager of the site."""
    site_id = handover.site_id
    ran_it = handover.lead_id == actor.user_id and actor.can(SiteCapability.lead_shift, site_id)
    return ran_it or actor.can(SiteCapability.amend_any_handover, site_id)


def amend_handover(
    session: Session, *, actor: Actor, handover: Handover, data: AmendmentCreate, now: datetime
) -> Stored[HandoverAmendment]:
    """A change to a completed handover, kept beside it: what changed, by whom, when and why."""
    if handover.site_id not in actor.site_ids:
        raise NotFound()
    if not may_amend(actor, handover):
        raise Forbidden("Only the lead who ran this handover or a manager can amend it.")
    if handover.completed_at is None:
        raise Invalid.one("change", "This handover is still open: change it directly.")
    same = {
        "handover_id": handover.id,
        "author_id": actor.user_id,
        "reason": data.reason,
        "change": data.change,
    }
    capture = Capture(
        id=data.id,
        same=same,
        make_row=lambda: HandoverAmendment(id=data.id, at=now, **same).model_dump(),
    )
    saved = insert_record_once(session, HandoverAmendment, capture)
    if saved.created:
        audit(session, actor, handover, "amend", now)
    return saved


def add_attendance(
    session: Session,
    *,
    actor: Actor,
    handover: Handover,
    user_id: uuid.UUID,
    role: Role,
    now: datetime,
) -> Stored[HandoverAttendance]:
    """Record that someone was there, in their role at the site; recording them again keeps the
    first record."""
    attendance = HandoverAttendance(
        handover_id=handover.id, user_id=user_id, role=role, recorded_at=now
    )
    capture = Capture(id=None, make_row=attendance.model_dump)
    saved = insert_record_once(
        session, HandoverAttendance, capture, natural_key=("handover_id", "user_id")
    )
    if saved.created:
        audit(
            session,
            actor,
            handover,
            "create",
            now,
            entity="handover_attendance",
            entity_id=saved.record.id,
            summary=f"role={role.value}",
        )
    return saved


def acknowledge_handover(
    session: Session,
    *,
    actor: Actor,
    handover: Handover,
    data: AcknowledgementCreate,
    now: datetime,
) -> Stored[HandoverAcknowledgement]:
    """A staff member's "I've received this handover": anyone who works the site's shifts, once
    each."""
    if not actor.can(SiteCapability.work_shifts, handover.site_id):
        raise Forbidden("Only staff of this site acknowledge its handovers.")
    if handover.completed_at is None:
        raise Invalid.one("handover", "This handover is not complete yet.")

    same = {
        "handover_id": handover.id,
        "user_id": actor.user_id,
        "content_hash": fingerprint(data, author_id=actor.user_id),
    }
    capture = Capture(
        id=data.id,
        same=same,
        make_row=lambda: HandoverAcknowledgement(
            id=data.id, acknowledged_at=now, **same
        ).model_dump(),
    )
    # Their other device acknowledged first (another id): that acknowledgement is the answer.
    saved = insert_record_once(
        session, HandoverAcknowledgement, capture, natural_key=("handover_id", "user_id")
    )
    if saved.created:
        audit(session, actor, handover, "acknowledge", now)
    return saved


def acknowledgement_of(
    session: Session, *, handover_id: uuid.UUID, user_id: uuid.UUID
) -> HandoverAcknowledgement | None:
    return session.exec(
        select(HandoverAcknowledgement).where(
            HandoverAcknowledgement.handover_id == handover_id,
            HandoverAcknowledgement.user_id == user_id,
        )
    ).first()


def get_handover(session: Session, *, actor: Actor, handover_id: uuid.UUID) -> Handover:
    """A handover at one of the actor's sites; any other id is "not found"."""
    handover = session.get(Handover, handover_id)
    if handover is None or handover.site_id not in actor.site_ids:
        raise NotFound()
    return handover


@dataclass(frozen=True)
class HandoverFilter:
    site_id: uuid.UUID | None = None
    started_from: datetime | None = None
    started_to: datetime | None = None


def list_handovers(
    session: Session, *, actor: Actor, where: HandoverFilter, limit: int = 20, offset: int = 0
) -> list[Handover]:
    """Handovers at the actor's sites, newest first; ``started_to`` is exclusive."""
    if where.site_id is not None:
        actor.require(SiteCapability.view, where.site_id)
    site_ids = [where.site_id] if where.site_id else list(actor.site_ids)
    query = select(Handover).where(col(Handover.site_id).in_(site_ids))
    if where.started_from is not None:
        query = query.where(col(Handover.started_at) >= where.started_from)
    if where.started_to is not None:
        query = query.where(col(Handover.started_at) < where.started_to)
    query = query.order_by(col(Handover.started_at).desc(), col(Handover.id))
    return list(session.exec(query.limit(limit).offset(offset)))


def audit(
    session: Session,
    actor: Actor,
    handover: Handover,
    action: str,
    now: datetime,
    *,
    entity: str = "handover",
    entity_id: uuid.UUID | None = None,
    summary: str = "",
) -> None:
    """An audit event: ``summary`` holds codes and counts only, never words about a person.
    Every change to a handover comes here, so here its week's records are marked changed."""
    records_changed(session, [(handover.site_id, handover.outgoing_date)])
    record_event(
        session,
        organisation_id=handover.organisation_id,
        site_id=handover.site_id,
        actor_id=actor.user_id,
        action=action,
        entity=entity,
        entity_id=entity_id or handover.id,
        at=now,
        summary=summary,
    )
