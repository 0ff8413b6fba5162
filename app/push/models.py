"""Web push tables: the application's VAPID key pair, each device's subscription, and the
outbox of messages with every attempt to send one."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, Column, Index
from sqlmodel import Field, SQLModel

from app.db import text_enum

MAX_ENDPOINT = 1024
MAX_ATTEMPTS = 5


class VapidKeys(SQLModel, table=True):
    """The one key pair every app process signs with; made at first start unless settings
    give one. A single row: ``id`` is always 1, so two processes starting at once cannot
    make two pairs."""

    __tablename__ = "push_vapid_keys"
    __table_args__ = (CheckConstraint("id = 1", name="single_row"),)

    id: int = Field(default=1, primary_key=True)
    private_key: str = Field(max_length=300)  # PEM-free: the raw P-256 scalar, base64url
    public_key: str = Field(max_length=100)  # the uncompressed point, base64url
    created_at: datetime


class PushSubscription(SQLModel, table=True):
    """One device's permission to be sent pushes for its user. The endpoint is the push
    service's capability URL; it is never logged. ``session_id`` is the sign-in that made it,
    so signing out on that device removes it."""

    __tablename__ = "push_subscription"

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    user_id: uuid.UUID = Field(foreign_key="user_account.id", index=True)
    session_id: uuid.UUID | None = Field(default=None, index=True)
    endpoint: str = Field(max_length=MAX_ENDPOINT, unique=True)
    p256dh: str = Field(max_length=100)
    auth: str = Field(max_length=40)
    label: str = Field(max_length=60)
    created_at: datetime
    last_used_at: datetime


class MessageState(StrEnum):
    pending = "pending"
    sent = "sent"  # delivered to at least one device
    no_device = "no_device"  # the user has no subscription: the inbox holds it
    given_up = "given_up"  # every attempt failed, or no time was left for another
    expired = "expired"  # still waiting when its TTL ran out: sent to no device


class PushMessage(SQLModel, table=True):
    """The outbox: one message per inbox notification, due now or at the end of quiet hours
    (``due_at``, which never moves), and worth sending until ``ttl_seconds`` after that. A
    dispatcher claims due rows, sends to each of the user's devices and records each attempt.
    No worker takes a row before ``claimed_until``: the lease of the worker sending it (so a
    worker that dies lets the row go), or the wait before its next try. The payload is fixed
    wording with no person supported and no free text."""

    __tablename__ = "push_message"
    __table_args__ = (
        Index("ix_push_message_due", "state", "due_at"),
        CheckConstraint(f"attempts BETWEEN 0 AND {MAX_ATTEMPTS}", name="attempts_in_range"),
    )

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    notification_id: uuid.UUID = Field(unique=True)
    user_id: uuid.UUID = Field(foreign_key="user_account.id", index=True)
    title: str = Field(max_length=120)
    body: str = Field(default="", max_length=200)
    url: str = Field(max_length=300)  # a path within the app
    topic: str = Field(max_length=32)  # RFC 8030: a repeat with the same topic replaces it
    urgency: str = Field(default="normal", max_length=10)
    ttl_seconds: int = Field(default=24 * 3600)
    state: MessageState = Field(
        default=MessageState.pending, sa_column=Column(text_enum(MessageState), nullable=False)
    )
    due_at: datetime
    attempts: int = 0
    claimed_until: datetime | None = None
    created_at: datetime
    finished_at: datetime | None = None


class PushAttempt(SQLModel, table=True):
    """One try at sending a message to one device: what the push service answered."""

    __tablename__ = "push_attempt"

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    message_id: uuid.UUID = Field(foreign_key="push_message.id", index=True)
    subscription_id: uuid.UUID | None = None  # the device, if it still exists
    attempted_at: datetime
    status_code: int | None = None  # None: no answer (a network error)
    outcome: str = Field(max_length=20)  # delivered, retry, gone, given_up
