"""Which weeks of a site's records have changed: a version per site and ISO week, raised by
every write that can change what that week's records add up to.

A summary kept of a week (governance's indicator rollups) is stored with the version it was
worked out from, and used only while that is still the week's version. So the services that
write records need not know who keeps summaries of them, and a summary worked out while a write
was on its way is never taken for current: the version is raised in the writer's transaction,
and a reader reads it before it reads the records.

A week is keyed by its Monday at the site. A record's week is that of its shift date; a record
with no shift date is placed later from when it happened, in the site's time zone, so the weeks
of the day before and the day after (in UTC) are raised too: raising a week needlessly costs
one recomputation, missing one would keep a wrong figure.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import date, datetime, timedelta

from sqlmodel import Field, Session, SQLModel

from app.db import insert_on_conflict


class SiteWeekVersion(SQLModel, table=True):
    __tablename__ = "site_week_version"

    site_id: uuid.UUID = Field(foreign_key="site.id", primary_key=True)
    week_start: date = Field(primary_key=True)
    version: int = 1


def monday_of(day: date) -> date:
    """Weeks start on Monday (ISO)."""
    return day - timedelta(days=day.weekday())


def days_of(shift_date: date | None, happened_at: datetime) -> tuple[date, ...]:
    """The days a record may count on: its shift date, or the days around when it happened."""
    if shift_date is not None:
        return (shift_date,)
    day = happened_at.date()
    return (day - timedelta(days=1), day, day + timedelta(days=1))


def records_changed(session: Session, changes: Iterable[tuple[uuid.UUID, date]]) -> None:
    """Raise the version of each (site, day)'s week, in one statement in a fixed order, so
    two writers raising the same weeks queue rather than deadlock."""
    keys = sorted({(site_id, monday_of(day)) for site_id, day in changes})
    if not keys:
        return
    table = SiteWeekVersion.__table__  # type: ignore[attr-defined]
    statement = insert_on_conflict(session, table).values(
        [{"site_id": site_id, "week_start": week, "version": 1} for site_id, week in keys]
    )
    session.connection().execute(
        statement.on_conflict_do_update(
            index_elements=["site_id", "week_start"], set_={"version": table.c.version + 1}
        )
    )
