"""What a client asks of the indicators, and the rows it gets back.

The row's columns come from ``app.governance.columns``, the one list the CSV is also made from.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, create_model

from app.action.schemas import ActionCreate
from app.governance.columns import COLUMNS
from app.governance.models import Decision, FlagKind
from app.governance.spc import Cause, Direction
from app.governance.spc_rules import Rule
from app.governance.weeks import DayKind
from app.schemas import WHOLE_NUMBER, Input, IsoDate, Reason, YesNo
from app.theme.models import ThemeStatus


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


class VerdictPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    kind: str = Field(
        description="For variation: `common_cause`, `special_cause_improvement`, "
        "`special_cause_concern` or `not_enough_data`; for assurance: "
        "`consistently_passing`, `consistently_failing` or `hit_and_miss`."
    )
    icon: str
    words: str


class PointPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    week_start: date
    value: float | None = Field(description="Null for a week with no records: a gap, not a zero.")
    records: int = Field(description="How many records the value rests on.")
    rules: list[Rule] = Field(description="The special-cause rules the week is part of.")
    cause: Cause | None = Field(description="Null when the week is not judged.")


class SignalPublic(BaseModel):
    """One indicator on one shift (or `all`) as an XmR chart of its weekly values."""

    model_config = ConfigDict(from_attributes=True)

    indicator: str
    shift: str
    direction: Direction
    target: float | None
    mean: float | None
    upper_limit: float | None
    lower_limit: float | None
    limits_note: str | None = Field(description="Why no limits are drawn; null when they are.")
    variation: VerdictPublic
    assurance: VerdictPublic | None
    points: list[PointPublic]


class FlagPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    kind: FlagKind
    shift: str
    indicator: str | None
    words: str


class ShiftObserved(BaseModel):
    shift: str
    last_observed: date | None


class SignalsPage(BaseModel):
    theme_id: uuid.UUID
    site_id: uuid.UUID
    first_week: date
    last_week: date = Field(description="The last complete ISO week charted.")
    weeks_at_target: int = Field(
        description="Consecutive weeks, up to the last, with practice score and explain-why at "
        "or above their targets on every shift: the run the move to embedded is judged by (a "
        "week a shift was not observed does not end it; a week under target does)."
    )
    observed: list[ShiftObserved]
    flags: list[FlagPublic]
    signals: list[SignalPublic]


class AlertResolution(Input):
    resolution: Reason = Field(description="How it was resolved: what was found, what was done.")


class AlertPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    site_id: uuid.UUID
    theme_id: uuid.UUID
    kind: FlagKind
    shift: str
    indicator: str = Field(description="The indicator column it is about; empty when none.")
    words: str
    raised_at: datetime
    seen_at: datetime | None
    seen_by_id: uuid.UUID | None
    resolved_at: datetime | None
    resolved_by_id: uuid.UUID | None
    resolution: str


class AlertPage(BaseModel):
    alerts: list[AlertPublic]


class ProposalDecision(Input):
    decision: Decision = Field(description="`confirmed` moves the theme; `declined` does not.")
    reason: Reason = Field(description="Why: what the evidence shows, or why not yet.")


class ProposalPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    theme_id: uuid.UUID
    from_status: ThemeStatus
    to_status: ThemeStatus
    evidence: list[str] = Field(description="The lines of evidence that triggered it, in words.")
    proposed_at: datetime
    decided_at: datetime | None
    decided_by_id: uuid.UUID | None
    decision: Decision | None
    reason: str


class ProposalPage(BaseModel):
    proposals: list[ProposalPublic]


Percent = Annotated[int, Field(ge=0, le=100), WHOLE_NUMBER]


class CriteriaInput(Input):
    """What counts as embedded, and when a drift is raised, for the whole organisation."""

    practice_target: Percent = Field(description="Practice score target, 0–100.")
    explain_target: Percent = Field(description="Explain-why target, 0–100.")
    weeks_to_embed: Annotated[int, Field(ge=2, le=52), WHOLE_NUMBER] = Field(
        description="Weeks in a row on target on every shift before embedded is proposed."
    )
    observe_every_days: Annotated[int, Field(ge=7, le=365), WHOLE_NUMBER] = Field(
        description="Each shift observed at least this often, in days."
    )
    prompt_coverage_floor: Percent = Field(
        description="A theme discussed at fewer handover prompts than this is raised."
    )
    gap_points: Annotated[int, Field(ge=1, le=100), WHOLE_NUMBER] = Field(
        description="A gap between what staff report and what managers observe of at least "
        "this many points…"
    )
    gap_weeks: Annotated[int, Field(ge=1, le=26), WHOLE_NUMBER] = Field(
        description="…held for this many weeks running is raised."
    )
    require_passing_assurance: YesNo = Field(
        default=False,
        description="Also require every shift's practice to be consistently passing (its lower "
        "process limit above the target) before embedded is proposed.",
    )


class MeetingDecisionCreate(ActionCreate):
    """What the quality meeting decided for a site: an action with an owner and a due date.
    ``week`` is any day of the week met about; ``id`` is the client's, as for every action."""

    week: IsoDate
    site_id: uuid.UUID
    theme_id: uuid.UUID | None = None
    due_on: IsoDate
