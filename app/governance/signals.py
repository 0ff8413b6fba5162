"""Signals: each indicator of a theme at a site, by shift, read as an XmR chart.

The charts use complete ISO weeks only (an unfinished week would look like a dip) over the last
half year, so that limits can be drawn after twelve weeks of records. What is charted, in
which direction and against which target is the one list ``MEASURES``; the targets come from
the organisation's criteria (``app.governance.criteria``).
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from threading import Lock

from cachetools import LRUCache
from sqlalchemy import func
from sqlmodel import Session, col, select

from app.governance import rollups
from app.governance.criteria import Criteria
from app.governance.indicators import IndicatorRow, Scope, indicator_rows
from app.governance.spc import Chart, ChartPoint, Direction, WeeklyPoint, xmr_chart
from app.governance.weeks import ALL, DayKind, Placer, Weeks
from app.observation.models import Observation
from app.org.models import Site
from app.record_weeks import monday_of
from app.theme.models import LearningTheme

CHARTED_WEEKS = 26


@dataclass(frozen=True)
class Measure:
    """An indicator column charted over time: the count its value rests on, which way is
    better, and the criterion giving its target (none: charted without a target)."""

    column: str
    label: str
    rests_on: str
    direction: Direction = Direction.higher_is_better
    target_from: str | None = None

    def target(self, criteria: Criteria) -> float | None:
        return getattr(criteria, self.target_from) if self.target_from else None


MEASURES: tuple[Measure, ...] = (
    Measure("practice_score", "Practice score", "observations", target_from="practice_target"),
    Measure("explain_why", "Could explain why", "observations", target_from="explain_target"),
    Measure("engaged_2plus", "Notes engaged (level 2 or 3)", "notes"),
    Measure("theme_engaged_2plus", "Staff report engaged, with the theme", "notes_with_theme"),
    Measure(
        "prompt_coverage",
        "Theme discussed at handover",
        "handovers",
        target_from="prompt_coverage_floor",
    ),
    Measure("manager_at_handover", "Manager at handover", "handovers"),
    Measure("snapshot_positive", "Positive interactions seen (snapshots)", "snapshots"),
    Measure(
        "restrictive_per_100",
        "Restrictive practice per 100 notes",
        "notes",
        direction=Direction.lower_is_better,
    ),
)
BY_COLUMN = {measure.column: measure for measure in MEASURES}


@dataclass(frozen=True)
class ShiftSignal:
    measure: Measure
    shift: str
    chart: Chart

    @property
    def latest(self) -> ChartPoint | None:
        """The latest week with a value, if any."""
        found = [point for point in self.chart.points if point.value is not None]
        return found[-1] if found else None


@dataclass
class ThemeSignals:
    """Everything the charts of one theme at one site say, up to the last complete week.

    A chart is drawn when first asked for: a dashboard reads a few of them, the trends page
    and the signals API all of them."""

    theme: LearningTheme
    site: Site
    weeks: Weeks
    shifts: tuple[str, ...]  # the site's pattern, in order; ``all`` is charted apart
    last_observed: dict[str, date | None]
    rows: dict[str, list[IndicatorRow]]  # by shift, the charted weeks' ``all``-days rows
    criteria: Criteria
    charts: dict[tuple[str, str], ShiftSignal] = field(default_factory=dict)

    @property
    def signals(self) -> tuple[ShiftSignal, ...]:
        return tuple(
            self.signal(measure.column, shift)
            for measure in MEASURES
            for shift in (*self.shifts, ALL)
        )

    def signal(self, column: str, shift: str) -> ShiftSignal:
        if (column, shift) not in self.charts:
            measure = BY_COLUMN[column]
            chart = _chart(self.rows.get(shift, []), measure, self.criteria)
            self.charts[column, shift] = ShiftSignal(measure, shift, chart)
        return self.charts[column, shift]


def charted_weeks(today: date) -> Weeks:
    """The last ``CHARTED_WEEKS`` complete weeks before the one holding ``today``."""
    last = monday_of(today) - timedelta(weeks=1)
    return Weeks(first=last - timedelta(weeks=CHARTED_WEEKS - 1), last=last)


def theme_signals(
    session: Session,
    *,
    theme: LearningTheme,
    sites: Sequence[Site],
    today: date,
    criteria: Criteria,
) -> dict[uuid.UUID, ThemeSignals]:
    """The theme's signals at each site: as drawn before where nothing they rest on has
    changed since, the others from one pass over the indicators of all of them."""
    scope = Scope(theme=theme, sites=sites, weeks=charted_weeks(today))
    observed = _last_observed(session, theme_id=theme.id, site_ids=[site.id for site in sites])
    keys = _drawing_keys(session, scope, observed, criteria)
    with DRAWN_LOCK:
        found: dict[uuid.UUID, ThemeSignals] = {
            site_id: DRAWN[key] for site_id, key in keys.items() if key in DRAWN
        }
    unknown = [site for site in sites if site.id not in found]
    if unknown:
        part = Scope(theme=theme, sites=unknown, weeks=scope.weeks)
        rows = indicator_rows(session, scope=part, day_kinds=(DayKind.all,))
        drawn = _signals_of(rows, part, observed, criteria)
        with DRAWN_LOCK:
            for site_id, signals in drawn.items():
                DRAWN[keys[site_id]] = found[site_id] = signals
    # Drawn for this theme and site: given the theme and site as this request loaded them.
    return {site.id: replace(found[site.id], theme=theme, site=site) for site in sites}


# Signals drawn in this process, by everything they rest on (``_drawing_keys``), so that a
# dashboard asked for again before anything it shows has changed draws nothing again.
DRAWN: LRUCache[tuple[object, ...], ThemeSignals] = LRUCache(maxsize=1024)
DRAWN_LOCK = Lock()


def _drawing_keys(
    session: Session,
    scope: Scope,
    observed: dict[uuid.UUID, dict[str, date]],
    criteria: Criteria,
) -> dict[uuid.UUID, tuple[object, ...]]:
    """What a site's signals rest on: its rows, known by the version and layout of each week
    (``app.governance.rollups``); when each shift was last observed; the criteria."""
    placer = Placer(session, scope.sites)
    versions = rollups.week_versions(session, scope)
    return {
        site.id: (
            scope.theme.id,
            site.id,
            scope.weeks,
            rollups.layout(placer, site.id),
            tuple(versions.get((site.id, week), 0) for week in scope.weeks.starts()),
            tuple(sorted(observed[site.id].items())),
            criteria,
        )
        for site in scope.sites
    }


def signals_of_rows(
    session: Session, rows: Sequence[IndicatorRow], *, scope: Scope, criteria: Criteria
) -> dict[uuid.UUID, ThemeSignals]:
    """The signals of indicator rows already read, charting the weeks of ``scope`` only."""
    observed = _last_observed(
        session, theme_id=scope.theme.id, site_ids=[site.id for site in scope.sites]
    )
    return _signals_of(rows, scope, observed, criteria)


def _signals_of(
    rows: Sequence[IndicatorRow],
    scope: Scope,
    observed: dict[uuid.UUID, dict[str, date]],
    criteria: Criteria,
) -> dict[uuid.UUID, ThemeSignals]:
    theme, sites, weeks = scope.theme, scope.sites, scope.weeks
    by_site: dict[uuid.UUID, dict[str, list[IndicatorRow]]] = defaultdict(lambda: defaultdict(list))
    for row in rows:
        if row.day_kind is DayKind.all and weeks.first <= row.week_start <= weeks.last:
            by_site[row.site_id][row.shift].append(row)
    return {
        site.id: _site_signals(theme, site, weeks, by_site[site.id], observed[site.id], criteria)
        for site in sites
    }


def _site_signals(
    theme: LearningTheme,
    site: Site,
    weeks: Weeks,
    by_shift: dict[str, list[IndicatorRow]],
    observed: dict[str, date],
    criteria: Criteria,
) -> ThemeSignals:
    shifts = tuple(shift for shift in by_shift if shift != ALL)
    weeks = _from_first_records(weeks, by_shift)
    by_shift = {
        shift: [row for row in rows if row.week_start >= weeks.first]
        for shift, rows in by_shift.items()
    }
    return ThemeSignals(
        theme=theme,
        site=site,
        weeks=weeks,
        shifts=shifts,
        last_observed={shift: observed.get(shift) for shift in shifts},
        rows=by_shift,
        criteria=criteria,
    )


def _from_first_records(weeks: Weeks, by_shift: dict[str, list[IndicatorRow]]) -> Weeks:
    """The weeks from the first with any record charted: the weeks before a theme started
    are not gaps in its practice."""
    with_records = [
        row.week_start
        for row in by_shift.get(ALL, [])
        if any(row.values[measure.rests_on] for measure in MEASURES)
    ]
    return Weeks(first=min(with_records, default=weeks.last), last=weeks.last)


def _series(rows: Sequence[IndicatorRow], measure: Measure) -> list[WeeklyPoint]:
    return [
        WeeklyPoint(
            week_start=row.week_start,
            value=row.values[measure.column],  # type: ignore[arg-type]
            records=int(row.values[measure.rests_on] or 0),
        )
        for row in rows
    ]


def _chart(rows: Sequence[IndicatorRow], measure: Measure, criteria: Criteria) -> Chart:
    return xmr_chart(_series(rows, measure), measure.target(criteria), measure.direction)


def _last_observed(
    session: Session, *, theme_id: uuid.UUID, site_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, dict[str, date]]:
    """Per site, the shift date each shift last had an observation of the theme (voided ones
    never count); a shift never observed is left out."""
    found = session.exec(
        select(Observation.site_id, Observation.shift_name, func.max(Observation.shift_date))
        .where(
            Observation.theme_id == theme_id,
            col(Observation.site_id).in_(site_ids),
            col(Observation.voided_at).is_(None),
            col(Observation.shift_name).is_not(None),
        )
        .group_by(Observation.site_id, Observation.shift_name)
    )
    latest: dict[uuid.UUID, dict[str, date]] = {site_id: {} for site_id in site_ids}
    for site_id, shift, day in found:
        latest[site_id][str(shift)] = day
    return latest
