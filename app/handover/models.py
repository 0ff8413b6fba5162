"""Tables of handovers."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from app.auth.models import Role
from app.db import text_enum


class PersonStatus(StrEnum):
    stable = "stable"
    watch = "watch"
    unwell = "unwell"

    @property
    def label(self) -> str:
        return self.value.capitalize()


# What a handover is for: a site has one handover per shift change (a unique index, which
# SQLite adds to an existing table without rebuilding it; both stores enforce it alike).
SHIFT_CHANGE = ("site_id", "outgoing_shift", "outgoing_date", "incoming_shift", "incoming_date")


class Handover(SQLModel, table=True):
    """One shift change at one site. ``id`` is made by the client (the idempotency key)."""

    __tablename__ = "handover"
    __table_args__ = (
        Index("ix_handover_site_started", "site_id", "started_at"),
        Index("uq_handover_shift_change", *SHIFT_CHANGE, unique=True),
    )

    id: uuid.UUID = Field(primary_key=True)
    organisation_id: uuid.UUID = Field(foreign_key="organisation.id")
    site_id: uuid.UUID = Field(foreign_key="site.id")
    lead_id: uuid.UUID = Field(foreign_key="user_account.id")
    outgoing_shift: str = Field(max_length=40)
    outgoing_date: date
    incoming_shift: str = Field(max_length=40)
    incoming_date: date
    started_at: datetime
    completed_at: datetime | None = None
    completed_by_id: uuid.UUID | None = Field(default=None, foreign_key="user_account.id")
    content_hash: str = Field(max_length=64)


class HandoverEntry(SQLModel, table=True):
    """What is handed over about one person supported."""

    __tablename__ = "handover_entry"
    __table_args__ = (UniqueConstraint("handover_id", "person_id"),)

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    handover_id: uuid.UUID = Field(foreign_key="handover.id", index=True)
    person_id: uuid.UUID = Field(foreign_key="person_supported.id")
    status: PersonStatus = Field(default=PersonStatus.stable, sa_type=text_enum(PersonStatus))
    update: str = Field(default="", max_length=200)
    risks: str = Field(default="", max_length=500)
    updated_by_id: uuid.UUID = Field(foreign_key="user_account.id")
    updated_at: datetime


class HandoverPromptResponse(SQLModel, table=True):
    """A learning prompt raised at the handover: discussed (what was said) or not (why).
    A prompt answered again later in the same handover: the latest answer counts."""

    __tablename__ = "handover_prompt_response"
    # Finds "answered again later" in one step: prompt coverage reads it for every answer.
    __table_args__ = (
        Index("ix_handover_prompt_response_latest", "handover_id", "prompt_id", "recorded_at"),
    )

    id: uuid.UUID = Field(primary_key=True)
    handover_id: uuid.UUID = Field(foreign_key="handover.id", index=True)
    prompt_id: uuid.UUID = Field(foreign_key="handover_prompt.id", index=True)
    theme_id: uuid.UUID = Field(foreign_key="learning_theme.id", index=True)
    discussed: bool
    note: str = Field(default="", max_length=500)
    author_id: uuid.UUID = Field(foreign_key="user_account.id")
    recorded_at: datetime
    content_hash: str = Field(max_length=64)


class HandoverAttendance(SQLModel, table=True):
    """Who was there, in which role; a manager present counts as leadership visibility."""

    __tablename__ = "handover_attendance"
    __table_args__ = (UniqueConstraint("handover_id", "user_id"),)

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    handover_id: uuid.UUID = Field(foreign_key="handover.id", index=True)
    user_id: uuid.UUID = Field(foreign_key="user_account.id")
    role: Role = Field(sa_type=text_enum(Role))
    recorded_at: datetime


class HandoverAcknowledgement(SQLModel, table=True):
    """An incoming staff member has received the handover, on their own device."""

    __tablename__ = "handover_acknowledgement"
    __table_args__ = (UniqueConstraint("handover_id", "user_id"),)

    id: uuid.UUID = Field(primary_key=True)
    handover_id: uuid.UUID = Field(foreign_key="handover.id", index=True)
    user_id: uuid.UUID = Field(foreign_key="user_account.id", index=True)
    acknowledged_at: datetime
    content_hash: str = Field(max_length=64)


class HandoverAmendment(SQLModel, table=True):
    """A change after completion: what changed, by whom, when and why."""

    __tablename__ = "handover_amendment"

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    handover_id: uuid.UUID = Field(foreign_key="handover.id", index=True)
    author_id: uuid.UUID = Field(foreign_key="user_account.id")
    at: datetime
    reason: str = Field(max_length=500)
    change: str = Field(max_length=1000)
