"""Pages for follow-up actions: "my actions" for everyone, a site's actions for its leads."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from sqlmodel import Session

from app.action import service
from app.action.dependencies import ActionDep, SiteActionsDep
from app.action.models import FollowUpAction
from app.auth import service as auth_service
from app.auth.dependencies import PageActorDep
from app.clock import Clock, ClockDep
from app.db import SessionDep
from app.org.models import Site
from app.web import redirect_to, render

router = APIRouter(tags=["actions"], include_in_schema=False)


@router.get("/my/actions", name="action:mine")
def my_actions(
    request: Request, actor: PageActorDep, session: SessionDep, clock: ClockDep
) -> Response:
    actions = service.list_actions(
        session, actor=actor, where=service.ActionFilter(owner_id=actor.user_id)
    )
    return _list_page(request, session, actions, clock, title="My actions", site=None)


@router.get("/sites/{site_id}/actions", name="action:site")
def site_actions(
    request: Request,
    actor: PageActorDep,
    site: SiteActionsDep,
    session: SessionDep,
    clock: ClockDep,
) -> Response:
    actions = service.list_actions(
        session, actor=actor, where=service.ActionFilter(site_id=site.id)
    )
    return _list_page(request, session, actions, clock, title=f"Actions at {site.name}", site=site)


@router.post("/actions/{action_id}/complete", name="action:complete")
def complete(
    request: Request, actor: PageActorDep, action: ActionDep, session: SessionDep, clock: ClockDep
) -> Response:
    service.complete_action(session, actor=actor, action=action, now=clock.now())
    if action.owner_id == actor.user_id:
        return redirect_to(request, "action:mine")
    return redirect_to(request, "action:site", site_id=action.site_id)


def _list_page(
    request: Request,
    session: Session,
    actions: list[FollowUpAction],
    clock: Clock,
    *,
    title: str,
    site: Site | None,
) -> Response:
    overdue = service.overdue_ids(session, actions, now=clock.now())
    return render(
        request,
        "action/list.html",
        {
            "title": title,
            "site": site,
            "actions": [(action, action.id in overdue) for action in actions],
            "names": auth_service.user_names(session, (a.owner_id for a in actions)),
        },
    )
