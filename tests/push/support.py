"""Push test helpers: queue a message as the inbox does, deliver as the worker does, and read
what was tried."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlmodel import Session, col, select

from app.auth.models import User
from app.config import Settings
from app.push.dispatcher import deliver_pushes
from app.push.models import PushAttempt, PushMessage
from app.push.outbox import Push, queue_push

HANDOVER = Push(
    title="Handover is ready",
    body="Read it before your shift",
    url="/handovers/today",
    topic="handover-ready",
    urgency="high",
    ttl_seconds=3600,
)


def queue(session: Session, user: User, now: datetime, push: Push = HANDOVER) -> PushMessage:
    """A message queued for ``user``, due now, as the inbox queues one."""
    notification_id = uuid.uuid4()
    queue_push(
        session, notification_id=notification_id, user_id=user.id, push=push, due_at=now, now=now
    )
    session.commit()
    return session.exec(
        select(PushMessage).where(PushMessage.notification_id == notification_id)
    ).one()


def deliver(session: Session, settings: Settings, now: datetime) -> int:
    """Delivery as the worker runs it: from the start of a transaction, so on SQLite it takes
    the write lock when it begins."""
    session.commit()
    return deliver_pushes(session, settings, now)


def attempts_of(session: Session, message: PushMessage) -> list[PushAttempt]:
    return list(
        session.exec(
            select(PushAttempt)
            .where(PushAttempt.message_id == message.id)
            .order_by(col(PushAttempt.attempted_at))
        )
    )
