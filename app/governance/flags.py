"""Flags: what a theme's signals at a site say needs looking at, in the words a manager uses.

Each flag is one of the drift conditions of the issue: a special-cause concern on a shift's
practice score, explain-why or engagement quality; practice score under target two weeks
running; a shift not observed for 28 days; prompt coverage under 50 %; a lasting gap between
what staff report and what managers observe. The dashboards show them; drift alerts record them.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date

from app.governance.criteria import Criteria
from app.governance.models import FlagKind
from app.governance.signals import ShiftSignal, ThemeSignals
from app.governance.spc import Cause, ChartPoint, Variation
from app.governance.spc_rules import RULE_WORDS

WATCHED_FOR_CONCERN = ("practice_score", "explain_why", "engaged_2plus")


@dataclass(frozen=True)
class Flag:
    kind: FlagKind
    shift: str
    indicator: str | None  # the column it is about; none for a shift not observed
    words: str


def theme_flags(signals: ThemeSignals, *, today: date, criteria: Criteria) -> list[Flag]:
    """Every flag of the theme at the site, shift by shift in the pattern's order."""
    return [
        flag
        for shift in signals.shifts
        for flag in (
            *_not_observed(signals, shift, today, criteria),
            *_concerns(signals, shift),
            *_under_target(signals.signal("practice_score", shift), criteria),
            *_low_coverage(signals.signal("prompt_coverage", shift), criteria),
            *_self_report_gap(signals, shift, criteria),
        )
    ]


def _not_observed(
    signals: ThemeSignals, shift: str, today: date, criteria: Criteria
) -> Iterator[Flag]:
    seen = signals.last_observed.get(shift)
    if seen is None:
        yield Flag(FlagKind.not_observed, shift, None, f"{shift}: never observed")
    elif (today - seen).days >= criteria.observe_every_days:
        days = (today - seen).days
        yield Flag(FlagKind.not_observed, shift, None, f"{shift}: not observed for {days} days")


def _concerns(signals: ThemeSignals, shift: str) -> Iterator[Flag]:
    for column in WATCHED_FOR_CONCERN:
        signal = signals.signal(column, shift)
        if signal.chart.variation.kind is Variation.concern:
            why = _why(signal.chart.points)
            yield Flag(
                FlagKind.concern,
                shift,
                column,
                f"{shift}, {signal.measure.label.lower()}: special cause concern{why}",
            )


def _why(points: Sequence[ChartPoint]) -> str:
    """The rules the latest concerning week broke, in words (" — 7 or more weeks…")."""
    latest = next((p for p in reversed(points) if p.cause is Cause.concern), None)
    if latest is None or not latest.rules:
        return ""
    return " — " + "; ".join(RULE_WORDS[rule] for rule in latest.rules)


def _under_target(signal: ShiftSignal, criteria: Criteria) -> Iterator[Flag]:
    last_two = _valued(signal.chart.points)[-2:]
    target = criteria.practice_target
    if len(last_two) == 2 and all(point.value < target for point in last_two):  # type: ignore[operator]
        yield Flag(
            FlagKind.under_target,
            signal.shift,
            signal.measure.column,
            f"{signal.shift}: practice score under {target:g} two weeks running",
        )


def _low_coverage(signal: ShiftSignal, criteria: Criteria) -> Iterator[Flag]:
    latest = signal.latest
    floor = criteria.prompt_coverage_floor
    if latest is not None and latest.value is not None and latest.value < floor:
        yield Flag(
            FlagKind.low_prompt_coverage,
            signal.shift,
            signal.measure.column,
            f"{signal.shift}: the theme was discussed at {latest.value:g} % of handover prompts",
        )


def _self_report_gap(signals: ThemeSignals, shift: str, criteria: Criteria) -> Iterator[Flag]:
    """Staff and managers apart by the organisation's points, on the same side, for its weeks
    running: either staff see more than managers do, or they sell themselves short."""
    gaps = self_report_gaps(signals, shift)[-criteria.gap_weeks :]
    if len(gaps) < criteria.gap_weeks or any(gap is None for gap in gaps):
        return
    for side, words in ((1, "more"), (-1, "less")):
        if all(side * gap >= criteria.gap_points for gap in gaps):  # type: ignore[operator]
            yield Flag(
                FlagKind.self_report_gap,
                shift,
                "theme_engaged_2plus",
                f"{shift}: staff report {abs(gaps[-1]):g} points {words} than managers "  # type: ignore[arg-type]
                f"observe, {criteria.gap_weeks} weeks running",
            )


def self_report_gaps(signals: ThemeSignals, shift: str) -> list[float | None]:
    """Week by week, what staff report less what managers observe (None where either is
    missing): a positive gap means staff see more than managers do."""
    reported = signals.signal("theme_engaged_2plus", shift).chart.points
    observed = signals.signal("practice_score", shift).chart.points
    return [
        None if said.value is None or seen.value is None else round(said.value - seen.value, 1)
        for said, seen in zip(reported, observed, strict=True)
    ]


def _valued(points: Sequence[ChartPoint]) -> list[ChartPoint]:
    return [point for point in points if point.value is not None]
