"""Governance's own records: drift alerts and lifecycle proposals, raised from the signals."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON
from sqlmodel import Field, SQLModel

from app.db import text_enum
from app.theme.models import ThemeStatus


class FlagKind(StrEnum):
    concern = "special_cause_concern"
    under_target = "under_target"
    not_observed = "not_observed"
    low_prompt_coverage = "low_prompt_coverage"
    self_report_gap = "self_report_gap"


class DriftAlert(SQLModel, table=True):
    """A flag that held when the signals were last checked, kept until someone resolves it.

    ``open_key`` names the condition (site, theme, kind, shift, indicator) while the alert is
    open and is cleared when it is resolved: its unique constraint keeps one open alert per
    condition, however many checks run at once, and lets the same drift be raised again later.
    """

    __tablename__ = "drift_alert"

    id: uuid.UUID = Field(primary_key=True)
    organisation_id: uuid.UUID = Field(foreign_key="organisation.id")
    site_id: uuid.UUID = Field(foreign_key="site.id", index=True)
    theme_id: uuid.UUID = Field(foreign_key="learning_theme.id")
    kind: FlagKind = Field(sa_type=text_enum(FlagKind, length=40))
    shift: str = Field(max_length=40)
    indicator: str = Field(default="", max_length=40)
    words: str = Field(max_length=300)
    raised_at: datetime
    open_key: str | None = Field(default=None, max_length=200, unique=True)
    seen_at: datetime | None = None
    seen_by_id: uuid.UUID | None = Field(default=None, foreign_key="user_account.id")
    resolved_at: datetime | None = None
    resolved_by_id: uuid.UUID | None = Field(default=None, foreign_key="user_account.id")
    resolution: str = Field(default="", max_length=500)

    @property
    def is_open(self) -> bool:
        return self.resolved_at is None


class Decision(StrEnum):
    confirmed = "confirmed"
    declined = "declined"


class LifecycleProposal(SQLModel, table=True):
    """A move of a theme through its lifecycle that the evidence supports, proposed by the
    governance check, until the quality lead confirms or declines it with a reason.

    ``evidence`` holds the lines, in words, that triggered it, as they were then. ``open_key``
    (the theme and the move) is set while it waits for a decision, so a move is proposed once.
    """

    __tablename__ = "lifecycle_proposal"

    id: uuid.UUID = Field(primary_key=True)
    organisation_id: uuid.UUID = Field(foreign_key="organisation.id", index=True)
    theme_id: uuid.UUID = Field(foreign_key="learning_theme.id", index=True)
    from_status: ThemeStatus = Field(sa_type=text_enum(ThemeStatus))
    to_status: ThemeStatus = Field(sa_type=text_enum(ThemeStatus))
    evidence: list[str] = Field(default_factory=list, sa_type=JSON)
    proposed_at: datetime
    open_key: str | None = Field(default=None, max_length=120, unique=True)
    decided_at: datetime | None = None
    decided_by_id: uuid.UUID | None = Field(default=None, foreign_key="user_account.id")
    decision: Decision | None = Field(default=None, sa_type=text_enum(Decision))
    reason: str = Field(default="", max_length=1000)

    @property
    def is_open(self) -> bool:
        return self.decided_at is None


class GovernanceCriteria(SQLModel, table=True):
    """An organisation's criteria, when its quality lead has changed them from the defaults:
    one row per organisation, always written whole (``set_criteria``). The defaults live once,
    in ``app.governance.criteria.Criteria``."""

    __tablename__ = "governance_criteria"

    organisation_id: uuid.UUID = Field(foreign_key="organisation.id", primary_key=True)
    practice_target: float
    explain_target: float
    weeks_to_embed: int
    observe_every_days: int
    prompt_coverage_floor: float
    gap_points: float
    gap_weeks: int
    require_passing_assurance: bool
    updated_at: datetime
    updated_by_id: uuid.UUID = Field(foreign_key="user_account.id")


class IndicatorWeek(SQLModel, table=True):
    """The indicator cells of one theme at one site for one ISO week, kept so that dashboards
    read a row a week rather than the records under it (``app.governance.rollups``).

    ``version`` is the site's week version (``app.record_weeks``) they were worked out from, and
    ``layout`` names the site's time zone and shift pattern then: a row is used only while both
    still hold. ``cells`` holds the counts of each cell with any, by shift and kind of day.
    """

    __tablename__ = "indicator_week"

    theme_id: uuid.UUID = Field(foreign_key="learning_theme.id", primary_key=True)
    site_id: uuid.UUID = Field(foreign_key="site.id", primary_key=True)
    week_start: date = Field(primary_key=True)
    version: int
    layout: str = Field(max_length=64)
    cells: list[dict[str, Any]] = Field(default_factory=list, sa_type=JSON)
