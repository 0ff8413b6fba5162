"""Which shift a moment belongs to, from a site's pattern and time zone.

Shift times are local wall-clock times. A night shift (21:00–07:30) crosses midnight, and twice a
year a clock change makes it an hour shorter or longer: start and end are placed in local time
on their own dates and only then turned into instants, so the length comes out right.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo


@dataclass(frozen=True)
class ShiftTimes:
    name: str
    starts_at: time
    ends_at: time


@dataclass(frozen=True)
class ShiftOccurrence:
    """One shift on one day: "the night shift that started on 28 March"."""

    name: str
    start_date: date
    starts: datetime
    ends: datetime


def occurrence_on(shift: ShiftTimes, start_date: date, zone: ZoneInfo) -> ShiftOccurrence:
    end_date = start_date if shift.ends_at > shift.starts_at else start_date + timedelta(days=1)
    starts = datetime.combine(start_date, shift.starts_at, tzinfo=zone).astimezone(UTC)
    ends = datetime.combine(end_date, shift.ends_at, tzinfo=zone).astimezone(UTC)
    return ShiftOccurrence(name=shift.name, start_date=start_date, starts=starts, ends=ends)


def shift_at(
    shifts: Iterable[ShiftTimes], moment: datetime, zone: ZoneInfo
) -> ShiftOccurrence | None:
    """The shift running at ``moment``; where two overlap (the handover half hour), the one that
    started last, because that is the shift now on the floor."""
    local_day = moment.astimezone(zone).date()
    running = [
        occurrence
        for occurrence in occurrences_around(tuple(shifts), local_day, zone)
        if occurrence.starts <= moment < occurrence.ends
    ]
    return max(running, key=lambda occurrence: occurrence.starts, default=None)


@lru_cache(maxsize=1024)
def occurrences_around(
    shifts: tuple[ShiftTimes, ...], local_day: date, zone: ZoneInfo
) -> tuple[ShiftOccurrence, ...]:
    """The occurrences that may be running on ``local_day``: those starting that day or the day
    before. Remembered, because a sync batch asks about many moments of the same day or two."""
    return tuple(
        occurrence_on(shift, day, zone)
        for shift in shifts
        for day in (local_day - timedelta(days=1), local_day)
    )
