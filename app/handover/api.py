"""The handovers API: the same service functions as the pages and the offline sync.

Records a client creates (handovers, prompt responses, actions, amendments, acknowledgements)
carry the client's UUID: sending one again answers 200 with what was saved; a different record
under the same id is a 409.
"""

from __future__ import annotations

import uuid
from dataclasses import asdict
from typing import Annotated, Any

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from app.action import service as action_service
from app.action.schemas import ActionCreate, ActionPublic
from app.auth.dependencies import ActorDep
from app.clock import ClockDep
from app.db import SessionDep
from app.handover import recording, service, view
from app.handover.dependencies import HandoverDep
from app.handover.models import Handover
from app.handover.schemas import (
    AcknowledgementCreate,
    AcknowledgementPublic,
    AcknowledgementStatus,
    Acknowledger,
    AmendmentCreate,
    AmendmentPublic,
    AttendanceCreate,
    AttendancePublic,
    HandoverDetailPublic,
    HandoverEntryPublic,
    HandoverPage,
    HandoverPersonPublic,
    HandoverPublic,
    HandoverStart,
    NoteSummaryPublic,
    PersonUpdate,
    PromptResponseCreate,
    PromptResponsePublic,
)
from app.records import Stored
from app.schemas import IsoDateTime, Limit, Offset

api_router = APIRouter(prefix="/handovers", tags=["handovers"])

SAVED_ONCE = {
    200: {"description": "Already saved with this id and the same content"},
    409: {"description": "This id holds a different record"},
}


def handover_public(handover: Handover) -> HandoverPublic:
    return HandoverPublic.model_validate(
        {**handover.model_dump(), "completed": handover.completed_at is not None}
    )


def _saved(saved: Stored[Any], public: type[BaseModel]) -> JSONResponse:
    body = public.model_validate(saved.record, from_attributes=True).model_dump(mode="json")
    return JSONResponse(body, status_code=201 if saved.created else 200)


def _acknowledgement_status(found: view.Acknowledgements) -> AcknowledgementStatus:
    return AcknowledgementStatus(
        given_by=[
            Acknowledger(user_id=m.user_id, name=m.name, role=m.role, acknowledged_at=None)
            for m in found.given_by
        ],
        acknowledged=[
            Acknowledger(user_id=m.user_id, name=m.name, role=m.role, acknowledged_at=at)
            for m, at in found.received
        ],
        not_acknowledged=[
            Acknowledger(user_id=m.user_id, name=m.name, role=m.role, acknowledged_at=None)
            for m in found.waiting
        ],
    )


@api_router.post(
    "",
    name="handover_api:create",
    response_model=HandoverPublic,
    status_code=201,
    responses=SAVED_ONCE,
)
def api_start_handover(
    data: HandoverStart, actor: ActorDep, session: SessionDep, clock: ClockDep
) -> JSONResponse:
    """Start a handover (team leads and managers). Leave out ``outgoing`` and ``incoming`` for
    the shift change happening now; a second handover for the same shift change is a 409."""
    saved = service.start_handover(session, actor=actor, data=data, now=clock.now())
    body = handover_public(saved.record).model_dump(mode="json")
    return JSONResponse(body, status_code=201 if saved.created else 200)


@api_router.get("", response_model=HandoverPage, name="handover_api:list")
def api_list_handovers(
    actor: ActorDep,
    session: SessionDep,
    site_id: uuid.UUID | None = None,
    started_from: Annotated[IsoDateTime | None, Query(alias="from")] = None,
    started_to: Annotated[IsoDateTime | None, Query(alias="to")] = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> HandoverPage:
    """Handovers at your sites, newest first, by when they started: ``from`` inclusive, ``to``
    exclusive."""
    where = service.HandoverFilter(
        site_id=site_id, started_from=started_from, started_to=started_to
    )
    found = service.list_handovers(
        session, actor=actor, where=where, limit=limit + 1, offset=offset
    )
    return HandoverPage(
        items=[handover_public(handover) for handover in found[:limit]],
        next_offset=offset + limit if len(found) > limit else None,
    )


@api_router.get("/{handover_id}", response_model=HandoverDetailPublic, name="handover_api:get")
def api_read_handover(
    handover: HandoverDep, actor: ActorDep, session: SessionDep, clock: ClockDep
) -> HandoverDetailPublic:
    """A handover with its people (summary of the outgoing shift's notes, and what was handed
    over), the latest answer to each prompt, attendance, open actions and acknowledgements."""
    found = view.view_handover(session, actor=actor, handover=handover, now=clock.now())
    return HandoverDetailPublic.model_validate(
        {
            **handover_public(handover).model_dump(),
            "people": [
                HandoverPersonPublic(
                    person_id=row.person.id,
                    preferred_name=row.person.preferred_name,
                    summary=NoteSummaryPublic.model_validate(asdict(row.summary)),
                    entry=HandoverEntryPublic.model_validate(row.entry, from_attributes=True)
                    if row.entry
                    else None,
                )
                for row in found.people
            ],
            "prompt_responses": [
                PromptResponsePublic.model_validate(response, from_attributes=True)
                for response in found.latest_responses
            ],
            "attendance": [
                AttendancePublic.model_validate(row, from_attributes=True)
                for row in found.attendance
            ],
            "manager_present": found.manager_present,
            "open_actions": [
                ActionPublic.model_validate(
                    {**action.model_dump(), "done": False, "overdue": action.id in found.overdue}
                )
                for action in found.actions
            ],
            "amendments": [
                AmendmentPublic.model_validate(row, from_attributes=True)
                for row in found.amendments
            ],
            "acknowledgements": _acknowledgement_status(found.acknowledgements),
        }
    )


@api_router.post(
    "/{handover_id}/people/{person_id}",
    response_model=HandoverEntryPublic,
    name="handover_api:person",
)
def api_person_update(
    handover: HandoverDep,
    person_id: uuid.UUID,
    data: PersonUpdate,
    actor: ActorDep,
    session: SessionDep,
    clock: ClockDep,
) -> HandoverEntryPublic:
    """Set a person's status, one-line update and risks; it replaces what was set before, until
    the handover is completed."""
    entry = recording.record_person_update(
        session, actor=actor, handover=handover, person_id=person_id, data=data, now=clock.now()
    )
    return HandoverEntryPublic.model_validate(entry, from_attributes=True)


@api_router.post(
    "/{handover_id}/prompt-responses",
    name="handover_api:prompt_response",
    response_model=PromptResponsePublic,
    status_code=201,
    responses=SAVED_ONCE,
)
def api_prompt_response(
    handover: HandoverDep,
    data: PromptResponseCreate,
    actor: ActorDep,
    session: SessionDep,
    clock: ClockDep,
) -> JSONResponse:
    """Answer a learning prompt: discussed (``note``: what was said) or not (``note``: why).
    Answering again adds a newer answer; the latest counts."""
    saved = recording.record_prompt_response(
        session, actor=actor, handover=handover, data=data, now=clock.now()
    )
    return _saved(saved, PromptResponsePublic)


@api_router.post(
    "/{handover_id}/attendance",
    name="handover_api:attend",
    response_model=AttendancePublic,
    status_code=201,
    responses={200: {"description": "Already recorded as attending"}},
)
def api_attend(
    handover: HandoverDep,
    data: AttendanceCreate,
    actor: ActorDep,
    session: SessionDep,
    clock: ClockDep,
) -> JSONResponse:
    """Record that a member of the site's team attended, in their role there."""
    saved = recording.record_attendance(
        session, actor=actor, handover=handover, data=data, now=clock.now()
    )
    return _saved(saved, AttendancePublic)


@api_router.post(
    "/{handover_id}/actions",
    name="handover_api:action",
    response_model=ActionPublic,
    status_code=201,
    responses=SAVED_ONCE,
)
def api_add_action(
    handover: HandoverDep,
    data: ActionCreate,
    actor: ActorDep,
    session: SessionDep,
    clock: ClockDep,
) -> JSONResponse:
    """Set a follow-up action: an owner from the site's team, a due date today or later."""
    saved = recording.add_handover_action(
        session, actor=actor, handover=handover, data=data, now=clock.now()
    )
    overdue = action_service.overdue_ids(session, [saved.record], now=clock.now())
    body = ActionPublic.of(saved.record, overdue=overdue).model_dump(mode="json")
    return JSONResponse(body, status_code=201 if saved.created else 200)


@api_router.post(
    "/{handover_id}/complete", response_model=HandoverPublic, name="handover_api:complete"
)
def api_complete(
    handover: HandoverDep, actor: ActorDep, session: SessionDep, clock: ClockDep
) -> HandoverPublic:
    """Complete the handover: it locks, and later changes are amendments."""
    service.complete_handover(session, actor=actor, handover=handover, now=clock.now())
    return handover_public(handover)


@api_router.post(
    "/{handover_id}/amendments",
    name="handover_api:amend",
    response_model=AmendmentPublic,
    status_code=201,
    responses=SAVED_ONCE,
)
def api_amend(
    handover: HandoverDep,
    data: AmendmentCreate,
    actor: ActorDep,
    session: SessionDep,
    clock: ClockDep,
) -> JSONResponse:
    """Amend a completed handover: what changed and why (its lead or a manager of the site)."""
    saved = service.amend_handover(
        session, actor=actor, handover=handover, data=data, now=clock.now()
    )
    return _saved(saved, AmendmentPublic)


@api_router.post(
    "/{handover_id}/acknowledgements",
    name="handover_api:acknowledge",
    response_model=AcknowledgementPublic,
    status_code=201,
    responses={
        200: {"description": "Already acknowledged by you (from this or another device)"},
        409: {"description": "This id holds a different record"},
    },
)
def api_acknowledge(
    handover: HandoverDep,
    data: AcknowledgementCreate,
    actor: ActorDep,
    session: SessionDep,
    clock: ClockDep,
) -> JSONResponse:
    """Say "I've received this handover": once per person, when it is completed."""
    saved = service.acknowledge_handover(
        session, actor=actor, handover=handover, data=data, now=clock.now()
    )
    return _saved(saved, AcknowledgementPublic)


@api_router.get(
    "/{handover_id}/acknowledgements",
    response_model=AcknowledgementStatus,
    name="handover_api:acknowledgements",
)
def api_acknowledgements(
    handover: HandoverDep, actor: ActorDep, session: SessionDep
) -> AcknowledgementStatus:
    """Who of the site's team has acknowledged the handover, and who has not yet."""
    found = view.acknowledgement_status(session, actor=actor, handover=handover)
    return _acknowledgement_status(found)
