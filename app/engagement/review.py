"""Reviewing restrictive practice recorded in engagement notes.

Rules:
- A manager of the note's site reviews a note with restrictive practice that is waiting for
  review (not void, not reviewed since it was last changed).
- A review records the outcome (justified and proportionate, could have been avoided, needs a
  safeguarding referral), whether the staff involved were debriefed (optionally with whom and
  when) and what will change; what will change is needed unless the outcome is "justified".
- A follow-up action may be set with it (owned by someone at the site), carried forward at
  the site's handovers until it is done.
- The review's id is the client's: a double tap or a retry saves one review. A note amended
  after its review waits again; the latest review counts, earlier ones stay.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlmodel import Session, col, select

from app.action import service as action_service
from app.action.models import ActionSource
from app.action.schemas import ActionCreate
from app.audit.service import record_site_event
from app.auth.actor import Actor
from app.auth.permissions import SiteCapability
from app.engagement.models import EngagementNote, RestrictivePracticeReview, ReviewOutcome
from app.engagement.schemas import ReviewCreate
from app.engagement.service import needs_review
from app.errors import FieldError, Invalid
from app.records import Capture, Stored, insert_record_once


def review_restrictive_practice(
    session: Session, *, actor: Actor, note: EngagementNote, data: ReviewCreate, now: datetime
) -> Stored[RestrictivePracticeReview]:
    """The one way a note's restrictive practice is reviewed; the note leaves the review list."""
    actor.require(SiteCapability.review_notes, note.site_id)

    def make_row() -> dict[str, Any]:
        if not needs_review(note):
            raise Invalid.one("note", "This note is not waiting for review.")
        if data.outcome != ReviewOutcome.justified and not data.changes:
            raise Invalid.one("changes", "Write what will change, so that it is less likely again.")
        return RestrictivePracticeReview(
            **data.model_dump(exclude={"action"}),
            note_id=note.id,
            organisation_id=note.organisation_id,
            site_id=note.site_id,
            reviewer_id=actor.user_id,
            reviewed_at=now,
        ).model_dump()

    capture = Capture(id=data.id, same={"note_id": note.id}, make_row=make_row)
    stored = insert_record_once(
        session, RestrictivePracticeReview, capture, visible_sites=actor.site_ids
    )
    if not stored.created:
        return stored
    review = stored.record
    if data.action is not None:
        _add_action(session, actor=actor, review=review, data=data.action, now=now)
    note.reviewed_at, note.reviewed_by_id = now, actor.user_id
    session.add(note)
    record_site_event(
        session,
        actor_id=actor.user_id,
        record=note,
        entity="engagement_note",
        action="review",
        at=now,
        summary=f"outcome={data.outcome.value} debrief={'yes' if data.debrief_held else 'no'}",
    )
    return stored


def _add_action(
    session: Session,
    *,
    actor: Actor,
    review: RestrictivePracticeReview,
    data: ActionCreate,
    now: datetime,
) -> None:
    try:
        action_service.add_action(
            session,
            actor=actor,
            site_id=review.site_id,
            source=ActionSource.review,
            source_id=review.id,
            data=data,
            now=now,
        )
    except Invalid as error:
        raise Invalid([FieldError(f"action.{e.field}", e.reason) for e in error.errors]) from None


def latest_review(session: Session, *, note: EngagementNote) -> RestrictivePracticeReview | None:
    """The note's latest review, if it has one (the note itself is in the reader's scope)."""
    return session.exec(
        select(RestrictivePracticeReview)
        .where(RestrictivePracticeReview.note_id == note.id)
        .order_by(col(RestrictivePracticeReview.reviewed_at).desc())
    ).first()


def reviewed_notes(
    session: Session, *, review_ids: Iterable[uuid.UUID]
) -> dict[uuid.UUID, uuid.UUID]:
    """The note each review is of (to link an action to the review it came from)."""
    wanted = set(review_ids)
    if not wanted:
        return {}
    query = select(RestrictivePracticeReview.id, RestrictivePracticeReview.note_id).where(
        col(RestrictivePracticeReview.id).in_(wanted)
    )
    return dict(session.exec(query).all())
