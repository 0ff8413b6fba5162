"""Loading one of the actor's own notifications, or "not found"."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import Depends

from app.auth.dependencies import PageActorDep
from app.db import SessionDep
from app.inbox import service
from app.inbox.models import Notification


def get_own_notification(
    notification_id: uuid.UUID, actor: PageActorDep, session: SessionDep
) -> Notification:
    return service.get_notification(session, actor=actor, notification_id=notification_id)


OwnNotificationDep = Annotated[Notification, Depends(get_own_notification)]
