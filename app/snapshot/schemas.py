"""What a client may send for an interaction snapshot, and what the API returns."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated

from pydantic import BaseModel, Field, StringConstraints

from app.schemas import SINGLE_LINE, WHOLE_NUMBER, AwareIsoDateTime, Input
from app.snapshot.models import MAX_COUNT, MAX_MINUTES

# A room or area, never a person: "the lounge", "dining room".
Location = Annotated[str, StringConstraints(strip_whitespace=True, max_length=40), SINGLE_LINE]
Count = Annotated[int, Field(ge=0, le=MAX_COUNT), WHOLE_NUMBER]
Minutes = Annotated[int, Field(ge=1, le=MAX_MINUTES), WHOLE_NUMBER]


class SnapshotCreate(Input):
    """A tally of a room. ``id`` is made by the client (the outbox, or the form when it was
    shown). ``started_at`` is when watching began (now less ``minutes`` when left out); at
    least one interaction is counted. ``theme_id`` is the learning theme active at the site
    that the snapshot was taken for, if any."""

    id: uuid.UUID
    site_id: uuid.UUID
    theme_id: uuid.UUID | None = None
    started_at: AwareIsoDateTime | None = None
    minutes: Minutes
    location: Location = ""
    positive_social: Count = 0
    positive_care: Count = 0
    neutral: Count = 0
    protective_restrictive: Count = 0
    restrictive: Count = 0


class SnapshotPublic(BaseModel):
    id: uuid.UUID
    site_id: uuid.UUID
    observer_id: uuid.UUID
    theme_id: uuid.UUID | None
    started_at: datetime
    minutes: int
    location: str
    shift_name: str | None
    shift_date: date | None
    positive_social: int
    positive_care: int
    neutral: int
    protective_restrictive: int
    restrictive: int
    total: int
    recorded_at: datetime
