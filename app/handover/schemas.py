"""What a client may send for a handover and the records made during it, and what the API
returns. Every record a client creates carries its own UUID: the idempotency key."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated

from pydantic import BaseModel, StringConstraints

from app.action.schemas import ActionPublic
from app.auth.models import Role
from app.handover.models import PersonStatus
from app.schemas import MULTI_LINE, SINGLE_LINE, Input, IsoDate, Note, Reason, YesNo

ShiftName = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=40), SINGLE_LINE
]
OneLine = Annotated[str, StringConstraints(strip_whitespace=True, max_length=200), SINGLE_LINE]
Change = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=1000), MULTI_LINE
]


class ShiftChoice(Input):
    """One shift on one day, by its name in the site's pattern and the date it started."""

    name: ShiftName
    date: IsoDate


class HandoverStart(Input):
    """A new handover. Without ``outgoing`` and ``incoming`` the shift change is the one
    happening now: the shift running now takes over from the one before it."""

    id: uuid.UUID
    site_id: uuid.UUID
    outgoing: ShiftChoice | None = None
    incoming: ShiftChoice | None = None


class PersonUpdate(Input):
    """What is handed over about one person supported."""

    status: PersonStatus
    update: OneLine = ""
    risks: Note = ""


class PromptResponseCreate(Input):
    """A learning prompt raised: discussed (``note`` says what was said) or not (why not)."""

    id: uuid.UUID
    prompt_id: uuid.UUID
    discussed: YesNo
    note: Note = ""


class AttendanceCreate(Input):
    user_id: uuid.UUID


class AmendmentCreate(Input):
    """A change to a completed handover: what changed and why."""

    id: uuid.UUID
    reason: Reason
    change: Change


class AcknowledgementCreate(Input):
    id: uuid.UUID


class HandoverPublic(BaseModel):
    id: uuid.UUID
    site_id: uuid.UUID
    lead_id: uuid.UUID
    outgoing_shift: str
    outgoing_date: date
    incoming_shift: str
    incoming_date: date
    started_at: datetime
    completed: bool
    completed_at: datetime | None
    completed_by_id: uuid.UUID | None


class HandoverPage(BaseModel):
    items: list[HandoverPublic]
    next_offset: int | None


class NoteSummaryPublic(BaseModel):
    """The outgoing shift's engagement notes about one person, in brief."""

    note_count: int
    levels: list[int]
    restrictive_practice: bool
    latest_activity: str


class HandoverEntryPublic(BaseModel):
    person_id: uuid.UUID
    status: PersonStatus
    update: str
    risks: str
    updated_by_id: uuid.UUID
    updated_at: datetime


class HandoverPersonPublic(BaseModel):
    person_id: uuid.UUID
    preferred_name: str
    summary: NoteSummaryPublic
    entry: HandoverEntryPublic | None


class PromptResponsePublic(BaseModel):
    id: uuid.UUID
    handover_id: uuid.UUID
    prompt_id: uuid.UUID
    theme_id: uuid.UUID
    discussed: YesNo
    note: str
    author_id: uuid.UUID
    recorded_at: datetime


class AttendancePublic(BaseModel):
    user_id: uuid.UUID
    role: Role
    recorded_at: datetime


class AmendmentPublic(BaseModel):
    id: uuid.UUID
    author_id: uuid.UUID
    at: datetime
    reason: str
    change: str


class AcknowledgementPublic(BaseModel):
    id: uuid.UUID
    handover_id: uuid.UUID
    user_id: uuid.UUID
    acknowledged_at: datetime


class Acknowledger(BaseModel):
    user_id: uuid.UUID
    name: str
    role: Role
    acknowledged_at: datetime | None


class AcknowledgementStatus(BaseModel):
    """Who of the site's team gave the handover (its lead and whoever completed it: they are
    not asked to acknowledge it), who has received it, and who has not yet."""

    given_by: list[Acknowledger]
    acknowledged: list[Acknowledger]
    not_acknowledged: list[Acknowledger]


class HandoverDetailPublic(HandoverPublic):
    """A handover with everything recorded in it. ``prompt_responses`` holds the latest answer
    to each prompt; ``open_actions`` the site's actions carried forward until closed."""

    people: list[HandoverPersonPublic]
    prompt_responses: list[PromptResponsePublic]
    attendance: list[AttendancePublic]
    manager_present: bool
    open_actions: list[ActionPublic]
    amendments: list[AmendmentPublic]
    acknowledgements: AcknowledgementStatus
