"""Rollups: each theme's indicator cells per site and ISO week, kept so that a dashboard reads
a row a week, whatever the history under it holds.

A kept week is used while it is current: worked out at the week's version as it is now
(``app.record_weeks``: every write that can change the week's figures raises it) and under the
site's time zone and shift pattern as they are now. Any other week of the scope is worked out
from the records (``app.governance.families``), in one pass, so a page is never wrong, only
slower for the weeks written since the rollups were last kept.

Pages do not write: a page is a read, and on SQLite a read that turns into a write can fail.
Weeks are kept by ``keep_weeks``, which the governance check runs (``app.governance.check``)
and a bulk load runs after it. Two of them at once are harmless: each keeps what it worked
out with the version it read before it read the records, so a week written meanwhile is
never taken for current.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Collection, Iterable, Sequence
from datetime import date, timedelta
from typing import Any

from sqlmodel import Session, col, select

from app.db import insert_on_conflict
from app.governance.families import Scope, worked_out
from app.governance.models import IndicatorWeek
from app.governance.tally import COUNTS, Tally
from app.governance.weeks import Cell, DayKind, Placer, Weeks
from app.record_weeks import SiteWeekVersion

# Raised when what a cell counts changes, so that cells kept under the old rules are not used.
CELLS_FORMAT = 1

SiteWeek = tuple[uuid.UUID, date]


def cells(
    session: Session, placer: Placer, scope: Scope, kinds: Collection[DayKind] = tuple(DayKind)
) -> dict[Cell, Tally]:
    """The cells of the scope on these kinds of day with anything in them: kept weeks as
    kept, the others worked out from the records."""
    found, missing = _kept(session, placer, scope, week_versions(session, scope), kinds)
    if missing:
        found.update(_work_out(session, placer, scope, missing))
    return found


def keep_weeks(session: Session, placer: Placer, scope: Scope) -> int:
    """Work out and keep the scope's weeks that are not kept as they are now; answers how
    many were."""
    versions = week_versions(session, scope)  # before the records are read: see the module
    _found, missing = _kept(session, placer, scope, versions, kinds=())
    if not missing:
        return 0
    worked = _work_out(session, placer, scope, missing)
    by_week: dict[SiteWeek, list[dict[str, Any]]] = {key: [] for key in missing}
    for (site_id, week, shift, kind), tally in worked.items():
        by_week[site_id, week].append(_packed(shift, kind, tally))
    rows = [
        {
            "theme_id": scope.theme.id,
            "site_id": site_id,
            "week_start": week,
            "version": versions.get((site_id, week), 0),
            "layout": layout(placer, site_id),
            "cells": packed,
        }
        for (site_id, week), packed in sorted(by_week.items())
    ]
    _upsert(session, rows)
    return len(rows)


def layout(placer: Placer, site_id: uuid.UUID) -> str:
    """The site's time zone and shift pattern, as a short fingerprint: cells worked out under
    another layout put records on other shifts and days."""
    pattern = ";".join(
        f"{shift.name}@{shift.starts_at:%H:%M}-{shift.ends_at:%H:%M}"
        for shift in placer.patterns[site_id]
    )
    text = f"{CELLS_FORMAT}|{placer.zones[site_id].key}|{pattern}"
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def _kept(
    session: Session,
    placer: Placer,
    scope: Scope,
    versions: dict[SiteWeek, int],
    kinds: Collection[DayKind],
) -> tuple[dict[Cell, Tally], list[SiteWeek]]:
    """The cells on ``kinds`` of day of the weeks kept as they are now, and the weeks that
    are not."""
    query = select(IndicatorWeek).where(
        IndicatorWeek.theme_id == scope.theme.id,
        col(IndicatorWeek.site_id).in_(scope.site_ids),
        col(IndicatorWeek.week_start).between(scope.weeks.first, scope.weeks.last),
    )
    kept = {(row.site_id, row.week_start): row for row in session.exec(query)}
    found: dict[Cell, Tally] = {}
    missing: list[SiteWeek] = []
    for site in scope.sites:
        current = layout(placer, site.id)
        for week in scope.weeks.starts():
            row = kept.get((site.id, week))
            if row and row.layout == current and row.version == versions.get((site.id, week), 0):
                found.update(_unpacked(site.id, week, row.cells, kinds))
            else:
                missing.append((site.id, week))
    return found, missing


def week_versions(session: Session, scope: Scope) -> dict[SiteWeek, int]:
    query = select(SiteWeekVersion).where(
        col(SiteWeekVersion.site_id).in_(scope.site_ids),
        col(SiteWeekVersion.week_start).between(scope.weeks.first, scope.weeks.last),
    )
    return {(row.site_id, row.week_start): row.version for row in session.exec(query)}


def _work_out(
    session: Session, placer: Placer, scope: Scope, missing: Sequence[SiteWeek]
) -> dict[Cell, Tally]:
    """The missing weeks' cells, worked out a run of consecutive weeks at a time for the sites
    missing any of them (usually one run: the weeks written since the rollups were kept)."""
    wanted = set(missing)
    sites = {site_id for site_id, _week in missing}
    found: dict[Cell, Tally] = {}
    for run in _runs(sorted({week for _site, week in missing})):
        part = Scope(scope.theme, [s for s in scope.sites if s.id in sites], run)
        found.update(
            (cell, tally)
            for cell, tally in worked_out(session, placer, part).items()
            if (cell[0], cell[1]) in wanted
        )
    return found


def _runs(weeks: Iterable[date]) -> list[Weeks]:
    runs: list[Weeks] = []
    for week in weeks:
        if runs and runs[-1].last + timedelta(weeks=1) == week:
            runs[-1] = Weeks(runs[-1].first, week)
        else:
            runs.append(Weeks(week, week))
    return runs


def _packed(shift: str, kind: DayKind, tally: Tally) -> dict[str, Any]:
    counts = {name: getattr(tally, name) for name in COUNTS if getattr(tally, name)}
    return {"shift": shift, "kind": kind.value, **counts, "staff": sorted(map(str, tally.staff))}


def _unpacked(
    site_id: uuid.UUID, week: date, packed: list[dict[str, Any]], kinds: Collection[DayKind]
) -> dict[Cell, Tally]:
    found: dict[Cell, Tally] = {}
    for cell in packed:
        if cell["kind"] not in kinds:
            continue
        counts = {name: cell[name] for name in COUNTS if name in cell}
        staff = {uuid.UUID(value) for value in cell["staff"]}
        found[site_id, week, cell["shift"], DayKind(cell["kind"])] = Tally(**counts, staff=staff)
    return found


def _upsert(session: Session, rows: list[dict[str, Any]]) -> None:
    table = IndicatorWeek.__table__  # type: ignore[attr-defined]
    statement = insert_on_conflict(session, table)
    session.connection().execute(
        statement.on_conflict_do_update(
            index_elements=["theme_id", "site_id", "week_start"],
            set_={name: statement.excluded[name] for name in ("version", "layout", "cells")},
        ),
        rows,
    )
