"""What counts as embedded, and when a drift is worth an alert: one organisation's criteria.

The defaults are the issue's: practice score and explain-why at 80 or more on every shift for
eight consecutive weeks, each shift observed at least every 28 days, prompt coverage under 50 %
raised, and a self-report gap of 25 points held for four weeks flagged. A quality lead may change
them for their organisation (``GovernanceCriteria``, one row, written by ``set_criteria``).
"""

from __future__ import annotations

import uuid
from dataclasses import asdict, dataclass, fields
from datetime import datetime

from sqlmodel import Session

from app.auth.actor import Actor
from app.auth.permissions import OrgCapability
from app.db import insert_on_conflict
from app.governance.models import GovernanceCriteria
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
NAMES = tuple(item.name for item in fields(Criteria))


def criteria_for(session: Session, organisation_id: uuid.UUID) -> Criteria:
    row = session.get(GovernanceCriteria, organisation_id)
    if row is None:
        return DEFAULT_CRITERIA
    return Criteria(**{name: getattr(row, name) for name in NAMES})


def set_criteria(session: Session, *, actor: Actor, criteria: Criteria, now: datetime) -> Criteria:
    """Save the organisation's criteria. Written with the store's upsert, so two quality leads
    saving at once leave one row (the later one's), never an error."""
    actor.require_org(OrgCapability.manage_themes)
    values = {
        **asdict(criteria),
        "organisation_id": actor.organisation_id,
        "updated_at": now,
        "updated_by_id": actor.user_id,
    }
    table = GovernanceCriteria.__table__  # type: ignore[attr-defined]
    statement = insert_on_conflict(session, table).values(values)
    statement = statement.on_conflict_do_update(
        index_elements=[table.c.organisation_id],
        set_={name: statement.excluded[name] for name in values if name != "organisation_id"},
    )
    session.connection().execute(statement)
    return criteria
