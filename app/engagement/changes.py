"""Changing an engagement note after it was saved: amending it (a new revision, with a reason)
or voiding it (with a reason), by its author or a manager of the site. Nothing is deleted: each
revision is kept and a voided note stays, marked void.

An amended note that records restrictive practice waits for the managers' review again, even if
it was reviewed before; they are told of it the first time the note needs their review, whether
it was recorded with restrictive practice or amended to add it."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import date, datetime

from sqlmodel import Session, col, select

from app.audit.service import record_site_event
from app.auth.actor import Actor
from app.auth.permissions import SiteCapability
from app.engagement.models import EngagementNote, EngagementNoteRevision
from app.engagement.schemas import EngagementContent
from app.engagement.service import (
    _active_theme_ids,
    _ask_for_review,
    _check_content,
    _content_fields,
    _revision,
    needs_review,
)
from app.errors import Forbidden, Invalid, NotFound
from app.org import service as org_service
from app.org.models import Site
from app.record_weeks import days_of, records_changed


def amend_note(
    session: Session,
    *,
    actor: Actor,
    note: EngagementNote,
    data: EngagementContent,
    reason: str,
    now: datetime,
) -> EngagementNote:
    """A new revision of the note, by its author or a manager of the site, with a reason."""
    require_can_change(actor, note)
    if note.voided_at is not None:
        raise Invalid.one("reason", "A voided note cannot be amended.")
    site = session.get_one(Site, note.site_id)
    occurred_at = _check_content(
        data.model_copy(update={"occurred_at": data.occurred_at or note.occurred_at}),
        now=now,
        active_theme_ids=lambda: _active_theme_ids(session, actor, site.id),
    )
    occurrence = org_service.current_shift(session, site=site, now=occurred_at)
    was_on = days_of(note.shift_date, note.occurred_at)
    for name, value in _content_fields(data).items():
        setattr(note, name, value)
    note.occurred_at = occurred_at
    note.shift_name = occurrence.name if occurrence else None
    note.shift_date = occurrence.start_date if occurrence else None
    note.revision += 1
    # The review was of the note as it stood; its earlier reviews stay in their own table.
    reviewed = note.reviewed_at is not None
    note.reviewed_at, note.reviewed_by_id = None, None
    session.add(note)
    if needs_review(note):
        row = note.model_dump()
        _ask_for_review(session, actor=actor, row=row, site=site, now=now, again=reviewed)
    _note_changed(session, note, (*was_on, *days_of(note.shift_date, note.occurred_at)))
    _keep_revision(session, note=note, author_id=actor.user_id, at=now, reason=reason)
    record_site_event(
        session,
        actor_id=actor.user_id,
        record=note,
        entity="engagement_note",
        action="amend",
        at=now,
        summary=f"revision={note.revision}",
    )
    return note


def void_note(
    session: Session, *, actor: Actor, note: EngagementNote, reason: str, now: datetime
) -> EngagementNote:
    """Mark a mistaken note void, with a reason; it stays, and stays visible as void."""
    require_can_change(actor, note)
    if note.voided_at is not None:
        return note
    note.voided_at, note.voided_by_id, note.void_reason = now, actor.user_id, reason
    session.add(note)
    _note_changed(session, note, days_of(note.shift_date, note.occurred_at))
    record_site_event(
        session,
        actor_id=actor.user_id,
        record=note,
        entity="engagement_note",
        action="void",
        at=now,
    )
    return note


def list_revisions(session: Session, *, note: EngagementNote) -> list[EngagementNoteRevision]:
    return list(
        session.exec(
            select(EngagementNoteRevision)
            .where(EngagementNoteRevision.note_id == note.id)
            .order_by(col(EngagementNoteRevision.revision).desc())
        )
    )


def may_change(actor: Actor, note: EngagementNote) -> bool:
    """The author of a note or a manager of its site may amend or void it."""
    return note.author_id == actor.user_id or actor.can(
        SiteCapability.change_any_note, note.site_id
    )


def require_can_change(actor: Actor, note: EngagementNote) -> None:
    """Not found outside the note's site; not allowed for anyone ``may_change`` refuses."""
    if note.site_id not in actor.site_ids:
        raise NotFound()
    if not may_change(actor, note):
        raise Forbidden("Only the person who wrote this note or a manager can change it.")


def _keep_revision(
    session: Session, *, note: EngagementNote, author_id: uuid.UUID, at: datetime, reason: str
) -> None:
    revision = _revision(note.model_dump(), author_id=author_id, at=at, reason=reason)
    session.add(EngagementNoteRevision(**revision))


def _note_changed(session: Session, note: EngagementNote, days: Iterable[date]) -> None:
    records_changed(session, ((note.site_id, day) for day in days))
