"""Tables of learning themes: the theme, its sites, behaviours, prompts, revisions, transitions.

Behaviours and prompts are never deleted: an edit retires the old wording and adds the new, so
observations and handovers that cite a behaviour or prompt keep pointing at what was asked.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, UniqueConstraint
from sqlmodel import Field, SQLModel

from app.db import text_enum


class SourceKind(StrEnum):
    incident = "incident"
    audit = "audit"
    review = "review"
    training = "training"
    pilot = "pilot"

    @property
    def label(self) -> str:
        return self.value.capitalize()


class ThemeStatus(StrEnum):
    draft = "draft"
    pilot = "pilot"
    embedding = "embedding"
    embedded = "embedded"
    retired = "retired"

    @property
    def label(self) -> str:
        return self.value.capitalize()

    @property
    def is_active(self) -> bool:
        """Active themes are the ones being embedded: they set today's focus and the prompts."""
        return self in (ThemeStatus.pilot, ThemeStatus.embedding)


ACTIVE_STATUSES = tuple(status for status in ThemeStatus if status.is_active)


class LearningTheme(SQLModel, table=True):
    __tablename__ = "learning_theme"

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    organisation_id: uuid.UUID = Field(foreign_key="organisation.id", index=True)
    title: str = Field(max_length=120)
    why: str = Field(max_length=500)
    source_kind: SourceKind = Field(sa_type=text_enum(SourceKind))
    source_reference: str = Field(default="", max_length=200)
    status: ThemeStatus = Field(default=ThemeStatus.draft, sa_type=text_enum(ThemeStatus))
    start_date: date | None = None
    revision: int = 1
    created_by_id: uuid.UUID = Field(foreign_key="user_account.id")
    created_at: datetime
    updated_at: datetime


class ThemeSite(SQLModel, table=True):
    """A site the theme applies to."""

    __tablename__ = "theme_site"

    theme_id: uuid.UUID = Field(foreign_key="learning_theme.id", primary_key=True)
    site_id: uuid.UUID = Field(foreign_key="site.id", primary_key=True, index=True)


class Behaviour(SQLModel, table=True):
    """One observable behaviour of "what good looks like"."""

    __tablename__ = "behaviour"

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    theme_id: uuid.UUID = Field(foreign_key="learning_theme.id", index=True)
    position: int
    text: str = Field(max_length=200)
    added_in_revision: int
    retired_in_revision: int | None = None


class HandoverPrompt(SQLModel, table=True):
    """A short question the team lead raises at handover while the theme is being embedded."""

    __tablename__ = "handover_prompt"

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    theme_id: uuid.UUID = Field(foreign_key="learning_theme.id", index=True)
    position: int
    text: str = Field(max_length=200)
    added_in_revision: int
    retired_in_revision: int | None = None


class ThemeRevision(SQLModel, table=True):
    """What the theme said at one revision, kept whole so any past version can be shown."""

    __tablename__ = "theme_revision"
    __table_args__ = (UniqueConstraint("theme_id", "revision"),)

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    theme_id: uuid.UUID = Field(foreign_key="learning_theme.id", index=True)
    revision: int
    content: dict[str, Any] = Field(sa_type=JSON)
    edited_by_id: uuid.UUID = Field(foreign_key="user_account.id")
    edited_at: datetime


class ThemeTransition(SQLModel, table=True):
    """A move through the lifecycle, with the reason (the evidence) for it."""

    __tablename__ = "theme_transition"

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    theme_id: uuid.UUID = Field(foreign_key="learning_theme.id", index=True)
    from_status: ThemeStatus = Field(sa_type=text_enum(ThemeStatus))
    to_status: ThemeStatus = Field(sa_type=text_enum(ThemeStatus))
    reason: str = Field(max_length=1000)
    actor_id: uuid.UUID = Field(foreign_key="user_account.id")
    at: datetime
