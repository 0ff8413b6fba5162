"""What a client may send for an observation, and what the API returns."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated

from pydantic import BaseModel, Field, StringConstraints

from app.action.schemas import ActionCreate
from app.observation.models import CouldExplain, PracticeRating
from app.schemas import (
    MULTI_LINE,
    SINGLE_LINE,
    WHOLE_NUMBER,
    AwareIsoDateTime,
    Input,
    IsoDate,
    Note,
    Reason,
)

Location = Annotated[str, StringConstraints(strip_whitespace=True, max_length=80), SINGLE_LINE]
LongText = Annotated[str, StringConstraints(strip_whitespace=True, max_length=1000), MULTI_LINE]
Reflection = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=1000), MULTI_LINE
]
Rating = Annotated[PracticeRating, WHOLE_NUMBER]


class ObservationCreate(Input):
    """A new observation. ``id`` is made by the client (the outbox, or the form when it was
    shown). ``ratings`` maps each behaviour of the theme to what was seen; a behaviour left out
    or null had no chance to be seen."""

    id: uuid.UUID
    site_id: uuid.UUID
    theme_id: uuid.UUID
    observed_user_id: uuid.UUID | None = None
    observed_at: AwareIsoDateTime | None = None
    location: Location = ""
    ratings: dict[uuid.UUID, Rating | None] = Field(default_factory=dict, max_length=20)
    could_explain: CouldExplain = CouldExplain.not_asked
    context_notes: LongText = ""
    went_well: LongText = ""
    next_step: Note = ""
    follow_up_on: IsoDate | None = None
    actions: list[ActionCreate] = Field(default_factory=list, max_length=10)


class ReflectionInput(Input):
    reflection: Reflection


class VoidRequest(Input):
    reason: Reason


class RatingPublic(BaseModel):
    behaviour_id: uuid.UUID
    behaviour: str
    rating: PracticeRating | None


class ObservationPublic(BaseModel):
    id: uuid.UUID
    site_id: uuid.UUID
    theme_id: uuid.UUID
    theme_revision: int
    observer_id: uuid.UUID
    observed_user_id: uuid.UUID | None
    observed_at: datetime
    recorded_at: datetime
    shift_name: str | None
    shift_date: date | None
    location: str
    ratings: list[RatingPublic]
    practice_score: float | None
    could_explain: CouldExplain
    context_notes: str
    went_well: str
    next_step: str
    follow_up_on: date | None
    reflection: str
    reflected_at: datetime | None
    voided: bool
    void_reason: str


class ObservationPage(BaseModel):
    items: list[ObservationPublic]
    next_offset: int | None
