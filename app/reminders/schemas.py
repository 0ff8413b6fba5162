"""What the notification settings form may send."""

from __future__ import annotations

from datetime import time
from typing import Annotated

from pydantic import Field, StringConstraints

from app.inbox.models import Kind
from app.schemas import SINGLE_LINE, Input

ShiftChoice = Annotated[str, StringConstraints(max_length=200), SINGLE_LINE]
"""A ticked usual shift: the site's id and the shift's name, as ``<site id>:<name>``."""


class NotificationSettingsInput(Input):
    kinds: list[Kind] = Field(default_factory=list, max_length=len(Kind))
    quiet_from: time | None = None
    quiet_until: time | None = None
    usual_shifts: list[ShiftChoice] = Field(default_factory=list, max_length=200)
