"""The evidence pack of a learning theme: what it is, how it moved, how practice went by shift,
examples in staff's words, the actions taken and the alerts looked into, for a date range.

Everything a person wrote goes through ``app.governance.redaction``: no person supported is
named, and staff are named by their role only (also where the pack says who did what).
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import and_, or_
from sqlmodel import Session, col, select

from app.action.models import ActionSource, FollowUpAction
from app.auth.models import Membership, Role, User
from app.engagement.models import EngagementNote
from app.governance.chart import Figure, chart_figure
from app.governance.columns import COLUMNS
from app.governance.criteria import criteria_for
from app.governance.indicators import IndicatorRow, Scope, indicator_rows
from app.governance.models import DriftAlert, LifecycleProposal
from app.governance.redaction import Forms, redact, replacements
from app.governance.signals import BY_COLUMN, Measure, ThemeSignals, signals_of_rows
from app.governance.statements import Statement, quality_statements
from app.governance.weeks import ALL, DayKind, Placer, Weeks
from app.observation.models import Observation
from app.org.models import PersonSupported, Site
from app.record_weeks import monday_of
from app.theme.models import ThemeStatus, ThemeTransition

EXAMPLES_OF_EACH = 6
CHARTED = ("practice_score", "explain_why", "engaged_2plus", "theme_engaged_2plus")
OBSERVATION_FIELDS = {
    "went_well": "Went well",
    "next_step": "Next step",
    "context_notes": "Context",
}
NOTE_FIELDS = {
    "activity": "Activity",
    "helped_note": "What helped",
    "hindered_note": "What got in the way",
}


@dataclass(frozen=True)
class Move:
    at: datetime
    from_status: ThemeStatus
    to_status: ThemeStatus
    reason: str
    by: str


@dataclass(frozen=True)
class ActionLine:
    site: Site
    description: str
    owner: str
    due_on: date | None
    done_at: datetime | None
    outcome: str


@dataclass(frozen=True)
class AlertLine:
    alert: DriftAlert
    site: Site
    resolution: str
    resolved_by: str


@dataclass(frozen=True)
class ProposalLine:
    proposal: LifecycleProposal
    evidence: list[str]
    reason: str
    decided_by: str


@dataclass(frozen=True)
class Example:
    site: Site
    shift_date: date | None
    shift: str
    source: str
    field: str
    text: str


@dataclass(frozen=True)
class EvidencePack:
    scope: Scope
    why: str
    source_reference: str
    rows: list[IndicatorRow]
    charted: Weeks
    signals: dict[uuid.UUID, ThemeSignals]
    statements: list[Statement]
    history: list[Move]
    proposals: list[ProposalLine]
    actions: list[ActionLine]
    alerts: list[AlertLine]
    examples: list[Example]


class Staff:
    """Everyone with an account in the organisation (whether or not they still hold a
    role), to name them by role and to hide their names."""

    def __init__(self, session: Session, organisation_id: uuid.UUID) -> None:
        found = session.exec(
            select(User.id, User.name, Membership.site_id, Membership.role)
            .outerjoin(Membership, col(Membership.user_id) == User.id)
            .where(User.organisation_id == organisation_id)
        )
        self.names: dict[uuid.UUID, str] = {}
        self.roles: dict[uuid.UUID, dict[uuid.UUID | None, Role]] = defaultdict(dict)
        for user_id, name, site_id, role in found:
            self.names[user_id] = name
            if role is not None:
                self.roles[user_id][site_id] = role

    def role(self, user_id: uuid.UUID | None, site_id: uuid.UUID | None = None) -> str:
        """Their role in words, "a care worker": at the site, else across the organisation,
        else any they hold."""
        held = self.roles.get(user_id) if user_id else None
        if not held:
            return "a member of staff"
        role = held.get(site_id) or held.get(None) or next(iter(held.values()))
        words = role.label.lower()
        return f"{'an' if words[0] in 'aeiou' else 'a'} {words}"

    def name_roles(self) -> list[tuple[str, str]]:
        return [(name, self.role(user_id)) for user_id, name in self.names.items()]


def evidence_pack(session: Session, *, scope: Scope, today: date) -> EvidencePack:
    """The pack of ``scope`` (its theme, sites and weeks), read as of ``today``."""
    theme = scope.theme
    staff = Staff(session, theme.organisation_id)
    forms = replacements(_people_names(session, theme.organisation_id), staff.name_roles())
    rows = indicator_rows(session, scope=scope)
    charted = _complete_weeks(scope.weeks, today)
    signals = signals_of_rows(
        session,
        rows,
        scope=Scope(theme, scope.sites, charted),
        criteria=criteria_for(session, theme.organisation_id),
    )
    alerts = _alerts(session, scope, staff, forms)
    proposals = _proposals(session, scope, staff, forms)
    history = _history(session, scope, staff, forms)
    return EvidencePack(
        scope=scope,
        why=redact(theme.why, forms),
        source_reference=redact(theme.source_reference, forms),
        rows=rows,
        charted=charted,
        signals=signals,
        statements=quality_statements(
            _totals(rows), theme=theme, moves=len(history), alerts=[a.alert for a in alerts]
        ),
        history=history,
        proposals=proposals,
        actions=_actions(session, scope, staff, forms, today),
        alerts=alerts,
        examples=_examples(session, scope, forms),
    )


def _complete_weeks(weeks: Weeks, today: date) -> Weeks:
    """The weeks asked for, without the unfinished week (it would chart as a dip)."""
    last = min(weeks.last, monday_of(today) - timedelta(weeks=1))
    return Weeks(first=weeks.first, last=max(last, weeks.first))


def _period(weeks: Weeks) -> tuple[datetime, datetime]:
    """From the first Monday to the end of the last Sunday (UTC)."""
    first = datetime.combine(weeks.first, time(), UTC)
    return first, datetime.combine(weeks.end + timedelta(days=1), time(), UTC)


def _totals(rows: list[IndicatorRow]) -> dict[str, float]:
    """The counts of the whole period, over every site, shift and day."""
    counts = [column.name for column in COLUMNS if column.is_count]
    totals: dict[str, float] = defaultdict(float)
    for row in rows:
        if row.shift == ALL and row.day_kind is DayKind.all:
            for name in counts:
                totals[name] += row.values[name] or 0
    return totals


def _people_names(session: Session, organisation_id: uuid.UUID) -> list[str]:
    """Every preferred name of a person supported anywhere in the organisation."""
    return list(
        session.exec(
            select(PersonSupported.preferred_name)
            .join(Site, col(Site.id) == PersonSupported.site_id)
            .where(Site.organisation_id == organisation_id)
        )
    )


def _sites(scope: Scope) -> dict[uuid.UUID, Site]:
    return {site.id: site for site in scope.sites}


def _history(session: Session, scope: Scope, staff: Staff, forms: Forms) -> list[Move]:
    """The theme's moves up to the end of the period: how it came to where it was."""
    _start, end = _period(scope.weeks)
    found = session.exec(
        select(ThemeTransition)
        .where(ThemeTransition.theme_id == scope.theme.id, ThemeTransition.at < end)
        .order_by(col(ThemeTransition.at))
    )
    return [
        Move(m.at, m.from_status, m.to_status, redact(m.reason, forms), staff.role(m.actor_id))
        for m in found
    ]


def _proposals(session: Session, scope: Scope, staff: Staff, forms: Forms) -> list[ProposalLine]:
    start, end = _period(scope.weeks)
    found = session.exec(
        select(LifecycleProposal)
        .where(
            LifecycleProposal.theme_id == scope.theme.id,
            LifecycleProposal.proposed_at >= start,
            LifecycleProposal.proposed_at < end,
        )
        .order_by(col(LifecycleProposal.proposed_at))
    )
    return [
        ProposalLine(
            proposal=p,
            evidence=[redact(line, forms) for line in p.evidence],
            reason=redact(p.reason, forms),
            decided_by=staff.role(p.decided_by_id) if p.decided_by_id else "",
        )
        for p in found
    ]


def _alerts(session: Session, scope: Scope, staff: Staff, forms: Forms) -> list[AlertLine]:
    start, end = _period(scope.weeks)
    sites = _sites(scope)
    found = session.exec(
        select(DriftAlert)
        .where(
            DriftAlert.theme_id == scope.theme.id,
            col(DriftAlert.site_id).in_(scope.site_ids),
            DriftAlert.raised_at >= start,
            DriftAlert.raised_at < end,
        )
        .order_by(col(DriftAlert.raised_at), DriftAlert.words)
    )
    return [
        AlertLine(
            alert=alert,
            site=sites[alert.site_id],
            resolution=redact(alert.resolution, forms),
            resolved_by=staff.role(alert.resolved_by_id, alert.site_id)
            if alert.resolved_by_id
            else "",
        )
        for alert in found
    ]


def _actions(
    session: Session, scope: Scope, staff: Staff, forms: Forms, today: date
) -> list[ActionLine]:
    """The actions from observations of the theme due in the period (or, with no due date,
    set in it), like the indicators count them."""
    start, end = _period(scope.weeks)
    sites = _sites(scope)
    placer = Placer(session, scope.sites)
    found = session.exec(
        select(FollowUpAction)
        .join(Observation, col(Observation.id) == FollowUpAction.observation_id)
        .where(
            col(FollowUpAction.site_id).in_(scope.site_ids),
            FollowUpAction.source == ActionSource.observation,
            Observation.theme_id == scope.theme.id,
            col(Observation.voided_at).is_(None),
            or_(
                col(FollowUpAction.due_on).between(scope.weeks.first, scope.weeks.end),
                and_(
                    col(FollowUpAction.due_on).is_(None),
                    FollowUpAction.created_at >= start,
                    FollowUpAction.created_at < end,
                ),
            ),
        )
        .order_by(col(FollowUpAction.due_on), col(FollowUpAction.created_at))
    )
    return [
        ActionLine(
            site=sites[action.site_id],
            description=redact(action.description, forms),
            owner=staff.role(action.owner_id, action.site_id),
            due_on=action.due_on,
            done_at=action.done_at,
            outcome=_outcome(action, placer, today),
        )
        for action in found
    ]


def _outcome(action: FollowUpAction, placer: Placer, today: date) -> str:
    if action.due_on is None:
        return "done" if action.done_at else "open"
    if action.done_at is not None:
        on_time = action.done_at < placer.deadline(action.site_id, action.due_on)
        return "done on time" if on_time else "done late"
    return "overdue" if action.due_on < today else "open"


def _examples(session: Session, scope: Scope, forms: Forms) -> list[Example]:
    """The latest few lines of observation feedback and of notes with the theme, anonymised."""
    sites = _sites(scope)
    found: list[Example] = []
    for source, model, at, fields in (
        ("Observation", Observation, Observation.observed_at, OBSERVATION_FIELDS),
        ("Engagement note", EngagementNote, EngagementNote.occurred_at, NOTE_FIELDS),
    ):
        for record in _latest_written(session, scope, model, at, fields):
            for name, label in fields.items():
                if text := getattr(record, name).strip():
                    found.append(
                        Example(
                            site=sites[record.site_id],
                            shift_date=record.shift_date,
                            shift=record.shift_name or "",
                            source=source,
                            field=label,
                            text=redact(text, forms),
                        )
                    )
    return found


def _latest_written(
    session: Session, scope: Scope, model: Any, at: Any, fields: dict[str, str]
) -> Sequence[Any]:
    """The latest records of the theme in the period, not voided, with some words written."""
    start, end = _period(scope.weeks)
    return session.exec(
        select(model)
        .where(
            model.theme_id == scope.theme.id,
            col(model.site_id).in_(scope.site_ids),
            col(model.voided_at).is_(None),
            at >= start,
            at < end,
            or_(*(getattr(model, name) != "" for name in fields)),
        )
        .order_by(col(at).desc())
        .limit(EXAMPLES_OF_EACH)
    ).all()


@dataclass(frozen=True)
class ChartSet:
    """One measure at one site, a chart per shift (and every shift)."""

    site: Site
    measure: Measure
    charts: list[tuple[str, Figure]]


def chart_sets(pack: EvidencePack) -> list[ChartSet]:
    found = []
    for site in pack.scope.sites:
        signals = pack.signals[site.id]
        for column in CHARTED:
            charts = [
                (shift, chart_figure(signals.signal(column, shift).chart))
                for shift in (*signals.shifts, ALL)
            ]
            found.append(ChartSet(site, BY_COLUMN[column], charts))
    return found
