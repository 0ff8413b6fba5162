"""Stability: for how many weeks, up to the latest, has every shift met the target?"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date

from app.governance.spc import WEEK, Direction, WeeklyPoint


def weeks_at_target(
    per_shift_series: Mapping[str, Sequence[WeeklyPoint]],
    target: float,
    direction: Direction,
) -> int:
    """Consecutive weeks, counted back from the latest week of any shift, in which every shift
    has a value at or beyond the target (above for higher-is-better, below for lower-is-better).

    A gap week on any shift (no value, or the week missing from its series) ends the count, as
    does a week under target: stability is shown, not assumed. Pass complete weeks only: an
    unfinished current week with no records yet would count as a gap.
    """
    by_shift = [
        {point.week_start: point.value for point in series} for series in per_shift_series.values()
    ]
    weeks = {week for values in by_shift for week in values}
    if not weeks:
        return 0
    week: date = max(weeks)
    count = 0
    while all(_meets(values.get(week), target, direction) for values in by_shift):
        count += 1
        week -= WEEK
    return count


def _meets(value: float | None, target: float, direction: Direction) -> bool:
    return value is not None and direction.meets(value, target)
