"""What a client may send for a learning theme, and what the API returns."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated

from pydantic import BaseModel, Field, StringConstraints, field_validator

from app.theme.models import SourceKind, ThemeStatus

Line = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]


class ThemeInput(BaseModel):
    """A theme's content: the same for creating and for editing (which makes a new revision)."""

    title: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=120)]
    why: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)]
    source_kind: SourceKind
    source_reference: Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)] = ""
    start_date: date | None = None
    site_ids: list[uuid.UUID] = Field(default_factory=list, max_length=500)
    behaviours: list[Line] = Field(min_length=3, max_length=8)
    prompts: list[Line] = Field(default_factory=list, max_length=8)

    @field_validator("behaviours", "prompts", mode="before")
    @classmethod
    def _drop_blank_lines(cls, value: object) -> object:
        if isinstance(value, list):
            return [line for line in value if not (isinstance(line, str) and not line.strip())]
        return value

    @field_validator("behaviours", "prompts")
    @classmethod
    def _no_repeats(cls, lines: list[str]) -> list[str]:
        if len({line.casefold() for line in lines}) != len(lines):
            raise ValueError("Each line must say something different.")
        return lines


class ThemeTransitionInput(BaseModel):
    to_status: ThemeStatus
    reason: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=1000)]


class BehaviourPublic(BaseModel):
    id: uuid.UUID
    position: int
    text: str


class PromptPublic(BaseModel):
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
    id: uuid.UUID
    from_status: ThemeStatus
    to_status: ThemeStatus
    reason: str
    at: datetime
