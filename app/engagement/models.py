"""Tables and scales of engagement-quality notes."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from enum import IntEnum, StrEnum
from typing import Any

from sqlalchemy import JSON, CheckConstraint, Index
from sqlmodel import Field, SQLModel

from app.db import text_enum


class EngagementLevel(IntEnum):
    """The engagement scale (SCALES.md). The values are stored and trended for years."""

    not_engaged = 0
    done_for = 1
    took_part = 2
    chose_and_connected = 3

    @property
    def label(self) -> str:
        return LEVEL_TEXT[self][0]

    @property
    def help(self) -> str:
        return LEVEL_TEXT[self][1]


LEVEL_TEXT = {
    EngagementLevel.not_engaged: (
        "Not engaged",
        "Waiting, doing nothing, or not given the chance to take part",
    ),
    EngagementLevel.done_for: (
        "Done for",
        "Things were done for or to them; present but not taking part",
    ),
    EngagementLevel.took_part: (
        "Took part with support",
        "Joined in with the right amount of help, offered a choice",
    ),
    EngagementLevel.chose_and_connected: (
        "Chose and connected",
        "Chose or started it, did as much as they could, a warm exchange",
    ),
}


class StartedBy(StrEnum):
    person = "person"
    staff = "staff"
    together = "together"

    @property
    def label(self) -> str:
        return {"person": "They did", "staff": "Staff did", "together": "Together"}[self.value]


class Mood(StrEnum):
    low = "low"
    settled = "settled"
    bright = "bright"

    @property
    def label(self) -> str:
        return self.value.capitalize()


class RestrictivePractice(StrEnum):
    physical = "physical"
    environmental = "environmental"
    medication = "medication"
    equipment = "equipment"
    kept_apart = "kept_apart"
    other = "other"

    @property
    def label(self) -> str:
        return RESTRICTIVE_LABELS[self]


RESTRICTIVE_LABELS = {
    RestrictivePractice.physical: "Holding or physically guiding",
    RestrictivePractice.environmental: "Restricting where they could go",
    RestrictivePractice.medication: "Medication to calm (PRN)",
    RestrictivePractice.equipment: "Equipment that restricts movement",
    RestrictivePractice.kept_apart: "Kept apart from others",
    RestrictivePractice.other: "Something else",
}


class EngagementNote(SQLModel, table=True):
    """One note. ``id`` is made by the client and is the idempotency key; ``occurred_at`` is
    when it happened, ``recorded_at`` when it reached us (late entries are normal offline)."""

    __tablename__ = "engagement_note"
    __table_args__ = (
        CheckConstraint("level BETWEEN 0 AND 3", name="level_on_scale"),
        Index("ix_engagement_note_site_occurred", "site_id", "occurred_at"),
        Index("ix_engagement_note_person_occurred", "person_id", "occurred_at"),
    )

    id: uuid.UUID = Field(primary_key=True)
    organisation_id: uuid.UUID = Field(foreign_key="organisation.id")
    site_id: uuid.UUID = Field(foreign_key="site.id")
    person_id: uuid.UUID = Field(foreign_key="person_supported.id")
    author_id: uuid.UUID = Field(foreign_key="user_account.id", index=True)
    occurred_at: datetime
    recorded_at: datetime
    shift_name: str | None = Field(default=None, max_length=40)
    shift_date: date | None = None
    level: int
    started_by: StartedBy | None = Field(default=None, sa_type=text_enum(StartedBy))
    mood: Mood | None = Field(default=None, sa_type=text_enum(Mood))
    activity: str = Field(default="", max_length=200)
    helped: list[str] = Field(default_factory=list, sa_type=JSON)
    helped_note: str = Field(default="", max_length=500)
    hindered: list[str] = Field(default_factory=list, sa_type=JSON)
    hindered_note: str = Field(default="", max_length=500)
    restrictive_practice: RestrictivePractice | None = Field(
        default=None, sa_type=text_enum(RestrictivePractice)
    )
    restrictive_reason: str = Field(default="", max_length=500)
    theme_id: uuid.UUID | None = Field(default=None, foreign_key="learning_theme.id", index=True)
    revision: int = 1
    content_hash: str = Field(max_length=64)
    voided_at: datetime | None = None
    voided_by_id: uuid.UUID | None = Field(default=None, foreign_key="user_account.id")
    void_reason: str = Field(default="", max_length=500)
    reviewed_at: datetime | None = None
    reviewed_by_id: uuid.UUID | None = Field(default=None, foreign_key="user_account.id")


class EngagementNoteRevision(SQLModel, table=True):
    """The note's content at each revision: the first as recorded, then each amendment."""

    __tablename__ = "engagement_note_revision"
    __table_args__ = (Index("uq_engagement_note_revision", "note_id", "revision", unique=True),)

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    note_id: uuid.UUID = Field(foreign_key="engagement_note.id")
    revision: int
    content: dict[str, Any] = Field(sa_type=JSON)
    author_id: uuid.UUID = Field(foreign_key="user_account.id")
    at: datetime
    reason: str = Field(default="", max_length=500)


class QuickPickKind(StrEnum):
    helped = "helped"
    hindered = "hindered"


class QuickPick(SQLModel, table=True):
    """A one-tap answer a site offers for "what helped" or "what got in the way"."""

    __tablename__ = "engagement_quick_pick"
    __table_args__ = (Index("uq_engagement_quick_pick", "site_id", "kind", "label", unique=True),)

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    site_id: uuid.UUID = Field(foreign_key="site.id", index=True)
    kind: QuickPickKind = Field(sa_type=text_enum(QuickPickKind))
    label: str = Field(max_length=60)
    position: int = 0


class ReviewOutcome(StrEnum):
    """A manager's judgement of restrictive practice, in the words of a post-incident review."""

    justified = "justified"
    avoidable = "avoidable"
    safeguarding = "safeguarding"

    @property
    def label(self) -> str:
        return REVIEW_OUTCOME_LABELS[self]


REVIEW_OUTCOME_LABELS = {
    ReviewOutcome.justified: "Justified and proportionate: the least restrictive option left",
    ReviewOutcome.avoidable: "Could have been avoided: de-escalation was not tried first",
    ReviewOutcome.safeguarding: "Needs a safeguarding referral",
}


class RestrictivePracticeReview(SQLModel, table=True):
    """A manager's review of restrictive practice recorded in a note: the outcome, whether the
    staff involved were debriefed (with whom, when), and what will change. ``id`` is made by the
    form (a double tap saves one review). A note amended after its review may be reviewed
    again: the latest review counts, the earlier ones stay."""

    __tablename__ = "restrictive_practice_review"

    id: uuid.UUID = Field(primary_key=True)
    note_id: uuid.UUID = Field(foreign_key="engagement_note.id", index=True)
    organisation_id: uuid.UUID = Field(foreign_key="organisation.id")
    site_id: uuid.UUID = Field(foreign_key="site.id")
    reviewer_id: uuid.UUID = Field(foreign_key="user_account.id")
    reviewed_at: datetime
    outcome: ReviewOutcome = Field(sa_type=text_enum(ReviewOutcome))
    debrief_held: bool
    debrief_with: str = Field(default="", max_length=200)
    debrief_on: date | None = None
    changes: str = Field(default="", max_length=1000)
