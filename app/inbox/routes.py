"""The inbox pages: the list, opening one notification, and marking them all read."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from fastapi import APIRouter, Request, Response
from fastapi.responses import RedirectResponse

from app.auth.dependencies import PageActorDep
from app.clock import ClockDep
from app.db import SessionDep
from app.inbox import service
from app.inbox.dependencies import OpenedTargetDep
from app.inbox.preferences import preference_of
from app.web import redirect_to, render

router = APIRouter(tags=["inbox"], include_in_schema=False)


@router.get("/inbox", name="inbox:list")
def inbox(request: Request, actor: PageActorDep, session: SessionDep) -> Response:
    notifications = service.list_notifications(session, actor=actor)
    zone = ZoneInfo(preference_of(session, actor=actor).time_zone)
    return render(request, "inbox/list.html", {"notifications": notifications, "zone": zone})


@router.get("/inbox/{notification_id}/open", name="inbox:open")
def open_notification(target: OpenedTargetDep) -> Response:
    """A link, so a tap on the push opens it too: marks it read and goes to its page. Marking
    one's own notification read is all a forged link could do."""
    return RedirectResponse(target, status_code=303)


@router.post("/inbox/read", name="inbox:mark_all_read")
def mark_all_read(
    request: Request, actor: PageActorDep, session: SessionDep, clock: ClockDep
) -> Response:
    service.mark_all_read(session, actor=actor, now=clock.now())
    return redirect_to(request, "inbox:list")
