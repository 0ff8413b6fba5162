"""The follow-up actions API. Actions are added from handovers, observations, reviews and the
quality meeting (``POST /governance/meeting/decisions``)."""

from __future__ import annotations

import uuid

from fastapi import APIRouter

from app.action import service
from app.action.dependencies import ActionDep
from app.action.schemas import ActionPage, ActionPublic
from app.auth.dependencies import ActorDep
from app.clock import ClockDep
from app.db import SessionDep
from app.schemas import IsoDate, Limit, Offset

api_router = APIRouter(prefix="/actions", tags=["actions"])


@api_router.get("", response_model=ActionPage, name="action_api:list")
def api_list_actions(
    actor: ActorDep,
    session: SessionDep,
    clock: ClockDep,
    site_id: uuid.UUID | None = None,
    owner_id: uuid.UUID | None = None,
    handover_id: uuid.UUID | None = None,
    observation_id: uuid.UUID | None = None,
    person_id: uuid.UUID | None = None,
    meeting_week: IsoDate | None = None,
    due_from: IsoDate | None = None,
    due_to: IsoDate | None = None,
    open_only: bool = True,
    limit: Limit = 50,
    offset: Offset = 0,
) -> ActionPage:
    """Actions you own, and your sites' actions if you lead there, by due date (undated last).
    ``due_from`` and ``due_to`` are inclusive; ``meeting_week`` (the Monday) gives the quality
    meeting's decisions of that week (with ``open_only=false``, done ones too)."""
    where = service.ActionFilter(
        site_id=site_id,
        owner_id=owner_id,
        handover_id=handover_id,
        observation_id=observation_id,
        person_id=person_id,
        meeting_week=meeting_week,
        due_from=due_from,
        due_to=due_to,
        open_only=open_only,
    )
    found = service.list_actions(session, actor=actor, where=where, limit=limit + 1, offset=offset)
    overdue = service.overdue_ids(session, found, now=clock.now())
    return ActionPage(
        items=[ActionPublic.of(action, overdue=overdue) for action in found[:limit]],
        next_offset=offset + limit if len(found) > limit else None,
    )


@api_router.get("/{action_id}", response_model=ActionPublic, name="action_api:get")
def api_read_action(action: ActionDep, session: SessionDep, clock: ClockDep) -> ActionPublic:
    return ActionPublic.of(action, overdue=service.overdue_ids(session, [action], now=clock.now()))


@api_router.post("/{action_id}/complete", response_model=ActionPublic, name="action_api:complete")
def api_complete_action(
    action: ActionDep, actor: ActorDep, session: SessionDep, clock: ClockDep
) -> ActionPublic:
    """Mark done: by the owner, or a team lead or manager of the site."""
    service.complete_action(session, actor=actor, action=action, now=clock.now())
    return ActionPublic.of(action, overdue=service.overdue_ids(session, [action], now=clock.now()))
