"""What counts as embedded, and when a drift is worth an alert: one organisation's criteria.

The defaults are the issue's: practice score and explain-why at 80 or more on every shift for
eight consecutive weeks, each shift observed at least every 28 days, prompt coverage under 50 %
raised, and a self-report gap of 25 points held for four weeks flagged.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.theme.models import ThemeStatus

# The themes whose signals are read: being embedded (a pilot, embedding) or embedded, since an
# embedded theme is watched for drift.
WATCHED = (ThemeStatus.pilot, ThemeStatus.embedding, ThemeStatus.embedded)


@dataclass(frozen=True)
class Criteria:
    practice_target: float = 80.0
    explain_target: float = 80.0
    weeks_to_embed: int = 8
    observe_every_days: int = 28
    prompt_coverage_floor: float = 50.0
    gap_points: float = 25.0
    gap_weeks: int = 4
    require_passing_assurance: bool = False


DEFAULT_CRITERIA = Criteria()
