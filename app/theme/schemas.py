"""What a client may send for a learning theme, and what the API returns."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator

from app.schemas import MULTI_LINE, SINGLE_LINE, Input, IsoDate
from app.theme.models import SourceKind, ThemeStatus

Line = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200), SINGLE_LINE
]
MIN_BEHAVIOURS, MAX_BEHAVIOURS, MAX_PROMPTS = 3, 8, 8


class ThemeInput(Input):
    """A theme's content: the same for creating and for editing (which makes a new revision)."""

    title: Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=1, max_length=120), SINGLE_LINE
    ]
    why: Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500), MULTI_LINE
    ]
    source_kind: SourceKind
    source_reference: Annotated[
        str, StringConstraints(strip_whitespace=True, max_length=200), SINGLE_LINE
    ] = ""
    start_date: IsoDate | None = None
    site_ids: list[uuid.UUID] = Field(default_factory=list, max_length=500)
    # Counted by the validators below, so the reason is in plain words; the bounds still reach
    # the OpenAPI document.
    behaviours: list[Line] = Field(
        json_schema_extra={"minItems": MIN_BEHAVIOURS, "maxItems": MAX_BEHAVIOURS}
    )
    prompts: list[Line] = Field(default_factory=list, json_schema_extra={"maxItems": MAX_PROMPTS})

    @field_validator("behaviours", "prompts", mode="before")
    @classmethod
    def _drop_blank_lines(cls, value: object) -> object:
        if isinstance(value, list):
            return [line for line in value if not (isinstance(line, str) and not line.strip())]
        return value

    @field_validator("behaviours")
    @classmethod
    def _three_to_eight_behaviours(cls, lines: list[str]) -> list[str]:
        if not MIN_BEHAVIOURS <= len(lines) <= MAX_BEHAVIOURS:
            raise ValueError(
                f"Write {MIN_BEHAVIOURS} to {MAX_BEHAVIOURS} behaviours, one on each line."
            )
        return lines

    @field_validator("prompts")
    @classmethod
    def _at_most_eight_prompts(cls, lines: list[str]) -> list[str]:
        if len(lines) > MAX_PROMPTS:
            raise ValueError(f"Write at most {MAX_PROMPTS} handover prompts.")
        return lines

    @field_validator("behaviours", "prompts")
    @classmethod
    def _no_repeats(cls, lines: list[str]) -> list[str]:
        if len({line.casefold() for line in lines}) != len(lines):
            raise ValueError("Each line must say something different.")
        return lines


class ThemeTransitionInput(Input):
    to_status: ThemeStatus
    reason: Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=1, max_length=1000), MULTI_LINE
    ]


class BehaviourPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    position: int
    text: str


class PromptPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    position: int
    text: str


class ThemePublic(BaseModel):
    id: uuid.UUID
    title: str
    why: str
    source_kind: SourceKind
    source_reference: str
    status: ThemeStatus
    start_date: date | None
    revision: int
    site_ids: list[uuid.UUID]
    behaviours: list[BehaviourPublic]
    prompts: list[PromptPublic]
    created_at: datetime
    updated_at: datetime


class ThemeTransitionPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    from_status: ThemeStatus
    to_status: ThemeStatus
    reason: str
    actor_id: uuid.UUID
    at: datetime
