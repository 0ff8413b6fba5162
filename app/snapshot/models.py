"""The interaction snapshot table and its five kinds of interaction."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, Index
from sqlmodel import Field, SQLModel

MAX_COUNT = 999
MAX_MINUTES = 60


class InteractionKind(StrEnum):
    """The tally's kinds (SCALES.md "Interaction snapshot"), in the order shown; each value is
    also the name of its count column."""

    positive_social = "positive_social"
    positive_care = "positive_care"
    neutral = "neutral"
    protective_restrictive = "protective_restrictive"
    restrictive = "restrictive"

    @property
    def label(self) -> str:
        return {
            "positive_social": "Positive social",
            "positive_care": "Positive care",
            "neutral": "Neutral",
            "protective_restrictive": "Protective but restrictive",
            "restrictive": "Restrictive",
        }[self.value]


COUNTS_IN_RANGE = " AND ".join(
    f"{kind.value} BETWEEN 0 AND {MAX_COUNT}" for kind in InteractionKind
)
AT_LEAST_ONE = " + ".join(kind.value for kind in InteractionKind) + " >= 1"


class InteractionSnapshot(SQLModel, table=True):
    """One tally of a room. ``id`` is made by the client (the idempotency key)."""

    __tablename__ = "interaction_snapshot"
    __table_args__ = (
        Index("ix_interaction_snapshot_site_started", "site_id", "started_at"),
        CheckConstraint(COUNTS_IN_RANGE, name="counts_in_range"),
        CheckConstraint(AT_LEAST_ONE, name="at_least_one"),
        CheckConstraint(f"minutes BETWEEN 1 AND {MAX_MINUTES}", name="minutes_in_range"),
    )

    id: uuid.UUID = Field(primary_key=True)
    organisation_id: uuid.UUID = Field(foreign_key="organisation.id")
    site_id: uuid.UUID = Field(foreign_key="site.id")
    observer_id: uuid.UUID = Field(foreign_key="user_account.id")
    theme_id: uuid.UUID | None = Field(default=None, foreign_key="learning_theme.id")
    started_at: datetime
    minutes: int
    location: str = Field(default="", max_length=40)
    shift_name: str | None = Field(default=None, max_length=40)
    shift_date: date | None = None
    positive_social: int = 0
    positive_care: int = 0
    neutral: int = 0
    protective_restrictive: int = 0
    restrictive: int = 0
    recorded_at: datetime
    content_hash: str = Field(max_length=64)

    def count(self, kind: InteractionKind) -> int:
        return int(getattr(self, kind.value))

    @property
    def total(self) -> int:
        return sum(self.count(kind) for kind in InteractionKind)
