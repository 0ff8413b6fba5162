"""Pages for follow-up actions: "my actions" for everyone, a site's actions for its leads."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from fastapi import APIRouter, Request, Response
from fastapi.responses import RedirectResponse
from sqlmodel import Session

from app.action import service
from app.action.dependencies import ActionDep, SiteActionsDep
from app.action.models import FollowUpAction
from app.auth import service as auth_service
from app.auth.actor import Actor
from app.auth.dependencies import PageActorDep
from app.auth.permissions import SiteCapability
from app.clock import Clock, ClockDep
from app.db import SessionDep
from app.engagement import review as reviews
from app.errors import NotFound
from app.observation import service as observation_service
from app.web import render

router = APIRouter(tags=["actions"], include_in_schema=False)


@router.get("/my/actions", name="action:mine")
def my_actions(
    request: Request,
    actor: PageActorDep,
    session: SessionDep,
    clock: ClockDep,
    done: uuid.UUID | None = None,
    reopened: uuid.UUID | None = None,
) -> Response:
    """``done`` or ``reopened`` names an action just marked done (with Undo) or opened again."""
    actions = service.list_actions(
        session, actor=actor, where=service.ActionFilter(owner_id=actor.user_id)
    )
    just = _just_changed(session, actor, done=done, reopened=reopened)
    return _list_page(request, session, actor, actions, clock, title="My actions", just=just)


@router.get("/sites/{site_id}/actions", name="action:site")
def site_actions(
    request: Request,
    actor: PageActorDep,
    site: SiteActionsDep,
    session: SessionDep,
    clock: ClockDep,
    done: uuid.UUID | None = None,
    reopened: uuid.UUID | None = None,
) -> Response:
    actions = service.list_actions(
        session, actor=actor, where=service.ActionFilter(site_id=site.id)
    )
    just = _just_changed(session, actor, done=done, reopened=reopened)
    title = f"Actions at {site.name}"
    return _list_page(request, session, actor, actions, clock, title=title, just=just)


@router.post("/actions/{action_id}/complete", name="action:complete")
def complete(
    request: Request, actor: PageActorDep, action: ActionDep, session: SessionDep, clock: ClockDep
) -> Response:
    """Mark done, then back to the list saying so, with an Undo."""
    service.complete_action(session, actor=actor, action=action, now=clock.now())
    return _back_to_list(request, actor, action, done=action.id)


@router.post("/actions/{action_id}/reopen", name="action:reopen")
def reopen(
    request: Request, action: ActionDep, actor: PageActorDep, session: SessionDep, clock: ClockDep
) -> Response:
    """The Undo of "Mark done": the action is open again."""
    service.reopen_action(session, actor=actor, action=action, now=clock.now())
    return _back_to_list(request, actor, action, reopened=action.id)


def _back_to_list(
    request: Request, actor: Actor, action: FollowUpAction, **changed: uuid.UUID
) -> Response:
    if action.owner_id == actor.user_id:
        target = request.url_for("action:mine")
    else:
        target = request.url_for("action:site", site_id=action.site_id)
    return RedirectResponse(target.include_query_params(**changed), status_code=303)


@dataclass(frozen=True)
class JustChanged:
    action: FollowUpAction
    done: bool


def _just_changed(
    session: Session, actor: Actor, *, done: uuid.UUID | None, reopened: uuid.UUID | None
) -> JustChanged | None:
    """The action a notice at the top confirms; an id the actor may not see shows nothing."""
    action_id = done or reopened
    if action_id is None:
        return None
    try:
        action = service.get_action(session, actor=actor, action_id=action_id)
    except NotFound:
        return None
    return JustChanged(action=action, done=action.done_at is not None)


def _list_page(
    request: Request,
    session: Session,
    actor: Actor,
    actions: list[FollowUpAction],
    clock: Clock,
    *,
    title: str,
    just: JustChanged | None,
) -> Response:
    overdue = service.overdue_ids(session, actions, now=clock.now())
    return render(
        request,
        "action/list.html",
        {
            "title": title,
            "actions": [(action, action.id in overdue) for action in actions],
            "sources": _source_links(request, session, actor, actions),
            "just": just,
            "names": auth_service.user_names(session, (a.owner_id for a in actions)),
        },
    )


def _source_links(
    request: Request, session: Session, actor: Actor, actions: list[FollowUpAction]
) -> dict[uuid.UUID, str]:
    """Where each action came from, for those the actor may open: its handover or the note
    whose review set it (read by everyone at the site), its observation (read by its
    observer, the one observed and the site's managers), or the week of the quality meeting
    that decided it (read by those who read the site's indicators)."""
    readable = observation_service.readable_ids(
        session, actor=actor, ids=(a.observation_id for a in actions if a.observation_id)
    )
    notes = reviews.reviewed_notes(
        session, review_ids=(a.review_id for a in actions if a.review_id)
    )
    links: dict[uuid.UUID, str] = {}
    for action in actions:
        if action.review_id:
            links[action.id] = str(
                request.url_for("engagement:detail", note_id=notes[action.review_id])
            )
        elif action.handover_id:
            links[action.id] = str(
                request.url_for("handover:detail", handover_id=action.handover_id)
            )
        elif action.observation_id in readable:
            links[action.id] = str(
                request.url_for("observation:detail", observation_id=action.observation_id)
            )
        elif action.meeting_week and actor.can(SiteCapability.read_indicators, action.site_id):
            meeting = request.url_for("governance:meeting")
            links[action.id] = str(meeting.include_query_params(week=action.meeting_week))
    return links
