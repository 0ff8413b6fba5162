"""The indicators of one learning theme, per site × ISO week × shift × kind of day, as rows:
JSON for the API, CSV for a provider's BI tool, and what the signals chart. The cells come
from the rollups (``app.governance.rollups``), which work out from the records
(``app.governance.families``) only the weeks they do not hold.
"""

from __future__ import annotations

import csv
import io
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlmodel import Session

from app.governance import rollups
from app.governance.columns import CSV_HEADER, values_of
from app.governance.families import Scope
from app.governance.tally import Tally
from app.governance.weeks import ALL, DayKind, Placer

__all__ = ["IndicatorRow", "Scope", "csv_text", "indicator_rows"]


@dataclass(frozen=True)
class IndicatorRow:
    theme_id: uuid.UUID
    site_id: uuid.UUID
    week_start: date
    shift: str
    day_kind: DayKind
    values: dict[str, int | float | None]

    def as_dict(self) -> dict[str, Any]:
        keys = {name: getattr(self, name) for name in ("theme_id", "site_id", "week_start")}
        return {**keys, "shift": self.shift, "day_kind": self.day_kind, **self.values}


def indicator_rows(
    session: Session, *, scope: Scope, day_kinds: Sequence[DayKind] = tuple(DayKind)
) -> list[IndicatorRow]:
    """Every row of the scope, empty ones too: a week with nothing recorded has zero counts and
    null rates, a gap rather than a zero. Sites in the order given, then weeks, then the
    site's shifts in pattern order and ``all``; weekdays, weekends, ``all`` (or
    the ``day_kinds`` asked for)."""
    placer = Placer(session, scope.sites)
    cells = rollups.cells(session, placer, scope, day_kinds)
    return [
        IndicatorRow(
            theme_id=scope.theme.id,
            site_id=site.id,
            week_start=week,
            shift=shift,
            day_kind=kind,
            values=values_of(cells.get((site.id, week, shift, kind)) or Tally()),
        )
        for site in scope.sites
        for week in scope.weeks.starts()
        for shift in (*placer.shift_names(site.id), ALL)
        for kind in day_kinds
    ]


def csv_text(rows: Sequence[IndicatorRow]) -> str:
    """The rows under the same column names as the JSON; an empty cell where JSON has null."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_HEADER, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(row.as_dict() for row in rows)
    return out.getvalue()
