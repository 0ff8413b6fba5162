"""Recording, reading, amending, voiding and reviewing engagement-quality notes.

Rules:
- Care workers, team leads and managers record notes for people supported at their own site.
- Everyone at the site (and organisation-wide roles) reads the site's notes.
- ``occurred_at`` may be earlier than now (late entries are normal, and shown as late) but not
  more than a few minutes ahead of the server's clock, nor further back than a month.
- The shift is derived from the site's pattern and time zone at ``occurred_at``.
- The author or a manager of the site amends a note (a new revision, with a reason) or voids it
  (with a reason). A voided note stays, marked void; nothing is deleted.
- A note with restrictive practice waits in the managers' review list until one reviews it
  (``app.engagement.review``), and again once amended; the managers are told of it once.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlmodel import Session, col, func, insert, select

from app.audit.service import record_site_events
from app.auth.actor import Actor
from app.auth.permissions import SiteCapability
from app.auth.recipients import holders_at_site
from app.db import by_id
from app.engagement.models import (
    EngagementNote,
    EngagementNoteRevision,
)
from app.engagement.schemas import EngagementContent, EngagementNoteCreate
from app.errors import DomainError, Forbidden, Invalid, NotFound
from app.inbox.models import Kind
from app.inbox.service import notify
from app.org import service as org_service
from app.org.models import PersonSupported, Site
from app.record_weeks import days_of, records_changed
from app.records import Capture, Stored, fingerprint, insert_once
from app.theme import service as theme_service

FUTURE_TOLERANCE = timedelta(minutes=5)
OLDEST_ACCEPTED = timedelta(days=31)
LATE_AFTER = timedelta(hours=1)


def is_late(note: EngagementNote) -> bool:
    return note.recorded_at - note.occurred_at > LATE_AFTER


def needs_review(note: EngagementNote) -> bool:
    return (
        note.restrictive_practice is not None
        and note.reviewed_at is None
        and note.voided_at is None
    )


def record_engagement_note(
    session: Session, *, actor: Actor, data: EngagementNoteCreate, now: datetime
) -> Stored[EngagementNote]:
    """The one way a note is created: the form and the API come here, and the offline sync
    goes to ``record_engagement_notes`` with many notes at once."""
    [outcome] = record_engagement_notes(session, actor=actor, notes=[data], now=now)
    if isinstance(outcome, DomainError):
        raise outcome
    note = session.get_one(EngagementNote, outcome.record["id"])
    return Stored(record=note, created=outcome.created)


def record_engagement_notes(
    session: Session, *, actor: Actor, notes: Sequence[EngagementNoteCreate], now: datetime
) -> list[Stored[dict[str, Any]] | DomainError]:
    """Record notes, answering each on its own: saved before (a retry, even one the rules
    would refuse now), newly saved, or the reason it was refused.

    Every check runs before anything is written, so a refused note writes nothing. What the
    checks read (people, sites, themes) is read once for all the notes, and the new notes,
    their first revisions and their audit events are written a statement a table.
    """
    known = _NoteLookups.load(session, notes)

    def capture(data: EngagementNoteCreate) -> Capture:
        content_hash = fingerprint(data, author_id=actor.user_id)
        return Capture(
            id=data.id,
            same={"content_hash": content_hash},
            make_row=lambda: _new_note_row(
                session, actor=actor, data=data, known=known, content_hash=content_hash, now=now
            ),
        )

    outcomes = insert_once(
        session,
        EngagementNote,
        [capture(data) for data in notes],
        visible_sites=actor.site_ids,
    )
    created = [o.record for o in outcomes if isinstance(o, Stored) and o.created]
    _write_first_revisions(session, actor=actor, rows=created, now=now)
    for row in created:
        if row["restrictive_practice"] is not None:
            _ask_for_review(
                session, actor=actor, row=row, site=known.sites[row["site_id"]], now=now
            )
    records_changed(
        session,
        (
            (row["site_id"], day)
            for row in created
            for day in days_of(row["shift_date"], row["occurred_at"])
        ),
    )
    return outcomes


@dataclass
class _NoteLookups:
    """What checking a batch of notes reads, read once for the batch."""

    session: Session
    people: dict[uuid.UUID, PersonSupported]
    sites: dict[uuid.UUID, Site]
    themes: dict[uuid.UUID, set[uuid.UUID]] = field(default_factory=dict)

    @classmethod
    def load(cls, session: Session, notes: Sequence[EngagementNoteCreate]) -> _NoteLookups:
        people = by_id(session, PersonSupported, {data.person_id for data in notes})
        return cls(
            session=session,
            people=people,
            sites=by_id(session, Site, {person.site_id for person in people.values()}),
        )

    def active_theme_ids(self, actor: Actor, site_id: uuid.UUID) -> set[uuid.UUID]:
        if site_id not in self.themes:
            self.themes[site_id] = _active_theme_ids(self.session, actor, site_id)
        return self.themes[site_id]


def _new_note_row(
    session: Session,
    *,
    actor: Actor,
    data: EngagementNoteCreate,
    known: _NoteLookups,
    content_hash: str,
    now: datetime,
) -> dict[str, Any]:
    """A new note's row, checked but not yet written. Rows, not model objects: a batch of
    notes is written in one statement, and building fifty ``EngagementNote`` objects would
    cost more than checking and writing them."""
    person = _person_for_note(actor, known.people.get(data.person_id))
    site = known.sites[person.site_id]
    occurred_at = _check_content(
        data, now=now, active_theme_ids=lambda: known.active_theme_ids(actor, site.id)
    )
    occurrence = org_service.current_shift(session, site=site, now=occurred_at)
    return {
        "id": data.id,
        "organisation_id": actor.organisation_id,
        "site_id": site.id,
        "person_id": person.id,
        "author_id": actor.user_id,
        "occurred_at": occurred_at,
        "recorded_at": now,
        "shift_name": occurrence.name if occurrence else None,
        "shift_date": occurrence.start_date if occurrence else None,
        "revision": 1,
        "content_hash": content_hash,
        **_content_fields(data),
    }


def _write_first_revisions(
    session: Session, *, actor: Actor, rows: list[dict[str, Any]], now: datetime
) -> None:
    """Each new note's first revision and its audit event."""
    if not rows:
        return
    session.connection().execute(
        insert(EngagementNoteRevision.__table__),  # type: ignore[attr-defined]
        [_revision(row, author_id=actor.user_id, at=now, reason="") for row in rows],
    )
    record_site_events(
        session,
        actor_id=actor.user_id,
        rows=[(row, f"level={row['level']}") for row in rows],
        entity="engagement_note",
        action="create",
        at=now,
    )


def _ask_for_review(
    session: Session,
    *,
    actor: Actor,
    row: dict[str, Any],
    site: Site,
    now: datetime,
    again: bool = False,
) -> None:
    """Tell the site's managers a note records restrictive practice, waiting for their review.

    Each manager is told once while a note waits: when it is recorded with restrictive
    practice, or first amended to record it (the note's id is the source). A note amended
    ``again`` after its review waits for a new one, and they are told again, once: the
    revision joins the source, and a later amendment before that review tells nobody more."""
    managers = holders_at_site(session, site_id=site.id, capability=SiteCapability.review_notes)
    shift = f", {row['shift_name'].lower()} shift," if row["shift_name"] else ""
    waits = "was changed and awaits your review again" if again else "awaits your review"
    notify(
        session,
        users=managers - {actor.user_id},
        kind=Kind.restrictive_review,
        title=f"Restrictive practice at {site.name}{shift} {waits}",
        url=f"/sites/{site.id}/notes/to-review",
        source_key=f"{row['id']}:{row['revision']}" if again else str(row["id"]),
        now=now,
    )


def _person_for_note(actor: Actor, person: PersonSupported | None) -> PersonSupported:
    if person is None or person.site_id not in actor.site_ids or not person.active:
        raise Invalid.one("person_id", "Choose someone supported at your site.")
    if not actor.can(SiteCapability.record_notes, person.site_id):
        raise Forbidden("Your role does not record engagement notes.")
    return person


def _check_content(
    data: EngagementContent,
    *,
    now: datetime,
    active_theme_ids: Callable[[], Collection[uuid.UUID]],
) -> datetime:
    """Check what the schema cannot; answers the moment the note is about."""
    occurred_at = data.occurred_at or now
    if occurred_at > now + FUTURE_TOLERANCE:
        raise Invalid.one("occurred_at", "This time is in the future. Check the date and time.")
    if occurred_at < now - OLDEST_ACCEPTED:
        raise Invalid.one("occurred_at", "Notes more than a month old cannot be added.")
    if data.restrictive_practice is not None and not data.restrictive_reason:
        raise Invalid.one("restrictive_reason", "Say briefly why restrictive practice was used.")
    if data.restrictive_practice is None and data.restrictive_reason:
        raise Invalid.one("restrictive_practice", "Choose what restrictive practice was used.")
    if data.theme_id is not None and data.theme_id not in active_theme_ids():
        raise Invalid.one("theme_id", "Choose a learning theme active at this site.")
    return occurred_at


def _active_theme_ids(session: Session, actor: Actor, site_id: uuid.UUID) -> set[uuid.UUID]:
    return {
        view.theme.id
        for view in theme_service.active_themes_for_site(session, actor=actor, site_id=site_id)
    }


def _content_fields(data: EngagementContent) -> dict[str, object]:
    fields = data.model_dump(exclude={"occurred_at"}, include=set(EngagementContent.model_fields))
    fields["level"] = int(data.level)
    return fields


def get_note(session: Session, *, actor: Actor, note_id: uuid.UUID) -> EngagementNote:
    """A note at one of the actor's sites; any other id is "not found"."""
    note = session.get(EngagementNote, note_id)
    if note is None or note.site_id not in actor.site_ids:
        raise NotFound()
    return note


@dataclass(frozen=True)
class NoteFilter:
    site_id: uuid.UUID | None = None
    person_id: uuid.UUID | None = None
    occurred_from: datetime | None = None
    occurred_to: datetime | None = None
    include_voided: bool = False


def list_notes(
    session: Session, *, actor: Actor, where: NoteFilter, limit: int = 50, offset: int = 0
) -> list[EngagementNote]:
    """Notes at the actor's sites, newest first, narrowed by ``where``."""
    if where.site_id is not None:
        actor.require(SiteCapability.view, where.site_id)
    site_ids = [where.site_id] if where.site_id else list(actor.site_ids)
    query = select(EngagementNote).where(col(EngagementNote.site_id).in_(site_ids))
    if where.person_id is not None:
        query = query.where(EngagementNote.person_id == where.person_id)
    if where.occurred_from is not None:
        query = query.where(col(EngagementNote.occurred_at) >= where.occurred_from)
    if where.occurred_to is not None:
        query = query.where(col(EngagementNote.occurred_at) < where.occurred_to)
    if not where.include_voided:
        query = query.where(col(EngagementNote.voided_at).is_(None))
    query = query.order_by(col(EngagementNote.occurred_at).desc(), col(EngagementNote.id))
    return list(session.exec(query.limit(limit).offset(offset)))


def notes_to_review(session: Session, *, actor: Actor, site_id: uuid.UUID) -> list[EngagementNote]:
    actor.require(SiteCapability.review_notes, site_id)
    return list(
        session.exec(
            select(EngagementNote)
            .where(
                EngagementNote.site_id == site_id,
                col(EngagementNote.restrictive_practice).is_not(None),
                col(EngagementNote.reviewed_at).is_(None),
                col(EngagementNote.voided_at).is_(None),
            )
            .order_by(col(EngagementNote.occurred_at))
        )
    )


def count_to_review(session: Session, *, actor: Actor, site_id: uuid.UUID) -> int:
    """Notes with restrictive practice waiting for a manager's review: for the managers who
    review them, and for the readers of the site's indicators (the quality meeting)."""
    if not actor.can(SiteCapability.read_indicators, site_id):
        actor.require(SiteCapability.review_notes, site_id)
    return session.exec(
        select(func.count())
        .select_from(EngagementNote)
        .where(
            EngagementNote.site_id == site_id,
            col(EngagementNote.restrictive_practice).is_not(None),
            col(EngagementNote.reviewed_at).is_(None),
            col(EngagementNote.voided_at).is_(None),
        )
    ).one()


def _revision(
    note: Mapping[str, Any], *, author_id: uuid.UUID, at: datetime, reason: str
) -> dict[str, Any]:
    """A revision row holding the note's content as it stands."""
    content = EngagementContent.model_validate(note).model_dump(mode="json")
    return {
        "id": uuid.uuid4(),
        "note_id": note["id"],
        "revision": note["revision"],
        "content": {**content, "occurred_at": note["occurred_at"].isoformat()},
        "author_id": author_id,
        "at": at,
        "reason": reason,
    }
