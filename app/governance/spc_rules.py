"""The four Making Data Count rules for special cause, over the weeks of an XmR chart that have a
value, in order (see ``app.governance.spc`` for the choices and the reference)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from enum import StrEnum
from itertools import pairwise

LIMIT_FACTOR = 2.66  # 3 sigma for an XmR chart: 3 / d2, d2 = 1.128
CLOSE_FACTOR = 2 * LIMIT_FACTOR / 3  # two-thirds of the way to a limit
RUN_LENGTH = 7


class Rule(StrEnum):
    outside_limits = "outside_limits"
    run = "run"
    trend = "trend"
    close_to_limits = "close_to_limits"


RULE_WORDS = {
    Rule.outside_limits: "outside the process limits",
    Rule.run: "7 or more weeks in a row on one side of the mean",
    Rule.trend: "7 or more weeks in a row rising or falling",
    Rule.close_to_limits: "2 of 3 weeks close to a process limit",
}


def special_causes(
    values: Sequence[float], mean: float, mr_mean: float
) -> tuple[list[tuple[Rule, ...]], list[int]]:
    """For each value, the rules it is part of (in the issue's order) and its sense: +1 for a
    high signal, -1 for a low one, 0 for none, chosen in the reference's order of precedence."""
    sides = [_sign(value - mean) for value in values]
    upper, lower = mean + LIMIT_FACTOR * mr_mean, mean - LIMIT_FACTOR * mr_mean
    outside = [value > upper or value < lower for value in values]
    near = abs(CLOSE_FACTOR * mr_mean)
    close = [not out and abs(v - mean) > near for v, out in zip(values, outside, strict=True)]
    run = runs(sides)
    trend = trends(values)
    two_of_three = close_pairs(close, sides)
    matched, senses = [], []
    for i, side in enumerate(sides):
        flags = {
            Rule.outside_limits: outside[i],
            Rule.run: run[i],
            Rule.trend: trend[i] != 0,
            Rule.close_to_limits: two_of_three[i],
        }
        matched.append(tuple(rule for rule, holds in flags.items() if holds))
        if outside[i]:
            senses.append(side)
        elif trend[i]:
            senses.append(trend[i])
        else:
            senses.append(side if two_of_three[i] or run[i] else 0)
    return matched, senses


def _sign(number: float) -> int:
    return (number > 0) - (number < 0)


def _windows(count: int, size: int, holds: Callable[[range], bool]) -> list[range]:
    """Every window of ``size`` consecutive indices, of ``count``, for which ``holds`` is true."""
    windows = (range(start, start + size) for start in range(count - size + 1))
    return [window for window in windows if holds(window)]


def runs(sides: Sequence[int]) -> list[bool]:
    """Rule 2: part of 7 or more points in a row on the same side of the mean."""
    marked = [False] * len(sides)

    def one_side(window: range) -> bool:
        return sides[window[0]] != 0 and len({sides[i] for i in window}) == 1

    for window in _windows(len(sides), RUN_LENGTH, one_side):
        for i in window:
            marked[i] = True
    return marked


def trends(values: Sequence[float]) -> list[int]:
    """Rule 3: +1 or -1 for a point in 7 or more points in a row each higher (lower) than the
    one before; an unchanged value breaks it. Where two trends share a point, the later wins."""
    steps = [_sign(later - earlier) for earlier, later in pairwise(values)]
    direction = [0] * len(values)

    def steady(window: range) -> bool:  # window over the 6 steps between 7 points
        return steps[window[0]] != 0 and len({steps[i] for i in window}) == 1

    for window in _windows(len(steps), RUN_LENGTH - 1, steady):
        for i in range(window[0], window[-1] + 2):
            direction[i] = steps[window[0]]
    return direction


def close_pairs(close: Sequence[bool], sides: Sequence[int]) -> list[bool]:
    """Rule 4: a point close to a limit, in 3 in a row on one side of the mean of which 2 or 3
    are close to the limit on that side."""
    marked = [False] * len(close)

    def two_of_three(window: range) -> bool:
        same_side = abs(sum(sides[i] for i in window)) == len(window)
        return same_side and sum(close[i] for i in window) >= 2

    for window in _windows(len(close), 3, two_of_three):
        for i in window:
            marked[i] = marked[i] or close[i]
    return marked
