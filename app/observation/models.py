"""Tables and scales of walk-round observations."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from enum import IntEnum, StrEnum

from sqlalchemy import CheckConstraint, Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from app.db import text_enum


class PracticeRating(IntEnum):
    """The observed-practice scale (SCALES.md); "no chance to see it" is stored as null."""

    not_seen = 0
    seen_in_part = 1
    seen_consistently = 2

    @property
    def label(self) -> str:
        return {0: "Not seen", 1: "Seen in part", 2: "Seen consistently"}[self.value]


class CouldExplain(StrEnum):
    yes = "yes"
    partly = "partly"
    no = "no"
    not_asked = "not_asked"

    @property
    def label(self) -> str:
        return {"yes": "Yes", "partly": "Partly", "no": "No", "not_asked": "Not asked"}[self.value]


class Observation(SQLModel, table=True):
    """One observation. ``id`` is made by the client (the idempotency key)."""

    __tablename__ = "observation"
    __table_args__ = (
        Index("ix_observation_site_observed", "site_id", "observed_at"),
        Index("ix_observation_theme_observed", "theme_id", "observed_at"),
    )

    id: uuid.UUID = Field(primary_key=True)
    organisation_id: uuid.UUID = Field(foreign_key="organisation.id")
    site_id: uuid.UUID = Field(foreign_key="site.id")
    theme_id: uuid.UUID = Field(foreign_key="learning_theme.id")
    theme_revision: int
    observer_id: uuid.UUID = Field(foreign_key="user_account.id")
    observed_user_id: uuid.UUID | None = Field(
        default=None, foreign_key="user_account.id", index=True
    )
    observed_at: datetime
    recorded_at: datetime
    shift_name: str | None = Field(default=None, max_length=40)
    shift_date: date | None = None
    location: str = Field(default="", max_length=80)
    could_explain: CouldExplain = Field(
        default=CouldExplain.not_asked, sa_type=text_enum(CouldExplain)
    )
    context_notes: str = Field(default="", max_length=1000)
    went_well: str = Field(default="", max_length=1000)
    next_step: str = Field(default="", max_length=500)
    follow_up_on: date | None = None
    practice_score: float | None = None
    reflection: str = Field(default="", max_length=1000)
    reflected_at: datetime | None = None
    content_hash: str = Field(max_length=64)
    voided_at: datetime | None = None
    voided_by_id: uuid.UUID | None = Field(default=None, foreign_key="user_account.id")
    void_reason: str = Field(default="", max_length=500)


class ObservationRating(SQLModel, table=True):
    """One behaviour of the theme as seen; ``rating`` null means no chance to see it."""

    __tablename__ = "observation_rating"
    __table_args__ = (
        UniqueConstraint("observation_id", "behaviour_id"),
        CheckConstraint("rating IS NULL OR rating BETWEEN 0 AND 2", name="rating_on_scale"),
    )

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    observation_id: uuid.UUID = Field(foreign_key="observation.id", index=True)
    behaviour_id: uuid.UUID = Field(foreign_key="behaviour.id", index=True)
    rating: int | None = None
