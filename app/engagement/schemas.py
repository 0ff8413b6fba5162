"""What a client may send for an engagement note, and what the API returns."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated

from pydantic import BaseModel, Field, StringConstraints

from app.action.schemas import ActionCreate
from app.engagement.models import (
    EngagementLevel,
    Mood,
    RestrictivePractice,
    ReviewOutcome,
    StartedBy,
)
from app.schemas import (
    MULTI_LINE,
    SINGLE_LINE,
    WHOLE_NUMBER,
    AwareIsoDateTime,
    Input,
    IsoDate,
    Note,
    Reason,
    YesNo,
)

ShortText = Annotated[str, StringConstraints(strip_whitespace=True, max_length=200), SINGLE_LINE]
Pick = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=60), SINGLE_LINE
]


class EngagementContent(Input):
    """What the note says: the part an amendment may change."""

    level: Annotated[EngagementLevel, WHOLE_NUMBER]
    occurred_at: AwareIsoDateTime | None = None
    started_by: StartedBy | None = None
    mood: Mood | None = None
    activity: ShortText = ""
    helped: list[Pick] = Field(default_factory=list, max_length=12)
    helped_note: Note = ""
    hindered: list[Pick] = Field(default_factory=list, max_length=12)
    hindered_note: Note = ""
    restrictive_practice: RestrictivePractice | None = None
    restrictive_reason: Note = ""
    theme_id: uuid.UUID | None = None


class EngagementNoteCreate(EngagementContent):
    """A new note. ``id`` is made by the client (the outbox, or the form when it was shown)."""

    id: uuid.UUID
    person_id: uuid.UUID


class EngagementNoteAmend(EngagementContent):
    reason: Reason


class VoidRequest(Input):
    reason: Reason


class EngagementNotePublic(BaseModel):
    id: uuid.UUID
    site_id: uuid.UUID
    person_id: uuid.UUID
    author_id: uuid.UUID
    occurred_at: datetime
    recorded_at: datetime
    late: bool
    shift_name: str | None
    shift_date: date | None
    level: Annotated[EngagementLevel, WHOLE_NUMBER]
    started_by: StartedBy | None
    mood: Mood | None
    activity: str
    helped: list[str]
    helped_note: str
    hindered: list[str]
    hindered_note: str
    restrictive_practice: RestrictivePractice | None
    restrictive_reason: str
    theme_id: uuid.UUID | None
    revision: int
    voided: bool
    void_reason: str
    needs_review: bool
    reviewed_at: datetime | None


class EngagementNotePage(BaseModel):
    items: list[EngagementNotePublic]
    next_offset: int | None


class ReviewCreate(Input):
    """A manager's review of restrictive practice in a note. ``id`` is made by the client;
    ``changes`` (what will change) is needed unless the outcome is "justified"; ``action`` is
    an optional follow-up action, carried forward at the site's handovers until done."""

    id: uuid.UUID
    outcome: ReviewOutcome
    debrief_held: YesNo
    debrief_with: ShortText = ""
    debrief_on: IsoDate | None = None
    changes: Annotated[
        str, StringConstraints(strip_whitespace=True, max_length=1000), MULTI_LINE
    ] = ""
    action: ActionCreate | None = None


class ReviewPublic(BaseModel):
    id: uuid.UUID
    note_id: uuid.UUID
    reviewer_id: uuid.UUID
    reviewed_at: datetime
    outcome: ReviewOutcome
    debrief_held: bool
    debrief_with: str
    debrief_on: date | None
    changes: str
