"""What a client may send for sites, shift patterns and people supported, and what the API returns."""

from __future__ import annotations

import uuid
from datetime import time
from typing import Annotated
from zoneinfo import available_timezones

from pydantic import BaseModel, Field, StringConstraints, field_validator, model_validator

from app.org.models import SiteKind

Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=120)]
# The IANA time zones this Python knows: offered in the site form and the only ones accepted.
TIME_ZONES = tuple(sorted(available_timezones()))


class SiteInput(BaseModel):
    name: Name
    kind: SiteKind = SiteKind.care_home
    time_zone: str = Field(default="Europe/London", max_length=64)

    @field_validator("time_zone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        if value not in TIME_ZONES:
            raise ValueError("Choose a time zone such as Europe/London.")
        return value


class ShiftInput(BaseModel):
    name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=40)]
    starts_at: time
    ends_at: time

    @model_validator(mode="after")
    def _has_length(self) -> ShiftInput:
        if self.starts_at == self.ends_at:
            raise ValueError("A shift must end at a different time from when it starts.")
        return self


class ShiftPatternInput(BaseModel):
    shifts: list[ShiftInput] = Field(min_length=1, max_length=12)

    @field_validator("shifts")
    @classmethod
    def _distinct_names(cls, shifts: list[ShiftInput]) -> list[ShiftInput]:
        names = [shift.name.casefold() for shift in shifts]
        if len(set(names)) != len(names):
            raise ValueError("Give each shift a different name.")
        return shifts


class PersonInput(BaseModel):
    preferred_name: Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=1, max_length=80)
    ]
    room: Annotated[str, StringConstraints(strip_whitespace=True, max_length=40)] = ""
    active: bool = True


class ShiftPublic(BaseModel):
    name: str
    starts_at: time
    ends_at: time


class SitePublic(BaseModel):
    id: uuid.UUID
    name: str
    kind: SiteKind
    time_zone: str
    shifts: list[ShiftPublic]


class PersonPublic(BaseModel):
    id: uuid.UUID
    site_id: uuid.UUID
    preferred_name: str
    room: str
    active: bool
