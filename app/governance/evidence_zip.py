"""The evidence pack as a ZIP of CSV files, for a provider's records or an inspector."""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterable, Sequence

from app.governance.evidence import EvidencePack
from app.governance.indicators import csv_text

LIFECYCLE_HEADER = ("at", "from_status", "to_status", "reason", "by")
ACTIONS_HEADER = ("site_id", "site", "description", "owner", "due_on", "done_at", "outcome")
ALERTS_HEADER = (
    "site_id",
    "site",
    "shift",
    "kind",
    "indicator",
    "words",
    "raised_at",
    "resolved_at",
    "resolution",
    "resolved_by",
)
EXAMPLES_HEADER = ("site_id", "site", "shift_date", "shift", "source", "field", "text")


def table(header: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    """CSV with ``header``; an empty cell for None, ISO text for dates and times."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow(
            "" if value is None else value.isoformat() if hasattr(value, "isoformat") else value
            for value in row
        )
    return out.getvalue()


def pack_files(pack: EvidencePack) -> dict[str, str]:
    """Each file of the ZIP by name: the indicators exactly as the indicators API gives them,
    then the lifecycle, actions, alerts and examples, every free text anonymised."""
    return {
        "indicators.csv": csv_text(pack.rows),
        "lifecycle.csv": table(
            LIFECYCLE_HEADER,
            ((m.at, m.from_status.value, m.to_status.value, m.reason, m.by) for m in pack.history),
        ),
        "actions.csv": table(
            ACTIONS_HEADER,
            (
                (a.site.id, a.site.name, a.description, a.owner, a.due_on, a.done_at, a.outcome)
                for a in pack.actions
            ),
        ),
        "alerts.csv": table(
            ALERTS_HEADER,
            (
                (
                    line.site.id,
                    line.site.name,
                    line.alert.shift,
                    line.alert.kind.value,
                    line.alert.indicator,
                    line.alert.words,
                    line.alert.raised_at,
                    line.alert.resolved_at,
                    line.resolution,
                    line.resolved_by,
                )
                for line in pack.alerts
            ),
        ),
        "examples.csv": table(
            EXAMPLES_HEADER,
            (
                (e.site.id, e.site.name, e.shift_date, e.shift, e.source, e.field, e.text)
                for e in pack.examples
            ),
        ),
    }


def pack_zip(pack: EvidencePack) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, text in pack_files(pack).items():
            archive.writestr(name, text)
    return out.getvalue()
