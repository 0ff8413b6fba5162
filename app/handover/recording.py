"""What the lead records while a handover runs: a status, update and risks per person
supported, the answer to each learning prompt, who attended and follow-up actions.

Rules:
- A team lead or manager of the site records them, until the handover is completed.
- A person's entry is overwritten until then (it is one handover's current word on them); a
  prompt answered again gets a newer answer and the latest counts, the earlier ones stay.
- A prompt belongs to a learning theme active at the site. Discussed needs what was said; not
  discussed needs why.
- Attendance and action owners come from the site's team; an action is due today or later.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlmodel import Session, select

from app.action import service as action_service
from app.action.models import ActionSource, FollowUpAction
from app.action.schemas import ActionCreate
from app.auth.actor import Actor
from app.errors import Invalid, NotFound
from app.handover.models import (
    Handover,
    HandoverAttendance,
    HandoverEntry,
    HandoverPromptResponse,
)
from app.handover.schemas import AttendanceCreate, PersonUpdate, PromptResponseCreate
from app.handover.service import add_attendance, audit, require_running
from app.org import service as org_service
from app.org import staff as org_staff
from app.org.models import PersonSupported, Site
from app.records import Capture, Stored, fingerprint, insert_record_once
from app.theme import service as theme_service


def record_person_update(
    session: Session,
    *,
    actor: Actor,
    handover: Handover,
    person_id: uuid.UUID,
    data: PersonUpdate,
    now: datetime,
) -> HandoverEntry:
    """Set what is handed over about one person; it replaces what was set earlier in this
    handover, until the handover is completed."""
    require_running(actor, handover)
    person = _person_at(session, actor=actor, handover=handover, person_id=person_id)
    fields = {**data.model_dump(), "updated_by_id": actor.user_id, "updated_at": now}
    entry_row = HandoverEntry(handover_id=handover.id, person_id=person.id, **fields).model_dump
    saved = insert_record_once(
        session,
        HandoverEntry,
        Capture(id=None, make_row=entry_row),
        natural_key=("handover_id", "person_id"),
    )
    entry = saved.record
    if not saved.created:
        for name, value in fields.items():
            setattr(entry, name, value)
        session.add(entry)
    verb = "create" if saved.created else "update"
    audit(
        session,
        actor,
        handover,
        verb,
        now,
        entity="handover_entry",
        entity_id=entry.id,
        summary=f"status={entry.status}",
    )
    return entry


def _person_at(
    session: Session, *, actor: Actor, handover: Handover, person_id: uuid.UUID
) -> PersonSupported:
    try:
        person = org_service.get_person(session, actor=actor, person_id=person_id)
    except NotFound:
        person = None
    if person is None or person.site_id != handover.site_id or not person.active:
        raise Invalid.one("person_id", "Choose someone supported at this site.")
    return person


def record_prompt_response(
    session: Session,
    *,
    actor: Actor,
    handover: Handover,
    data: PromptResponseCreate,
    now: datetime,
) -> Stored[HandoverPromptResponse]:
    """The one way a prompt is answered; ``data.id`` is the client's idempotency key. A retry
    of an answer already saved is answered as such, even once the handover is complete."""
    content_hash = fingerprint(data, author_id=actor.user_id)
    same = {"handover_id": handover.id, "content_hash": content_hash}

    def make_row() -> dict[str, Any]:
        require_running(actor, handover)
        theme_id = active_prompt_themes(session, actor=actor, site_id=handover.site_id).get(
            data.prompt_id
        )
        if theme_id is None:
            raise Invalid.one(
                "prompt_id", "Choose a prompt of a learning theme active at this site."
            )
        if not data.note:
            reason = "Say what was said." if data.discussed else "Say why it was not discussed."
            raise Invalid.one("note", reason)
        return HandoverPromptResponse(
            id=data.id,
            prompt_id=data.prompt_id,
            theme_id=theme_id,
            discussed=data.discussed,
            note=data.note,
            author_id=actor.user_id,
            recorded_at=now,
            **same,
        ).model_dump()

    capture = Capture(id=data.id, same=same, make_row=make_row)
    saved = insert_record_once(session, HandoverPromptResponse, capture)
    if saved.created:
        summary = f"discussed={'yes' if data.discussed else 'no'}"
        audit(
            session,
            actor,
            handover,
            "create",
            now,
            entity="handover_prompt_response",
            entity_id=saved.record.id,
            summary=summary,
        )
    return saved


def active_prompt_themes(
    session: Session, *, actor: Actor, site_id: uuid.UUID
) -> dict[uuid.UUID, uuid.UUID]:
    """Each prompt raised at the site's handovers now, with its theme."""
    return {
        prompt.id: view.theme.id
        for view in theme_service.active_themes_for_site(session, actor=actor, site_id=site_id)
        for prompt in view.prompts
    }


def record_attendance(
    session: Session, *, actor: Actor, handover: Handover, data: AttendanceCreate, now: datetime
) -> Stored[HandoverAttendance]:
    """Someone of the site's team was there, in their role at the site (a manager's presence
    is what the handover counts as leadership visibility)."""
    require_running(actor, handover)
    team = org_staff.site_team(session, actor=actor, site_id=handover.site_id)
    member = next((member for member in team if member.user_id == data.user_id), None)
    if member is None:
        raise Invalid.one("user_id", "Choose someone who works at this site.")
    return add_attendance(
        session, actor=actor, handover=handover, user_id=member.user_id, role=member.role, now=now
    )


def set_attendance(
    session: Session,
    *,
    actor: Actor,
    handover: Handover,
    user_ids: list[uuid.UUID],
    now: datetime,
) -> list[HandoverAttendance]:
    """Who is here, as one list from the site's team: those listed are recorded as attending
    (in their role at the site), anyone recorded earlier but no longer listed is taken off.
    The lead who runs the handover is always there."""
    require_running(actor, handover)
    team = {
        member.user_id: member
        for member in org_staff.site_team(session, actor=actor, site_id=handover.site_id)
    }
    if any(user_id not in team for user_id in user_ids):
        raise Invalid.one("user_id", "Choose people who work at this site.")
    present = set(user_ids) | {handover.lead_id}
    for row in session.exec(
        select(HandoverAttendance).where(HandoverAttendance.handover_id == handover.id)
    ).all():
        if row.user_id not in present:
            session.delete(row)
            audit(
                session,
                actor,
                handover,
                "delete",
                now,
                entity="handover_attendance",
                entity_id=row.id,
                summary=f"role={row.role.value}",
            )
    return [
        add_attendance(
            session,
            actor=actor,
            handover=handover,
            user_id=user_id,
            role=team[user_id].role,
            now=now,
        ).record
        for user_id in user_ids
        if user_id != handover.lead_id
    ]


def add_handover_action(
    session: Session, *, actor: Actor, handover: Handover, data: ActionCreate, now: datetime
) -> Stored[FollowUpAction]:
    """A follow-up action set at the handover; it is carried forward until it is done."""
    require_running(actor, handover)
    site = session.get_one(Site, handover.site_id)
    if data.due_on is not None and data.due_on < now.astimezone(ZoneInfo(site.time_zone)).date():
        raise Invalid.one("due_on", "Choose today or a later date.")
    return action_service.add_action(
        session,
        actor=actor,
        site_id=handover.site_id,
        source=ActionSource.handover,
        source_id=handover.id,
        data=data,
        now=now,
    )
