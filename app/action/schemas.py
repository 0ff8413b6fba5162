"""What a client may send for a follow-up action, and what the API returns."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated

from pydantic import BaseModel, StringConstraints

from app.action.models import ActionSource, FollowUpAction
from app.schemas import SINGLE_LINE, Input, IsoDate


class ActionCreate(Input):
    """A new action; ``id`` is made by the client (the idempotency key)."""

    id: uuid.UUID
    description: Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200), SINGLE_LINE
    ]
    owner_id: uuid.UUID
    due_on: IsoDate | None = None
    person_id: uuid.UUID | None = None


class ActionPublic(BaseModel):
    id: uuid.UUID
    site_id: uuid.UUID
    source: ActionSource
    handover_id: uuid.UUID | None
    observation_id: uuid.UUID | None
    review_id: uuid.UUID | None
    meeting_week: date | None
    theme_id: uuid.UUID | None
    person_id: uuid.UUID | None
    description: str
    owner_id: uuid.UUID
    due_on: date | None
    created_at: datetime
    done: bool
    done_at: datetime | None
    overdue: bool

    @classmethod
    def of(cls, action: FollowUpAction, *, overdue: set[uuid.UUID]) -> ActionPublic:
        """``overdue`` comes from ``service.overdue_ids`` for the whole list at once."""
        done = action.done_at is not None
        return cls.model_validate(
            {**action.model_dump(), "done": done, "overdue": action.id in overdue}
        )


class ActionPage(BaseModel):
    items: list[ActionPublic]
    next_offset: int | None
