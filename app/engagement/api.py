"""The engagement notes API: the same service functions as the pages and the offline sync."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Response
from fastapi.responses import JSONResponse

from app.auth.dependencies import ActorDep
from app.clock import ClockDep
from app.db import SessionDep
from app.engagement import changes, service
from app.engagement import review as reviews
from app.engagement.dependencies import NoteDep
from app.engagement.models import EngagementNote
from app.engagement.schemas import (
    EngagementContent,
    EngagementNoteAmend,
    EngagementNoteCreate,
    EngagementNotePage,
    EngagementNotePublic,
    ReviewCreate,
    ReviewPublic,
    VoidRequest,
)
from app.schemas import IsoDateTime, Limit, Offset

api_router = APIRouter(prefix="/engagement-notes", tags=["engagement notes"])


def note_public(note: EngagementNote) -> EngagementNotePublic:
    return EngagementNotePublic.model_validate(
        {
            **note.model_dump(),
            "late": service.is_late(note),
            "voided": note.voided_at is not None,
            "needs_review": service.needs_review(note),
        }
    )


@api_router.post(
    "",
    name="engagement_api:create",
    response_model=EngagementNotePublic,
    status_code=201,
    responses={
        200: {"description": "Already saved with this id and the same content"},
        409: {"description": "This id holds a different note"},
    },
)
def api_create_note(
    data: EngagementNoteCreate, actor: ActorDep, session: SessionDep, clock: ClockDep
) -> Response:
    """Record a note. ``id`` is the client's idempotency key: sending the same note again
    answers 200 with the note already saved; a different note under the same id is a 409."""
    saved = service.record_engagement_note(session, actor=actor, data=data, now=clock.now())
    return JSONResponse(
        note_public(saved.record).model_dump(mode="json"), status_code=201 if saved.created else 200
    )


@api_router.get("", response_model=EngagementNotePage, name="engagement_api:list")
def api_list_notes(
    actor: ActorDep,
    session: SessionDep,
    site_id: uuid.UUID | None = None,
    person_id: uuid.UUID | None = None,
    occurred_from: Annotated[IsoDateTime | None, Query(alias="from")] = None,
    occurred_to: Annotated[IsoDateTime | None, Query(alias="to")] = None,
    include_voided: bool = False,
    limit: Limit = 50,
    offset: Offset = 0,
) -> EngagementNotePage:
    """Notes at your sites, newest first. ``from`` is inclusive, ``to`` exclusive."""
    where = service.NoteFilter(
        site_id=site_id,
        person_id=person_id,
        occurred_from=occurred_from,
        occurred_to=occurred_to,
        include_voided=include_voided,
    )
    notes = service.list_notes(session, actor=actor, where=where, limit=limit + 1, offset=offset)
    return EngagementNotePage(
        items=[note_public(note) for note in notes[:limit]],
        next_offset=offset + limit if len(notes) > limit else None,
    )


@api_router.get("/{note_id}", response_model=EngagementNotePublic, name="engagement_api:get")
def api_read_note(note: NoteDep) -> EngagementNotePublic:
    return note_public(note)


@api_router.post(
    "/{note_id}/amendments", response_model=EngagementNotePublic, name="engagement_api:amend"
)
def api_amend_note(
    note: NoteDep,
    data: EngagementNoteAmend,
    actor: ActorDep,
    session: SessionDep,
    clock: ClockDep,
) -> EngagementNotePublic:
    """Amend a note: a new revision with a reason (the author or a manager of the site)."""
    content = EngagementContent.model_validate(data.model_dump(exclude={"reason"}))
    changes.amend_note(
        session, actor=actor, note=note, data=content, reason=data.reason, now=clock.now()
    )
    return note_public(note)


@api_router.post("/{note_id}/void", response_model=EngagementNotePublic, name="engagement_api:void")
def api_void_note(
    note: NoteDep, data: VoidRequest, actor: ActorDep, session: SessionDep, clock: ClockDep
) -> EngagementNotePublic:
    changes.void_note(session, actor=actor, note=note, reason=data.reason, now=clock.now())
    return note_public(note)


@api_router.post(
    "/{note_id}/review",
    response_model=ReviewPublic,
    status_code=201,
    name="engagement_api:review",
    responses={
        200: {"description": "Already saved with this id"},
        409: {"description": "This id holds a review of another note"},
    },
)
def api_review_note(
    note: NoteDep, data: ReviewCreate, actor: ActorDep, session: SessionDep, clock: ClockDep
) -> JSONResponse:
    """A manager reviews a note's restrictive practice: the outcome, whether the staff were
    debriefed (with whom and when, optional) and what will change (needed unless the outcome
    is ``justified``). The note then no longer needs review."""
    saved = reviews.review_restrictive_practice(
        session, actor=actor, note=note, data=data, now=clock.now()
    )
    body = ReviewPublic.model_validate(saved.record, from_attributes=True).model_dump(mode="json")
    return JSONResponse(body, status_code=201 if saved.created else 200)
