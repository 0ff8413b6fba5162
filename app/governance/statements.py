"""The CQC quality statements a theme's evidence pack speaks to, each with how, in words
worked from what the period holds; a statement nothing in the period speaks to says so."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from app.governance.models import DriftAlert
from app.theme.models import LearningTheme

Totals = Mapping[str, float]


@dataclass(frozen=True)
class Statement:
    title: str
    how: str

    @property
    def evidenced(self) -> bool:
        return bool(self.how)


def _count(totals: Totals, name: str) -> int:
    return int(totals.get(name, 0))


def _many(count: int, thing: str) -> str:
    """ "1 handover", "2 handovers"."""
    return f"{count} {thing}" if count == 1 else f"{count} {thing}s"


def _learning_culture(totals: Totals, theme: LearningTheme, moves: int, *_: object) -> str:
    source = theme.source_kind.label.lower()
    return (
        f"Learning from {'an' if source[0] in 'aeiou' else 'a'} {source} turned into "
        f"observable behaviours; {_many(moves, 'lifecycle move')} recorded with their reasons."
    )


def _safe_systems(totals: Totals, *_: object) -> str:
    handovers = _count(totals, "handovers")
    if not handovers:
        return ""
    return (
        f"{_many(handovers, 'handover')} between shifts with the theme's prompt to raise; "
        "how often it was discussed is charted by week."
    )


def _staffing(totals: Totals, *_: object) -> str:
    observations = _count(totals, "observations")
    if not observations:
        return ""
    return (
        f"{_many(observations, 'observation')} of practice across the shifts, each shift charted apart, "
        "with whether staff could explain why."
    )


def _person_centred(totals: Totals, *_: object) -> str:
    notes, snapshots = _count(totals, "notes"), _count(totals, "snapshots")
    if not notes and not snapshots:
        return ""
    return (
        f"{_many(notes, 'engagement note')}, {_count(totals, 'notes_with_theme')} with the theme; "
        f"{_many(snapshots, 'interaction snapshot')}."
    )


def _governance(
    totals: Totals, theme: LearningTheme, moves: int, alerts: Sequence[DriftAlert]
) -> str:
    charts = "Weekly indicators read as SPC charts by shift"
    if not alerts:
        return f"{charts}; no drift alert in the period."
    resolved = sum(not alert.is_open for alert in alerts)
    return (
        f"{charts}; {_many(len(alerts), 'drift alert')} raised in the period, {resolved} "
        "resolved with a record of how."
    )


def _improvement(totals: Totals, *_: object) -> str:
    due = _count(totals, "actions_due")
    if not due:
        return ""
    return (
        f"{_many(due, 'follow-up action')} due, {_count(totals, 'actions_on_time')} done on time."
    )


Wording = Callable[[Totals, LearningTheme, int, Sequence[DriftAlert]], str]
STATEMENTS: tuple[tuple[str, Wording], ...] = (
    ("Learning culture", _learning_culture),
    ("Safe systems, pathways and transitions", _safe_systems),
    ("Safe and effective staffing", _staffing),
    ("Person-centred care", _person_centred),
    ("Governance, management and sustainability", _governance),
    ("Learning, improvement and innovation", _improvement),
)


def quality_statements(
    totals: Totals, *, theme: LearningTheme, moves: int, alerts: Sequence[DriftAlert]
) -> list[Statement]:
    return [Statement(title, how(totals, theme, moves, alerts)) for title, how in STATEMENTS]
