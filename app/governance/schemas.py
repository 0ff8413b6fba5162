"""What a client asks of the indicators, and the rows it gets back.

The row's columns come from ``app.governance.columns``, the one list the CSV is also made from.
"""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, create_model

from app.governance.columns import COLUMNS
from app.governance.weeks import DayKind
from app.schemas import Input, IsoDate


class IndicatorQuery(Input):
    """``from`` and ``to`` pick the ISO weeks holding them (default: the last 12 weeks up to
    today), at most two years apart."""

    model_config = ConfigDict(populate_by_name=True)

    theme_id: uuid.UUID
    site_id: uuid.UUID | None = Field(
        default=None, description="One site; left out, every site of the theme you may read."
    )
    from_: IsoDate | None = Field(default=None, alias="from")
    to: IsoDate | None = None


def _column_field(is_count: bool, description: str) -> Any:
    kind: Any = int if is_count else float | None
    return (kind, Field(description=description))


IndicatorRowPublic = create_model(
    "IndicatorRowPublic",
    __doc__="One theme at one site in one ISO week, for one shift (or all) and kind of day.",
    theme_id=(uuid.UUID, ...),
    site_id=(uuid.UUID, ...),
    week_start=(date, Field(description="The Monday the week starts, at the site.")),
    shift=(str, Field(description="A shift of the site's pattern, or `all`.")),
    day_kind=(DayKind, ...),
    **{column.name: _column_field(column.is_count, column.description) for column in COLUMNS},
)


class IndicatorPage(BaseModel):
    rows: list[IndicatorRowPublic]  # type: ignore[valid-type]
