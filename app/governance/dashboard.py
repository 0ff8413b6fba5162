"""The site dashboard: is each theme being watched at a site embedded, shift by shift?

The answer comes before the detail: the flags first, then for each theme one line per shift with
a verdict in words, the latest practice score with how many observations it rests on, explain-why,
engagement and when the shift was last observed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlmodel import Session

from app.auth.actor import Actor
from app.auth.permissions import SiteCapability
from app.governance.criteria import WATCHED
from app.governance.flags import WATCHED_FOR_CONCERN, Flag
from app.governance.service import ThemeReading, read_theme_at_site, site_today
from app.governance.signals import ShiftSignal, ThemeSignals, charted_weeks
from app.governance.spc import Assurance, ChartPoint, Variation
from app.org.models import Site
from app.theme import service as theme_service
from app.theme.models import LearningTheme

SPARK_WEEKS = 8
SPARK_WIDTH, SPARK_HEIGHT = 64, 20


@dataclass(frozen=True)
class Figure:
    """A latest value and how many records it rests on; ``None`` when the weeks have none."""

    value: float | None
    records: int

    @classmethod
    def of(cls, signal: ShiftSignal) -> Figure:
        latest = signal.latest
        return cls(latest.value, latest.records) if latest else cls(None, 0)


@dataclass(frozen=True)
class Verdict:
    tone: str  # pass, fail, concern, improvement, mixed, unknown: the CSS class
    icon: str
    words: str
    severity: int  # how much it needs looking at: the worst shift is the highest


CONCERN = Verdict("concern", "↓", "Concern", 5)
FAILING = Verdict("fail", "✗", "Failing reliably", 4)
MIXED = Verdict("mixed", "~", "Hit and miss", 3)
UNKNOWN = Verdict("unknown", "…", "Too few weeks to judge", 2)
IMPROVING = Verdict("improvement", "↑", "Improving", 1)
PASSING = Verdict("pass", "✓", "Passing reliably", 0)


@dataclass(frozen=True)
class ShiftLine:
    shift: str
    verdict: Verdict
    practice: Figure
    explain_why: Figure
    engaged: Figure
    seen_days_ago: int | None
    spark: str  # an SVG polyline's points, or "" with fewer than two values


@dataclass(frozen=True)
class ThemeSummary:
    theme: LearningTheme
    signals: ThemeSignals
    lines: tuple[ShiftLine, ...]
    flags: tuple[Flag, ...]
    weeks_embedded: int


@dataclass(frozen=True)
class SiteDashboard:
    site: Site
    week_of: date  # the last complete week charted
    themes: tuple[ThemeSummary, ...]


def site_dashboard(session: Session, *, actor: Actor, site: Site, now: datetime) -> SiteDashboard:
    actor.require(SiteCapability.read_indicators, site.id)
    today = site_today(site, now)
    themes = [
        theme
        for theme in theme_service.list_themes(session, actor=actor, site_id=site.id)
        if theme.status in WATCHED
    ]
    summaries = tuple(
        summary_of(read_theme_at_site(session, actor=actor, theme=theme, site=site, now=now), today)
        for theme in themes
    )
    return SiteDashboard(site=site, week_of=charted_weeks(today).last, themes=summaries)


def summary_of(reading: ThemeReading, today: date) -> ThemeSummary:
    signals = reading.signals
    return ThemeSummary(
        theme=signals.theme,
        signals=signals,
        lines=tuple(_line(signals, shift, today) for shift in signals.shifts),
        flags=reading.flags,
        weeks_embedded=reading.weeks_embedded,
    )


def _line(signals: ThemeSignals, shift: str, today: date) -> ShiftLine:
    practice = signals.signal("practice_score", shift)
    seen = signals.last_observed.get(shift)
    watched = [signals.signal(column, shift) for column in WATCHED_FOR_CONCERN]
    return ShiftLine(
        shift=shift,
        verdict=shift_verdict(practice, watched),
        practice=Figure.of(practice),
        explain_why=Figure.of(signals.signal("explain_why", shift)),
        engaged=Figure.of(signals.signal("engaged_2plus", shift)),
        seen_days_ago=(today - seen).days if seen else None,
        spark=sparkline(practice.chart.points[-SPARK_WEEKS:]),
    )


def shift_verdict(signal: ShiftSignal, watched: list[ShiftSignal]) -> Verdict:
    """A shift's practice in a few words: a concern on any watched measure first (it is news),
    then an improvement in practice, then how reliably its target is met."""
    chart = signal.chart
    if any(each.chart.variation.kind is Variation.concern for each in watched):
        return CONCERN
    if chart.variation.kind is Variation.improvement:
        return IMPROVING
    if chart.assurance is not None:
        return {Assurance.passing: PASSING, Assurance.failing: FAILING}.get(
            chart.assurance.kind,  # type: ignore[call-overload]
            MIXED,
        )
    return UNKNOWN


def sparkline(points: tuple[ChartPoint, ...]) -> str:
    """The weeks' values (0–100) as the points of a small polyline; gaps are skipped."""
    values = [(index, point.value) for index, point in enumerate(points) if point.value is not None]
    if len(values) < 2:
        return ""
    step = SPARK_WIDTH / max(len(points) - 1, 1)
    return " ".join(
        f"{index * step:.1f},{SPARK_HEIGHT - value / 100 * SPARK_HEIGHT:.1f}"
        for index, value in values
    )
