"""Where a record's counts go: its site's ISO week, shift and kind of day.

- A record belongs to the week and shift of its ``shift_date`` and ``shift_name``: a night shift
  that starts on Friday at 21:00 is Friday's (a weekday) for everything up to 07:30 on Saturday,
  and a note entered days later (offline, or remembered late) counts where it happened.
- Weeks start on Monday in the site's time zone; ``shift_date`` is already a date there.
- A record with no shift (the site had no pattern, or no shift was running) is placed from when it
  happened, in the site's time zone, with the site's pattern and the rule recording uses
  (``app.org.shifts.shift_at``); still outside every shift, it counts in the ``all`` rows of its
  local date.
- A shift name no longer in the site's pattern (renamed or removed) counts in ``all`` only.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement
from sqlmodel import Session
from sqlmodel.sql.sqltypes import UTCDateTime

from app.governance.tally import Tally
from app.org import service as org_service
from app.org.models import Site
from app.org.shifts import ShiftTimes, shift_at
from app.record_weeks import monday_of

ALL = "all"
# Wide enough for any time zone and for a night shift ending the next morning.
MARGIN = timedelta(days=2)


class DayKind(StrEnum):
    weekday = "weekday"
    weekend = "weekend"
    all = "all"


def kind_of(day: date) -> DayKind:
    return DayKind.weekend if day.weekday() >= 5 else DayKind.weekday


@dataclass(frozen=True)
class Weeks:
    """The ISO weeks from the one holding ``first`` to the one holding ``last``."""

    first: date
    last: date

    @classmethod
    def covering(cls, start: date, end: date) -> Weeks:
        return cls(first=monday_of(start), last=monday_of(end))

    @property
    def end(self) -> date:
        """The Sunday that ends the last week."""
        return self.last + timedelta(days=6)

    def starts(self) -> list[date]:
        count = (self.last - self.first).days // 7 + 1
        return [self.first + timedelta(weeks=index) for index in range(count)]

    def moments(self) -> tuple[datetime, datetime]:
        """Instants around the weeks, so a query on shift dates can use the indexes on when
        records happened."""
        start = datetime.combine(self.first, time(), UTC) - MARGIN
        end = datetime.combine(self.end + timedelta(days=1), time(), UTC) + MARGIN
        return start, end


class minute_of(FunctionElement[datetime]):
    """An instant cut to its minute, so records with no shift are summed per minute (shift
    times are whole minutes), never loaded one by one."""

    type = UTCDateTime()
    inherit_cache = True


@compiles(minute_of)
def _minute_postgresql(element: minute_of, compiler: Any, **kw: Any) -> str:
    return f"date_trunc('minute', {compiler.process(element.clauses, **kw)})"


@compiles(minute_of, "sqlite")
def _minute_sqlite(element: minute_of, compiler: Any, **kw: Any) -> str:
    # SQLite keeps UTC instants as text, "2026-10-25 01:30:00.000000".
    return f"(substr({compiler.process(element.clauses, **kw)}, 1, 16) || ':00')"


@dataclass(frozen=True)
class Place:
    site_id: uuid.UUID
    day: date
    shift: str | None


class Placer:
    """Each site's pattern and time zone, read once: places an instant on its shift and date."""

    def __init__(self, session: Session, sites: Sequence[Site]) -> None:
        self.patterns: dict[uuid.UUID, list[ShiftTimes]] = org_service.shift_patterns(
            session, sites
        )
        self.zones = {site.id: ZoneInfo(site.time_zone) for site in sites}

    def shift_names(self, site_id: uuid.UUID) -> list[str]:
        return [shift.name for shift in self.patterns[site_id]]

    def place(self, site_id: uuid.UUID, moment: datetime) -> Place:
        zone = self.zones[site_id]
        occurrence = shift_at(self.patterns[site_id], moment, zone)
        if occurrence is None:
            return Place(site_id, moment.astimezone(zone).date(), None)
        return Place(site_id, occurrence.start_date, occurrence.name)

    def deadline(self, site_id: uuid.UUID, due_on: date) -> datetime:
        """The end of ``due_on`` at the site: done before it is done on time."""
        return datetime.combine(due_on + timedelta(days=1), time(), self.zones[site_id])


Cell = tuple[uuid.UUID, date, str, DayKind]


def fold(placed: Iterable[tuple[Place, Tally]], placer: Placer, weeks: Weeks) -> dict[Cell, Tally]:
    """Add each group's tally to its shift and to ``all``, on its kind of day and on ``all``."""
    cells: dict[Cell, Tally] = {}
    for place, tally in placed:
        if not weeks.first <= place.day <= weeks.end:
            continue
        week = monday_of(place.day)
        shifts = [ALL]
        if place.shift in placer.shift_names(place.site_id):
            shifts.append(place.shift)
        for shift in shifts:
            for kind in (kind_of(place.day), DayKind.all):
                cells.setdefault((place.site_id, week, shift, kind), Tally()).add(tally)
    return cells
