"""Putting a message in the push outbox: the one door the inbox uses to ask for delivery."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
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


@dataclass(frozen=True)
class Outgoing:
    """One message to queue: for one notification of one user, due at ``due_at``."""

    notification_id: uuid.UUID
    user_id: uuid.UUID
    push: Push
    due_at: datetime


def queue_pushes(session: Session, outgoing: Sequence[Outgoing], *, now: datetime) -> None:
    """Queue one message for each notification, at most once (a retry of the write that made
    the notifications queues nothing more), in one statement however many people are told."""
    if not outgoing:
        return
    rows = [
        {
            "id": uuid.uuid4(),
            "notification_id": item.notification_id,
            "user_id": item.user_id,
            "title": item.push.title,
            "body": item.push.body,
            "url": item.push.url,
            "topic": item.push.topic,
            "urgency": item.push.urgency,
            "ttl_seconds": item.push.ttl_seconds,
            "state": MessageState.pending.value,
            "due_at": item.due_at,
            "attempts": 0,
            "created_at": now,
        }
        for item in outgoing
    ]
    table = PushMessage.__table__
    session.execute(
        insert_on_conflict(session, table)
        .values(rows)
        .on_conflict_do_nothing(index_elements=[table.c.notification_id])
    )
