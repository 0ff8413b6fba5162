"""The follow-up action table."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, Index
from sqlmodel import Field, SQLModel

from app.db import text_enum


class ActionSource(StrEnum):
    handover = "handover"
    observation = "observation"
    review = "review"  # a manager's review of restrictive practice
    meeting = "meeting"  # a decision of the quality meeting, for a week

    @property
    def label(self) -> str:
        return self.value.capitalize()


# Exactly the source's own reference is set: a record's id, or the week of the quality meeting.
# (Migration 0009 writes the same condition.)
ONE_SOURCE = (
    "(source = 'handover' AND handover_id IS NOT NULL"
    " AND observation_id IS NULL AND review_id IS NULL AND meeting_week IS NULL)"
    " OR (source = 'observation' AND observation_id IS NOT NULL"
    " AND handover_id IS NULL AND review_id IS NULL AND meeting_week IS NULL)"
    " OR (source = 'review' AND review_id IS NOT NULL"
    " AND handover_id IS NULL AND observation_id IS NULL AND meeting_week IS NULL)"
    " OR (source = 'meeting' AND meeting_week IS NOT NULL"
    " AND handover_id IS NULL AND observation_id IS NULL AND review_id IS NULL)"
)


class FollowUpAction(SQLModel, table=True):
    """Something someone must do, carried forward until it is done."""

    __tablename__ = "follow_up_action"
    __table_args__ = (
        Index("ix_follow_up_action_owner_open", "owner_id", "done_at"),
        Index("ix_follow_up_action_site_open", "site_id", "done_at"),
        CheckConstraint(ONE_SOURCE, name="one_source"),
    )

    id: uuid.UUID = Field(primary_key=True)
    organisation_id: uuid.UUID = Field(foreign_key="organisation.id")
    site_id: uuid.UUID = Field(foreign_key="site.id")
    source: ActionSource = Field(sa_type=text_enum(ActionSource))
    handover_id: uuid.UUID | None = Field(default=None, foreign_key="handover.id", index=True)
    observation_id: uuid.UUID | None = Field(default=None, foreign_key="observation.id", index=True)
    review_id: uuid.UUID | None = Field(
        default=None, foreign_key="restrictive_practice_review.id", index=True
    )
    # The Monday of the quality meeting's week that decided it (source "meeting").
    meeting_week: date | None = Field(default=None, index=True)
    # The learning theme a meeting decision is about, when it is about one.
    theme_id: uuid.UUID | None = Field(default=None, foreign_key="learning_theme.id")
    person_id: uuid.UUID | None = Field(default=None, foreign_key="person_supported.id")
    description: str = Field(max_length=200)
    owner_id: uuid.UUID = Field(foreign_key="user_account.id")
    due_on: date | None = None
    created_by_id: uuid.UUID = Field(foreign_key="user_account.id")
    created_at: datetime
    done_at: datetime | None = None
    done_by_id: uuid.UUID | None = Field(default=None, foreign_key="user_account.id")
    content_hash: str = Field(max_length=64)
