"""The indicators of one learning theme worked out from the records, per site × ISO week ×
shift × kind of day.

Each family of measures is one query (or two) summed in SQL, grouped by site, shift date and
shift, so the work grows with the number of sites, days and shifts, never with the number of
notes; Python then folds the groups into weeks (``app.governance.weeks``). Voided records never
count. A family is one function in ``FAMILIES``: what it sums goes into the ``Tally``, and its
columns into ``app.governance.columns``. Dashboards read these through the rollups
(``app.governance.rollups``), which work out only the weeks they do not hold.

- Handovers belong to their *outgoing* shift and date: a handover reports on the shift that is
  ending (its people, its practice), so its prompt coverage and the manager's presence are that
  shift's. Only completed handovers count; a prompt answered twice counts its latest answer.
- Actions belong to the week and kind of day of their due date, and to the shift of the
  observation they came from; an action counts as on time when done before its due date ended
  at the site.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, case, exists, func, literal
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select

from app.action.models import ActionSource, FollowUpAction
from app.auth.permissions import MANAGER_AT_HANDOVER
from app.engagement.models import EngagementNote
from app.governance.tally import Tally
from app.governance.weeks import Cell, Place, Placer, Weeks, fold, minute_of
from app.handover.models import Handover, HandoverAttendance, HandoverPromptResponse
from app.observation.models import CouldExplain, Observation
from app.org.models import Site
from app.snapshot.models import InteractionKind, InteractionSnapshot
from app.theme.models import LearningTheme

Placed = Iterator[tuple[Place, Tally]]


@dataclass(frozen=True)
class Scope:
    """What the indicators are asked of: a theme, the sites the reader may see, the weeks."""

    theme: LearningTheme
    sites: Sequence[Site]
    weeks: Weeks

    @property
    def site_ids(self) -> list[uuid.UUID]:
        return [site.id for site in self.sites]


def count_where(condition: ColumnElement[bool]) -> ColumnElement[int]:
    return func.sum(case((condition, 1), else_=0))


def _grouped(
    session: Session,
    placer: Placer,
    scope: Scope,
    model: Any,
    *,
    at: Any,
    measures: Sequence[ColumnElement[Any]],
    where: Sequence[ColumnElement[bool]],
    keys: Sequence[Any] = (),
) -> Iterator[tuple[Place, Any]]:
    """Sums of a record table by site, shift date and shift (and ``keys``); records with no
    shift date are summed by site and minute and placed from when they happened."""
    start, end = scope.weeks.moments()
    common = (col(model.site_id).in_(scope.site_ids), at >= start, at < end, *where)
    by_shift = (model.site_id, model.shift_date, model.shift_name, *keys)
    query = (
        select(*by_shift, *measures)
        .where(*common, col(model.shift_date).between(scope.weeks.first, scope.weeks.end))
        .group_by(*by_shift)
    )
    for row in session.execute(query):
        yield Place(row.site_id, row.shift_date, row.shift_name), row
    minute = minute_of(at)
    by_minute = (model.site_id, minute.label("minute"), *keys)
    query = (
        select(*by_minute, *measures)
        .where(*common, col(model.shift_date).is_(None))
        .group_by(model.site_id, minute, *keys)
    )
    for row in session.execute(query):
        yield placer.place(row.site_id, row.minute), row


def _tally(row: Any, **extra: Any) -> Tally:
    names = Tally.__dataclass_fields__
    return Tally(**{name: row._mapping[name] for name in row._mapping if name in names}, **extra)


def observations(session: Session, placer: Placer, scope: Scope) -> Placed:
    measures = (
        func.count().label("observations"),
        func.count(Observation.practice_score).label("scored"),
        func.coalesce(func.sum(Observation.practice_score), 0.0).label("score_total"),
        count_where(Observation.could_explain == CouldExplain.yes).label("explained_yes"),
        count_where(Observation.could_explain == CouldExplain.partly).label("explained_partly"),
        count_where(Observation.could_explain == CouldExplain.no).label("explained_no"),
    )
    where = (Observation.theme_id == scope.theme.id, col(Observation.voided_at).is_(None))
    for place, row in _grouped(
        session,
        placer,
        scope,
        Observation,
        at=Observation.observed_at,
        measures=measures,
        where=where,
        keys=(Observation.observed_user_id,),
    ):
        staff = {row.observed_user_id} if row.observed_user_id else set()
        yield place, _tally(row, staff=staff)


def notes(session: Session, placer: Placer, scope: Scope) -> Placed:
    with_theme = EngagementNote.theme_id == scope.theme.id
    engaged = EngagementNote.level >= 2
    measures = (
        func.count().label("notes"),
        count_where(engaged).label("notes_2plus"),
        count_where(EngagementNote.level == 3).label("notes_3"),
        count_where(with_theme).label("notes_with_theme"),
        count_where(with_theme & engaged).label("theme_notes_2plus"),
        func.count(EngagementNote.restrictive_practice).label("restrictive"),
    )
    for place, row in _grouped(
        session,
        placer,
        scope,
        EngagementNote,
        at=EngagementNote.occurred_at,
        measures=measures,
        where=(col(EngagementNote.voided_at).is_(None),),
    ):
        yield place, _tally(row)


def _completed_handovers(scope: Scope) -> tuple[ColumnElement[bool], ...]:
    return (
        col(Handover.site_id).in_(scope.site_ids),
        col(Handover.completed_at).is_not(None),
        col(Handover.outgoing_date).between(scope.weeks.first, scope.weeks.end),
    )


def handovers(session: Session, placer: Placer, scope: Scope) -> Placed:
    by_shift = (Handover.site_id, Handover.outgoing_date, Handover.outgoing_shift)
    manager_there = exists().where(
        HandoverAttendance.handover_id == Handover.id,
        col(HandoverAttendance.role).in_(MANAGER_AT_HANDOVER),
    )
    query = (
        select(
            *by_shift,
            func.count().label("handovers"),
            count_where(manager_there).label("handovers_with_manager"),
        )
        .where(*_completed_handovers(scope))
        .group_by(*by_shift)
    )
    for row in session.execute(query):
        yield Place(row.site_id, row.outgoing_date, row.outgoing_shift), _tally(row)
    answer = HandoverPromptResponse
    later = aliased(HandoverPromptResponse)
    answered_again = exists().where(
        later.handover_id == answer.handover_id,
        later.prompt_id == answer.prompt_id,
        later.recorded_at > answer.recorded_at,
    )
    query = (
        select(
            *by_shift,
            func.count().label("prompt_answers"),
            count_where(col(answer.discussed).is_(True)).label("prompts_discussed"),
        )
        .join(answer, col(answer.handover_id) == Handover.id)
        .where(*_completed_handovers(scope), answer.theme_id == scope.theme.id, ~answered_again)
        .group_by(*by_shift)
    )
    for row in session.execute(query):
        yield Place(row.site_id, row.outgoing_date, row.outgoing_shift), _tally(row)


def actions(session: Session, placer: Placer, scope: Scope) -> Placed:
    action, observation = FollowUpAction, Observation
    observed = case(
        (col(observation.shift_name).is_(None), minute_of(observation.observed_at)), else_=None
    )
    done = minute_of(action.done_at)
    keys = (action.site_id, action.due_on, observation.shift_name, observed, done)
    query = (
        select(*keys[:3], observed.label("observed"), done.label("done"), func.count())
        .join(observation, col(observation.id) == action.observation_id)
        .where(
            col(action.site_id).in_(scope.site_ids),
            action.source == ActionSource.observation,
            observation.theme_id == scope.theme.id,
            col(observation.voided_at).is_(None),
            col(action.due_on).between(scope.weeks.first, scope.weeks.end),
        )
        .group_by(*keys)
    )
    for site_id, due_on, shift, observed_at, done_at, count in session.execute(query):
        if shift is None and observed_at is not None:
            shift = placer.place(site_id, observed_at).shift
        on_time = done_at is not None and done_at < placer.deadline(site_id, due_on)
        yield (
            Place(site_id, due_on, shift),
            Tally(actions_due=count, actions_on_time=count * on_time),
        )


def snapshots(session: Session, placer: Placer, scope: Scope) -> Placed:
    """Every interaction snapshot at the site, whatever theme it was taken for: like notes,
    they say how the site's interactions are, which every theme at the site rests on."""
    taps = sum((getattr(InteractionSnapshot, kind.value) for kind in InteractionKind), literal(0))
    positive = InteractionSnapshot.positive_social + InteractionSnapshot.positive_care
    measures = (
        func.count().label("snapshots"),
        func.coalesce(func.sum(taps), 0).label("snapshot_taps"),
        func.coalesce(func.sum(positive), 0).label("snapshot_positive_taps"),
    )
    for place, row in _grouped(
        session,
        placer,
        scope,
        InteractionSnapshot,
        at=InteractionSnapshot.started_at,
        measures=measures,
        where=(),
    ):
        yield place, _tally(row)


Family = Callable[[Session, Placer, Scope], Placed]
FAMILIES: tuple[Family, ...] = (observations, notes, handovers, actions, snapshots)


def worked_out(session: Session, placer: Placer, scope: Scope) -> dict[Cell, Tally]:
    """The cells of the scope with anything in them, from the records."""
    return fold(
        (item for family in FAMILIES for item in family(session, placer, scope)),
        placer,
        scope.weeks,
    )
