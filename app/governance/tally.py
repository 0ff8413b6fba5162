"""What one cell of the indicators adds up: counts that sum across shifts, days and weeks.

Every count is additive, so the rows for a shift, for weekdays or weekends, and for ``all`` are
sums of the same pieces. Only ``staff`` is a set: the same person observed twice in a week is
one person observed.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field, fields
from decimal import ROUND_HALF_UP, Decimal


@dataclass
class Tally:
    observations: int = 0
    staff: set[uuid.UUID] = field(default_factory=set)
    scored: int = 0  # observations with a practice score
    score_total: float = 0.0
    explained_yes: int = 0
    explained_partly: int = 0
    explained_no: int = 0
    notes: int = 0
    notes_2plus: int = 0
    notes_3: int = 0
    notes_with_theme: int = 0
    theme_notes_2plus: int = 0
    restrictive: int = 0
    handovers: int = 0
    handovers_with_manager: int = 0
    prompt_answers: int = 0
    prompts_discussed: int = 0
    actions_due: int = 0
    actions_on_time: int = 0
    snapshots: int = 0
    snapshot_taps: int = 0
    snapshot_positive_taps: int = 0

    def add(self, other: Tally) -> None:
        self.staff.update(other.staff)
        for name in COUNTS:
            setattr(self, name, getattr(self, name) + getattr(other, name))


COUNTS = tuple(item.name for item in fields(Tally) if item.name != "staff")


ONE_DECIMAL = Decimal("0.1")


def one_decimal(value: float | Decimal) -> float:
    """Rounded half up, as a person rounds (``round`` rounds 12.25 to 12.2)."""
    return float(Decimal(str(value)).quantize(ONE_DECIMAL, rounding=ROUND_HALF_UP))


def percent(part: int, whole: int) -> float | None:
    """``part`` of ``whole`` as a percentage to one decimal, rounded half up; null when there
    is nothing to divide by, which is a gap, not a zero. Counts are whole numbers, so this is
    integer arithmetic: exact, and cheap enough for every cell of a year of charts."""
    if not whole:
        return None
    return (2000 * part + whole) // (2 * whole) / 10
