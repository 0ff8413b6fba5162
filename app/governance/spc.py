"""Statistical process control the way NHS England's *Making Data Count* reads a measure.

An XmR chart of weekly values: the mean, the mean moving range (MR̄) and the process limits
(mean ± 2.66 × MR̄); each week checked against four rules and called improvement or concern by the
measure's good direction; a *variation* verdict read from the latest week and an *assurance*
verdict from where the target sits against the limits. NHSRplotthedots (the NHS-R Community's
reference implementation) decides what the issue leaves open, and the tests check against it:

- moving ranges of 3.267 × MR̄ or more are screened out and MR̄ recomputed (its default);
- rule 4 counts points *close* to a limit (beyond two-thirds of the way, not outside it), and
  only when all three points of the window sit on the same side of the mean;
- a point on the mean breaks a run, an unchanged value breaks a trend;
- one point matching several rules is improvement or concern by the first of: outside the
  limits (its side of the mean), a trend (the trend's direction; a point where a rise turns into
  a fall goes with the later trend), two of three close to a limit (side), a run (side);
- the variation verdict is the latest point's; assurance compares the target with the limits.

Gap weeks (a week with no records) are gaps, never zeros. What we chose, the reference being
silent (it expects no gaps): a moving range is only taken between two *adjacent* weeks that
both have a value, since it measures change from one week to the next and a difference across
a missing week would overstate it; the four rules count points, so they run over the weeks with
a value in order, and a gap week neither counts nor breaks a run. Under 12 weeks with a value
(or with no two adjacent ones) no limits are drawn, no point is judged, and the chart says why.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from itertools import pairwise
from statistics import fmean

from app.governance.spc_rules import LIMIT_FACTOR, Rule, special_causes

SCREEN_FACTOR = 3.267  # D4 for ranges of two: a moving range above it is itself special
MIN_POINTS_FOR_LIMITS = 12
WEEK = timedelta(weeks=1)


class Direction(StrEnum):
    higher_is_better = "higher_is_better"
    lower_is_better = "lower_is_better"

    @property
    def sign(self) -> int:
        """+1 when a higher value is better, -1 when a lower one is."""
        return 1 if self is Direction.higher_is_better else -1

    def meets(self, value: float, target: float) -> bool:
        """At or above the target (higher is better), at or below it (lower is better)."""
        return value >= target if self is Direction.higher_is_better else value <= target


class Cause(StrEnum):
    common = "common_cause"
    improvement = "improvement"
    concern = "concern"


class Variation(StrEnum):
    not_enough_data = "not_enough_data"
    common_cause = "common_cause"
    improvement = "special_cause_improvement"
    concern = "special_cause_concern"


class Assurance(StrEnum):
    passing = "consistently_passing"
    failing = "consistently_failing"
    hit_and_miss = "hit_and_miss"


@dataclass(frozen=True)
class WeeklyPoint:
    """One week's value and the number of records it rests on; ``None`` is a gap, not a zero."""

    week_start: date
    value: float | None
    records: int


@dataclass(frozen=True)
class ChartPoint:
    """A week on the chart. ``cause`` is ``None`` when the week is not judged: a gap, or a chart
    without limits."""

    week_start: date
    value: float | None
    records: int
    rules: tuple[Rule, ...] = ()
    cause: Cause | None = None

    @property
    def is_gap(self) -> bool:
        return self.value is None

    @property
    def is_special(self) -> bool:
        return self.cause in (Cause.improvement, Cause.concern)


@dataclass(frozen=True)
class Verdict:
    kind: Variation | Assurance
    icon: str
    words: str


@dataclass(frozen=True)
class Chart:
    points: tuple[ChartPoint, ...]
    direction: Direction
    target: float | None
    mean: float | None
    mr_mean: float | None
    upper_limit: float | None
    lower_limit: float | None
    limits_note: str | None  # why no limits are drawn, in words; None when they are
    variation: Verdict
    assurance: Verdict | None  # None without a target or without limits

    @property
    def limits_drawn(self) -> bool:
        return self.upper_limit is not None

    @property
    def weeks_with_data(self) -> int:
        return sum(not point.is_gap for point in self.points)


def format_value(value: float) -> str:
    """One decimal, without a trailing ``.0``: 80, 82.5, -3."""
    text = f"{value:.1f}"
    text = text.removesuffix(".0")
    return "0" if text == "-0" else text


def xmr_chart(
    points: Iterable[WeeklyPoint],
    target: float | None,
    direction: Direction,
    *,
    screen_outliers: bool = True,
) -> Chart:
    """The XmR chart of weekly points (any order; a week left out is a gap)."""
    weeks = every_week(points)
    values = [week.value for week in weeks if week.value is not None]
    mean = fmean(values) if values else None
    mr_mean = mean_moving_range(moving_ranges(weeks), screen=screen_outliers)
    note = _limits_note(len(values), mr_mean)
    if mean is None or mr_mean is None or note is not None:
        return Chart(
            points=tuple(ChartPoint(w.week_start, w.value, w.records) for w in weeks),
            direction=direction,
            target=target,
            mean=mean,
            mr_mean=mr_mean,
            upper_limit=None,
            lower_limit=None,
            limits_note=note,
            variation=Verdict(Variation.not_enough_data, "not-enough-data", note or ""),
            assurance=None,
        )
    lower, upper = mean - LIMIT_FACTOR * mr_mean, mean + LIMIT_FACTOR * mr_mean
    judged = _judge(weeks, values, mean, mr_mean, direction)
    latest = next(point.cause for point in reversed(judged) if point.cause is not None)
    return Chart(
        points=judged,
        direction=direction,
        target=target,
        mean=mean,
        mr_mean=mr_mean,
        upper_limit=upper,
        lower_limit=lower,
        limits_note=None,
        variation=variation_verdict(latest, direction),
        assurance=assurance_verdict(target, lower, upper, direction),
    )


def every_week(points: Iterable[WeeklyPoint]) -> list[WeeklyPoint]:
    """The points in week order with each missing week filled in as a gap."""
    by_week: dict[date, WeeklyPoint] = {}
    for point in points:
        if point.week_start in by_week:
            raise ValueError(f"two points for the week of {point.week_start}")
        by_week[point.week_start] = point
    if not by_week:
        return []
    first, last = min(by_week), max(by_week)
    if any((week - first).days % 7 for week in by_week):
        raise ValueError("weeks must start on the same weekday")
    span = (last - first).days // 7 + 1
    weeks = (first + n * WEEK for n in range(span))
    return [by_week.get(week, WeeklyPoint(week, None, 0)) for week in weeks]


def moving_ranges(weeks: Sequence[WeeklyPoint]) -> list[float]:
    """|change| between each two adjacent weeks that both have a value; none across a gap."""
    return [
        abs(later.value - earlier.value)
        for earlier, later in pairwise(weeks)
        if earlier.value is not None and later.value is not None
    ]


def mean_moving_range(ranges: Sequence[float], *, screen: bool = True) -> float | None:
    """MR̄; screened, ranges of 3.267 × MR̄ or more are left out and the mean taken again."""
    if not ranges:
        return None
    mr_mean = fmean(ranges)
    if screen and mr_mean > 0:
        mr_mean = fmean(r for r in ranges if r < SCREEN_FACTOR * mr_mean)
    return mr_mean


def _limits_note(weeks_with_data: int, mr_mean: float | None) -> str | None:
    if weeks_with_data < MIN_POINTS_FOR_LIMITS:
        have = "1 week has" if weeks_with_data == 1 else f"{weeks_with_data} weeks have"
        return (
            f"Not enough weeks yet to tell a real change from chance: {have} records and "
            f"{MIN_POINTS_FOR_LIMITS} are needed, so no process limits are drawn."
        )
    if mr_mean is None:
        return (
            "Not enough to tell a real change from chance: no two weeks in a row have records, "
            "so no process limits are drawn."
        )
    return None


def _judge(
    weeks: Sequence[WeeklyPoint],
    values: Sequence[float],
    mean: float,
    mr_mean: float,
    direction: Direction,
) -> tuple[ChartPoint, ...]:
    """Every week with its rules and cause; the rules run over the weeks with a value."""
    rules, senses = special_causes(values, mean, mr_mean)
    judged = iter(zip(rules, senses, strict=True))
    points = []
    for week in weeks:
        if week.value is None:
            points.append(ChartPoint(week.week_start, None, week.records))
            continue
        matched, sense = next(judged)
        cause = Cause.common if not matched else _cause(sense, direction)
        points.append(ChartPoint(week.week_start, week.value, week.records, matched, cause))
    return tuple(points)


def _cause(sense: int, direction: Direction) -> Cause:
    return Cause.improvement if sense * direction.sign > 0 else Cause.concern


def variation_verdict(cause: Cause, direction: Direction) -> Verdict:
    """What the latest week says, with the Making Data Count icon's name."""
    high_is_good = direction is Direction.higher_is_better
    if cause is Cause.improvement:
        return Verdict(
            Variation.improvement,
            "improvement-high" if high_is_good else "improvement-low",
            "Special cause improvement: the latest week is part of a pattern too strong to be "
            "chance, in the good direction.",
        )
    if cause is Cause.concern:
        return Verdict(
            Variation.concern,
            "concern-low" if high_is_good else "concern-high",
            "Special cause concern: the latest week is part of a pattern too strong to be "
            "chance, in the wrong direction. Worth finding out why.",
        )
    return Verdict(
        Variation.common_cause,
        "common-cause",
        "Common cause variation: the ups and downs are the usual ones from week to week, "
        "with no sign of a real change.",
    )


def assurance_verdict(
    target: float | None, lower: float, upper: float, direction: Direction
) -> Verdict | None:
    """Will the target be met? Only the limits can say: where the target sits against them."""
    if target is None:
        return None
    aim = format_value(target)
    high_is_good = direction is Direction.higher_is_better
    if (target < lower) if high_is_good else (target > upper):
        return Verdict(
            Assurance.passing,
            "assurance-pass",
            f"Consistently passing the target of {aim}: even an ordinary "
            f"{'low' if high_is_good else 'high'} week stays on the right side of it.",
        )
    if (target > upper) if high_is_good else (target < lower):
        return Verdict(
            Assurance.failing,
            "assurance-fail",
            f"Consistently failing the target of {aim}: even an ordinary good week falls "
            "short of it. It will not be met unless the way things are done changes.",
        )
    return Verdict(
        Assurance.hit_and_miss,
        "assurance-hit-and-miss",
        f"Hit and miss against the target of {aim}: some weeks will meet it and some will "
        "not, by chance alone.",
    )
