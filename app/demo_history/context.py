"""What every part of a generated history shares: the seeded randomness, the range of dates,
each site's cast and shifts, and the rows waiting to be written in bulk."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from random import Random
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from sqlmodel import Session, SQLModel

from app.auth.permissions import SITE_RULES, SiteCapability
from app.demo_history.patterns import ThemePattern
from app.demo_history.writer import write_rows
from app.org import service as org_service
from app.org.models import PersonSupported, Site
from app.org.shifts import ShiftOccurrence, occurrence_on
from app.org.staff import StaffMember
from app.theme.service import ThemeView

T = TypeVar("T")


@dataclass(frozen=True)
class SiteCast:
    """One site as the history sees it: who is supported, who works there, which themes are
    active (each with its pattern), and how often its manager observes each shift."""

    site: Site
    people: Sequence[PersonSupported]
    team: Sequence[StaffMember]
    themes: Sequence[tuple[ThemeView, ThemePattern]]
    observe_every_weeks: int = 1
    _able: dict[SiteCapability, list[StaffMember]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.site.time_zone)

    def able(self, capability: SiteCapability) -> list[StaffMember]:
        """Who of the team may do this, by the permission table; worked out once a site,
        since a year of a site asks it a few hundred thousand times."""
        if capability not in self._able:
            rule = SITE_RULES[capability]
            self._able[capability] = [member for member in self.team if member.role in rule]
        return list(self._able[capability])

    @property
    def managers(self) -> list[StaffMember]:
        """The site's managers: those who review restrictive practice."""
        return self.able(SiteCapability.review_notes)


@dataclass
class History:
    """The range (``first_day`` up to ``end``, an instant) and the rows made so far;
    ``copy``: write them with COPY where the store has it."""

    rng: Random
    first_day: date
    end: datetime
    copy: bool = True
    rows: defaultdict[type[SQLModel], list[dict[str, Any]]] = field(
        default_factory=lambda: defaultdict(list)
    )

    @property
    def days(self) -> int:
        return max(1, (self.end.date() - self.first_day).days)

    def progress(self, day: date) -> float:
        """How far through the range a day is, 0 to 1."""
        return min(1.0, max(0.0, (day - self.first_day).days / self.days))

    def new_id(self) -> uuid.UUID:
        return uuid.UUID(int=self.rng.getrandbits(128), version=4)

    def chance(self, probability: float) -> bool:
        return self.rng.random() < probability

    def pick(self, choices: Sequence[T]) -> T:
        return choices[self.rng.randrange(len(choices))]

    def moment(self, start: datetime, end: datetime) -> datetime:
        """A moment between two instants, to the second."""
        seconds = max(0, int((end - start).total_seconds()))
        return start + timedelta(seconds=self.rng.randrange(seconds + 1))

    def add(self, model: type[SQLModel], row: dict[str, Any]) -> None:
        self.rows[model].append(row)

    def write(self, session: Session, order: Sequence[type[SQLModel]]) -> dict[str, int]:
        """Store the rows made so far, parents first (COPY on PostgreSQL), and let them go, so
        a history is held in memory a site at a time; answers the count a table."""
        counts: dict[str, int] = {}
        for model in order:
            table = model.__table__  # type: ignore[attr-defined]
            counts[table.name] = write_rows(
                session, model, self.rows.pop(model, []), copy=self.copy
            )
        return counts


def occurrences(session: Session, cast: SiteCast, history: History) -> list[ShiftOccurrence]:
    """Every shift of the site's pattern that started on or after the first day and was over
    by the end, in order."""
    pattern = org_service.shift_pattern(session, cast.site)
    found = [
        occurrence
        for offset in range((history.end.date() - history.first_day).days + 1)
        for shift in pattern
        if (
            occurrence := occurrence_on(
                shift, history.first_day + timedelta(days=offset), cast.zone
            )
        ).ends
        <= history.end
    ]
    return sorted(found, key=lambda occurrence: occurrence.starts)


def shift_of(session: Session, site: Site, moment: datetime) -> tuple[str | None, date | None]:
    """The shift a record made at ``moment`` belongs to, derived as the services derive it."""
    occurrence = org_service.current_shift(session, site=site, now=moment)
    return (occurrence.name, occurrence.start_date) if occurrence else (None, None)
