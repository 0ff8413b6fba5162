"""Tables of the inbox: each notification, and each user's choices about being told."""

from __future__ import annotations

import uuid
from datetime import datetime, time
from enum import StrEnum

from sqlalchemy import JSON, CheckConstraint, Column, Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from app.db import text_enum

DEFAULT_TIME_ZONE = "Europe/London"


class Kind(StrEnum):
    """What a notification is about; each may be switched off for push, per user."""

    handover_soon = "handover_soon"
    handover_to_acknowledge = "handover_to_acknowledge"
    feedback = "feedback"
    action_assigned = "action_assigned"
    action_due = "action_due"
    learning_focus = "learning_focus"
    restrictive_review = "restrictive_review"
    drift_alert = "drift_alert"
    lifecycle_proposal = "lifecycle_proposal"

    @property
    def label(self) -> str:
        """The words staff use, on the notification settings page."""
        return KIND_LABELS[self]


KIND_LABELS = {
    Kind.handover_soon: "A handover on my usual shift is about to start",
    Kind.handover_to_acknowledge: "A handover is ready for me to acknowledge",
    Kind.feedback: "Feedback on my practice",
    Kind.action_assigned: "An action is given to me",
    Kind.action_due: "An action of mine is due today or overdue",
    Kind.learning_focus: "A new learning focus for my site",
    Kind.restrictive_review: "Restrictive practice to review (managers)",
    Kind.drift_alert: "A drift alert is raised (managers, quality leads)",
    Kind.lifecycle_proposal: "A learning theme's move is proposed (quality leads)",
}


class Notification(SQLModel, table=True):
    """One thing a user is told: fixed wording naming no person supported and carrying no free
    text, and the page it opens. ``source_key`` names what it is about, so a retried write
    tells them once."""

    __tablename__ = "notification"
    __table_args__ = (
        UniqueConstraint("user_id", "kind", "source_key"),
        Index("ix_notification_user_created", "user_id", "created_at"),
        Index("ix_notification_user_unread", "user_id", "read_at"),
        Index("ix_notification_kind_source", "kind", "source_key"),  # a job's "told already?"
    )

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    user_id: uuid.UUID = Field(foreign_key="user_account.id")
    kind: Kind = Field(sa_column=Column(text_enum(Kind, length=30), nullable=False))
    title: str = Field(max_length=120)
    url: str = Field(max_length=300)  # a path within the app
    source_key: str = Field(max_length=120)
    created_at: datetime
    read_at: datetime | None = None


class NotificationPreference(SQLModel, table=True):
    """A user's choices: the kinds not pushed to their phones (the inbox still holds them), and
    quiet hours in their site's time zone, when pushes wait until the end."""

    __tablename__ = "notification_preference"
    __table_args__ = (
        CheckConstraint(
            "(quiet_from IS NULL) = (quiet_until IS NULL)", name="quiet_hours_both_or_none"
        ),
    )

    user_id: uuid.UUID = Field(foreign_key="user_account.id", primary_key=True)
    kinds_off: list[str] = Field(default_factory=list, sa_type=JSON)
    quiet_from: time | None = None
    quiet_until: time | None = None
    time_zone: str = Field(default=DEFAULT_TIME_ZONE, max_length=64)
    updated_at: datetime
