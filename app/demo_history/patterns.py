"""The planted patterns: how a theme's practice moves over the range of a generated history.

A pattern gives a practice-score target (0–100) for a shift on a day; everything else the
history holds follows from it: the observations' ratings and answers to "could they explain
why", how often the theme's prompts are discussed at handover, and (for a theme that moves
engagement) the levels of the site's engagement notes and how often restriction is used.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ThemePattern:
    """Practice climbs from ``start`` to ``hold`` over the first ``climb`` share of the range,
    then holds. On ``drift_shift`` it falls to ``drift_to`` from ``drift_from`` (a share of the
    range) on. ``moves_engagement``: the site's engagement notes follow this theme's practice."""

    start: float = 60
    hold: float = 90
    climb: float = 0.25
    drift_shift: str | None = None
    drift_from: float = 2 / 3
    drift_to: float = 50
    moves_engagement: bool = True
    steady: bool = False

    def by_chance(self, progress: float, shift_name: str) -> bool:
        """Whether an observation may see a little more or less than the target: always, but
        on a ``steady`` pattern once it holds, when every observation sees what is embedded."""
        held = progress >= self.climb and not self.drifting(progress, shift_name)
        return not (self.steady and held)

    def target(self, progress: float, shift_name: str) -> float:
        """The practice-score target ``progress`` of the way (0–1) through the range."""
        if self.drifting(progress, shift_name):
            return self.drift_to
        if self.climb <= 0 or progress >= self.climb:
            return self.hold
        return self.start + (self.hold - self.start) * progress / self.climb

    def drifting(self, progress: float, shift_name: str) -> bool:
        return shift_name == self.drift_shift and progress >= self.drift_from


EMBEDS = ThemePattern(start=60, hold=92, climb=0.25)
"""Climbs over the first quarter, then holds at 80 or more on every shift."""

EMBEDS_STEADILY = ThemePattern(start=60, hold=100, climb=0.25, steady=True)
"""Climbs over the first quarter, then every observation sees every behaviour consistently:
across fifty sites, chance ups and downs would put a special-cause concern somewhere every
week, and an embed needs every site to hold."""

DRIFTS_ON_NIGHTS = ThemePattern(
    start=84, hold=88, climb=0.1, drift_shift="Night", drift_from=2 / 3, drift_to=50
)
"""Holds, until nights slip from two-thirds of the way through (week 9 of 12)."""


def score_points(target: float, jitter: int) -> int:
    """How many of the 10 points of a five-behaviour checklist (0–2 each) were seen: the
    target to the nearest 10, moved by ``jitter`` (−1, 0 or +1), kept on the scale."""
    return max(0, min(10, round(target / 10) + jitter))


def ratings_for(points: int, behaviours: int) -> list[int]:
    """Ratings (0–2) of ``behaviours`` behaviours that add up to ``points`` scaled to them:
    all "seen in part", then some raised to "seen consistently" or lowered to "not seen"."""
    total = round(points * behaviours / 5)
    ratings = [1] * behaviours
    for index in range(min(abs(total - behaviours), behaviours)):
        ratings[index] = 2 if total > behaviours else 0
    return ratings


def explains(score: float) -> str:
    """What "could they explain why" tends to be at a practice score: staff who practise it
    consistently can say why."""
    if score >= 80:
        return "yes"
    if score >= 60:
        return "partly"
    return "no"


def engaged_share(target: float) -> float:
    """The share of notes at "took part" or better when practice is at ``target``."""
    return 0.1 + 0.65 * target / 100


def discussed_share(target: float) -> float:
    """How often a theme's prompts are discussed at handover when practice is at ``target``."""
    return max(0.2, min(0.97, (target - 20) / 75))
