"""What a client may send for sites, shift patterns and people supported, and what the API returns."""

from __future__ import annotations

import uuid
from datetime import time
from typing import Annotated
from zoneinfo import available_timezones

from pydantic import (
    BaseModel,
    Field,
    PlainSerializer,
    StringConstraints,
    WithJsonSchema,
    field_validator,
    model_validator,
)

from app.config import FEWEST_REMINDER_MINUTES, MOST_REMINDER_MINUTES
from app.org.models import SiteKind
from app.schemas import SINGLE_LINE, WHOLE_NUMBER, Input, YesNo

Name = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=120), SINGLE_LINE
]
ZoneName = Annotated[str, StringConstraints(max_length=64), SINGLE_LINE]
# The IANA time zones this Python knows: offered in the site form and the only ones accepted.
TIME_ZONES = tuple(sorted(available_timezones()))


class SiteInput(Input):
    name: Name
    kind: SiteKind = SiteKind.care_home
    time_zone: ZoneName = "Europe/London"

    @field_validator("time_zone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        if value not in TIME_ZONES:
            raise ValueError("Choose a time zone such as Europe/London.")
        return value


class ShiftInput(Input):
    name: Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=1, max_length=40), SINGLE_LINE
    ]
    starts_at: time
    ends_at: time

    @model_validator(mode="after")
    def _has_length(self) -> ShiftInput:
        if self.starts_at == self.ends_at:
            raise ValueError("A shift must end at a different time from when it starts.")
        return self


class ShiftPatternInput(Input):
    shifts: list[ShiftInput] = Field(min_length=1, max_length=12)

    @field_validator("shifts")
    @classmethod
    def _distinct_names(cls, shifts: list[ShiftInput]) -> list[ShiftInput]:
        names = [shift.name.casefold() for shift in shifts]
        if len(set(names)) != len(names):
            raise ValueError("Give each shift a different name.")
        return shifts


class HandoverReminderInput(Input):
    """How many minutes before each of a site's handovers its incoming staff are reminded;
    none: the deployment's usual time."""

    minutes: (
        Annotated[int, Field(ge=FEWEST_REMINDER_MINUTES, le=MOST_REMINDER_MINUTES), WHOLE_NUMBER]
        | None
    ) = None


class PersonInput(Input):
    preferred_name: Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=1, max_length=80), SINGLE_LINE
    ]
    room: Annotated[str, StringConstraints(strip_whitespace=True, max_length=40), SINGLE_LINE] = ""
    active: YesNo = True


WallClock = Annotated[
    time,
    PlainSerializer(lambda at: at.strftime("%H:%M:%S"), return_type=str),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": "^([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]$",
            "examples": ["07:00:00"],
        },
        mode="serialization",
    ),
]
"""A time on the site's own clock, as HH:MM:SS: JSON Schema's ``time`` format needs a UTC offset,
which a shift pattern does not have (it holds across changes to summer time)."""


class ShiftPublic(BaseModel):
    name: str
    starts_at: WallClock
    ends_at: WallClock


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
