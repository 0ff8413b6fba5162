"""The indicator columns: one list, from which the JSON rows and the CSV are both made.

Each column has its name, what it means (shown in the API's documentation) and how it is worked
out from a cell's ``Tally``. Counts are whole numbers; rates and scores are 0–100 to one decimal,
null where there is nothing to divide by.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from app.governance.tally import Tally, one_decimal, percent

KEY_COLUMNS = ("theme_id", "site_id", "week_start", "shift", "day_kind")


@dataclass(frozen=True)
class Column:
    name: str
    description: str
    value: Callable[[Tally], int | float | None]
    is_count: bool = False


def _practice_score(tally: Tally) -> float | None:
    return one_decimal(tally.score_total / tally.scored) if tally.scored else None


def _explain_why(tally: Tally) -> float | None:
    asked = tally.explained_yes + tally.explained_partly + tally.explained_no
    # Halves counted as whole numbers: (2 × yes + partly) of 2 × asked.
    return percent(2 * tally.explained_yes + tally.explained_partly, 2 * asked)


COLUMNS: tuple[Column, ...] = (
    Column(
        "observations",
        "Observations of the theme; voided ones never count.",
        lambda t: t.observations,
        is_count=True,
    ),
    Column("staff_observed", "Distinct staff observed.", lambda t: len(t.staff), is_count=True),
    Column(
        "practice_score",
        "Mean practice score of the observations (SCALES.md), 0–100; null with none scored.",
        _practice_score,
    ),
    Column(
        "explain_why",
        "Could staff explain why: (yes + ½ partly) ÷ (yes + partly + no) × 100; "
        "'not asked' left out; null with none asked.",
        _explain_why,
    ),
    Column("notes", "Engagement notes at the site.", lambda t: t.notes, is_count=True),
    Column(
        "notes_with_theme",
        "Those notes with the theme applied.",
        lambda t: t.notes_with_theme,
        is_count=True,
    ),
    Column(
        "engaged_2plus",
        "Share of notes at level 2 or 3, 0–100.",
        lambda t: percent(t.notes_2plus, t.notes),
    ),
    Column("engaged_3", "Share of notes at level 3, 0–100.", lambda t: percent(t.notes_3, t.notes)),
    Column(
        "theme_engaged_2plus",
        "Share of the notes with the theme at level 2 or 3, 0–100 (what staff report).",
        lambda t: percent(t.theme_notes_2plus, t.notes_with_theme),
    ),
    Column(
        "restrictive",
        "Notes recording restrictive practice.",
        lambda t: t.restrictive,
        is_count=True,
    ),
    Column(
        "restrictive_per_100",
        "Notes recording restrictive practice per 100 notes.",
        lambda t: percent(t.restrictive, t.notes),
    ),
    Column(
        "handovers",
        "Completed handovers, each counted with its outgoing shift and date.",
        lambda t: t.handovers,
        is_count=True,
    ),
    Column(
        "prompt_coverage",
        "Share of the theme's prompt answers in those handovers marked discussed, 0–100.",
        lambda t: percent(t.prompts_discussed, t.prompt_answers),
    ),
    Column(
        "manager_at_handover",
        "Share of completed handovers a manager attended, 0–100.",
        lambda t: percent(t.handovers_with_manager, t.handovers),
    ),
    Column(
        "actions_due",
        "Actions from the theme's observations due that week.",
        lambda t: t.actions_due,
        is_count=True,
    ),
    Column(
        "actions_on_time",
        "Share of those actions done by their due date, 0–100.",
        lambda t: percent(t.actions_on_time, t.actions_due),
    ),
    Column(
        "snapshots",
        "Interaction snapshots taken at the site (for any theme).",
        lambda t: t.snapshots,
        is_count=True,
    ),
    Column(
        "snapshot_positive",
        "Share of the snapshots' taps that were positive (social or care), 0–100.",
        lambda t: percent(t.snapshot_positive_taps, t.snapshot_taps),
    ),
)

CSV_HEADER = (*KEY_COLUMNS, *(column.name for column in COLUMNS))


def values_of(tally: Tally) -> dict[str, int | float | None]:
    return {column.name: column.value(tally) for column in COLUMNS}
