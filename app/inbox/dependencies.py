"""Loading one of the actor's own notifications, or "not found"; and opening one."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import Depends

from app.auth.dependencies import PageActorDep
from app.clock import ClockDep
from app.db import SessionDep, write_apart
from app.inbox import service
from app.inbox.models import Notification


def get_own_notification(
    notification_id: uuid.UUID, actor: PageActorDep, session: SessionDep
) -> Notification:
    return service.get_notification(session, actor=actor, notification_id=notification_id)


OwnNotificationDep = Annotated[Notification, Depends(get_own_notification)]


def open_own_notification(
    notification: OwnNotificationDep, session: SessionDep, clock: ClockDep
) -> str:
    """Open it from a link (the list, or a tap on the push): marked read in a transaction of its
    own, begun as a write as the sign-in's touch is, since a GET keeps nothing otherwise.
    Answers the page it opens."""
    with write_apart(session):
        return service.open_notification(session, notification=notification, now=clock.now())


OpenedTargetDep = Annotated[str, Depends(open_own_notification)]
