"""Putting a message in the push outbox: the one door the inbox uses to ask for delivery."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session

from app.db import insert_on_conflict
from app.push.models import MessageState, PushMessage


@dataclass(frozen=True)
class Push:
    """What a lock screen may show: fixed wording, no person supported, no free text.

    ``topic`` makes a repeat replace the one still waiting on the push service (RFC 8030);
    ``ttl_seconds`` keeps it for a phone that is offline (0 would drop it)."""

    title: str
    url: str
    topic: str
    body: str = ""
    urgency: str = "normal"
    ttl_seconds: int = 24 * 3600


def queue_push(
    session: Session,
    *,
    notification_id: uuid.UUID,
    user_id: uuid.UUID,
    push: Push,
    due_at: datetime,
    now: datetime,
) -> None:
    """Queue one message for a notification, at most once (a retry of the write that made
    the notification queues nothing more)."""
    row = {
        "id": uuid.uuid4(),
        "notification_id": notification_id,
        "user_id": user_id,
        "title": push.title,
        "body": push.body,
        "url": push.url,
        "topic": push.topic,
        "urgency": push.urgency,
        "ttl_seconds": push.ttl_seconds,
        "state": MessageState.pending.value,
        "due_at": due_at,
        "attempts": 0,
        "created_at": now,
    }
    table = PushMessage.__table__
    session.execute(
        insert_on_conflict(session, table)
        .values(row)
        .on_conflict_do_nothing(index_elements=[table.c.notification_id])
    )
