"""The sync batch and its per-item answers."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any

from pydantic import BaseModel, Field, StringConstraints

from app.schemas import SINGLE_LINE, Input

MAX_ITEMS = 100


class SyncStatus(StrEnum):
    created = "created"
    duplicate = "duplicate"
    conflict = "conflict"
    invalid = "invalid"
    forbidden = "forbidden"


class SyncBatch(Input):
    """Items are checked one by one, so a corrupt item gets its own answer."""

    items: list[Any] = Field(
        description=f"At most {MAX_ITEMS} outbox items: {{id, type, payload}}."
    )


class SyncItem(Input):
    id: Annotated[str, StringConstraints(min_length=1, max_length=64), SINGLE_LINE]
    type: Annotated[str, StringConstraints(min_length=1, max_length=40), SINGLE_LINE]
    payload: dict[str, Any]


class SyncError(BaseModel):
    field: str
    reason: str


class SyncResult(BaseModel):
    id: str | None
    status: SyncStatus
    message: str = ""
    errors: list[SyncError] = Field(default_factory=list)


class SyncAnswer(BaseModel):
    results: list[SyncResult]
