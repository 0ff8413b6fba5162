"""The governance API: indicator rows as JSON, or as CSV for a provider's BI tool; alerts,
proposals and criteria; and the quality meeting's decisions."""

from __future__ import annotations

import uuid
from dataclasses import asdict
from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse

from app.action import service as action_service
from app.action.schemas import ActionPublic
from app.auth.dependencies import ActorDep
from app.clock import ClockDep
from app.db import SessionDep
from app.errors import NotFound
from app.governance import alerts, decisions, lifecycle, service
from app.governance.criteria import Criteria, criteria_for, set_criteria
from app.governance.dependencies import (
    AlertDep,
    IndicatorScopeDep,
    ProposalDep,
    ThemeAtSiteDep,
)
from app.governance.evidence import evidence_pack
from app.governance.evidence_zip import pack_zip
from app.governance.indicators import csv_text, indicator_rows
from app.governance.schemas import (
    AlertPage,
    AlertPublic,
    AlertResolution,
    CriteriaInput,
    FlagPublic,
    IndicatorPage,
    MeetingDecisionCreate,
    ProposalDecision,
    ProposalPage,
    ProposalPublic,
    ShiftObserved,
    SignalPublic,
    SignalsPage,
)
from app.problems import problem_responses

api_router = APIRouter(prefix="/governance", tags=["governance"])

CSV = "text/csv"
ZIP = "application/zip"
CHART_FIELDS = ("direction", "target", "mean", "upper_limit", "lower_limit", "limits_note")


def wants_csv(request: Request) -> bool:
    return CSV in request.headers.get("accept", "")


@api_router.get(
    "/indicators",
    name="governance_api:indicators",
    response_model=IndicatorPage,
    responses={
        200: {
            "description": "The rows; as CSV with the same columns when you send "
            "`Accept: text/csv`.",
            "content": {CSV: {"schema": {"type": "string"}}},
        },
        **problem_responses(403, 404, 422),
    },
)
def api_indicators(scope: IndicatorScopeDep, session: SessionDep, request: Request) -> Any:
    """A learning theme's indicators per site, ISO week, shift and kind of day. Managers read
    their sites; quality leads and admins every site of the organisation."""
    rows = indicator_rows(session, scope=scope)
    if wants_csv(request):
        name = f"indicators-{scope.weeks.first}-{scope.weeks.end}.csv"
        return Response(
            csv_text(rows),
            media_type=CSV,
            headers={"Content-Disposition": f'attachment; filename="{name}"'},
        )
    return IndicatorPage(rows=[row.as_dict() for row in rows])


@api_router.get(
    "/evidence-pack",
    name="governance_api:evidence_pack",
    response_class=Response,
    responses={
        200: {
            "description": "A ZIP of five CSV files: `indicators.csv` (the rows of the "
            "indicators API), `lifecycle.csv`, `actions.csv`, `alerts.csv` and `examples.csv` "
            "(feedback and notes with no person supported named, staff by role only).",
            "content": {ZIP: {"schema": {"type": "string", "format": "binary"}}},
        },
        **problem_responses(403, 404, 422),
    },
)
def api_evidence_pack(scope: IndicatorScopeDep, session: SessionDep, clock: ClockDep) -> Response:
    """A learning theme's evidence pack for a period, per site or for every site you may read:
    the same query as the indicators."""
    pack = evidence_pack(session, scope=scope, today=clock.now().date())
    name = f"evidence-pack-{scope.weeks.first}-{scope.weeks.end}.zip"
    return Response(
        pack_zip(pack),
        media_type=ZIP,
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@api_router.get(
    "/signals",
    name="governance_api:signals",
    response_model=SignalsPage,
    responses=problem_responses(403, 404, 422),
)
def api_signals(
    place: ThemeAtSiteDep, actor: ActorDep, session: SessionDep, clock: ClockDep
) -> SignalsPage:
    """A learning theme at a site, read the *Making Data Count* way: for each indicator and
    shift, the weekly values of the last 26 complete weeks (from the first with records) as an
    XmR chart (mean, process limits, special-cause points, variation and assurance verdicts),
    when each shift was last observed, and the flags that need looking at."""
    reading = service.read_theme_at_site(
        session, actor=actor, theme=place.theme, site=place.site, now=clock.now()
    )
    signals = reading.signals
    return SignalsPage(
        theme_id=place.theme.id,
        site_id=place.site.id,
        first_week=signals.weeks.first,
        last_week=signals.weeks.last,
        weeks_at_target=reading.weeks_embedded,
        observed=[
            ShiftObserved(shift=shift, last_observed=day)
            for shift, day in signals.last_observed.items()
        ],
        flags=[FlagPublic.model_validate(flag) for flag in reading.flags],
        signals=[
            SignalPublic.model_validate(
                {
                    **{name: getattr(signal.chart, name) for name in CHART_FIELDS},
                    "indicator": signal.measure.column,
                    "shift": signal.shift,
                    "variation": signal.chart.variation,
                    "assurance": signal.chart.assurance,
                    "points": signal.chart.points,
                }
            )
            for signal in signals.signals
        ],
    )


@api_router.get(
    "/alerts",
    name="governance_api:alerts",
    response_model=AlertPage,
    responses=problem_responses(404, 422),
)
def api_alerts(actor: ActorDep, session: SessionDep, site_id: uuid.UUID | None = None) -> AlertPage:
    """The open drift alerts at the sites whose indicators you may read (or at one of them),
    newest first."""
    if site_id is not None and site_id not in actor.site_ids:
        raise NotFound()
    sites = [site_id] if site_id else sorted(actor.site_ids)
    found = alerts.open_alerts(session, actor=actor, site_ids=sites)
    return AlertPage(alerts=[AlertPublic.model_validate(alert) for alert in found])


@api_router.post(
    "/alerts/{alert_id}/seen",
    name="governance_api:alert_seen",
    response_model=AlertPublic,
    responses=problem_responses(403, 404),
)
def api_alert_seen(
    alert: AlertDep, actor: ActorDep, session: SessionDep, clock: ClockDep
) -> AlertPublic:
    """Say you have seen the alert; the first to say so is kept."""
    seen = alerts.mark_seen(session, actor=actor, alert=alert, now=clock.now())
    return AlertPublic.model_validate(seen)


@api_router.post(
    "/alerts/{alert_id}/resolve",
    name="governance_api:alert_resolve",
    response_model=AlertPublic,
    responses=problem_responses(403, 404, 409, 422),
)
def api_alert_resolve(
    alert: AlertDep,
    data: AlertResolution,
    actor: ActorDep,
    session: SessionDep,
    clock: ClockDep,
) -> AlertPublic:
    """Resolve an open alert, saying how. An alert already resolved answers 409."""
    resolved = alerts.resolve_alert(
        session, actor=actor, alert=alert, resolution=data.resolution, now=clock.now()
    )
    return AlertPublic.model_validate(resolved)


@api_router.get("/proposals", name="governance_api:proposals", response_model=ProposalPage)
def api_proposals(actor: ActorDep, session: SessionDep) -> ProposalPage:
    """Lifecycle moves the evidence supports, waiting for a quality lead's decision (empty for
    anyone else), newest first."""
    found = lifecycle.open_proposals(session, actor=actor)
    return ProposalPage(proposals=[ProposalPublic.model_validate(p) for p in found])


@api_router.post(
    "/proposals/{proposal_id}/decision",
    name="governance_api:proposal_decision",
    response_model=ProposalPublic,
    responses=problem_responses(403, 404, 409, 422),
)
def api_proposal_decision(
    proposal: ProposalDep,
    data: ProposalDecision,
    actor: ActorDep,
    session: SessionDep,
    clock: ClockDep,
) -> ProposalPublic:
    """Confirm a proposed move (the theme moves; the reason and the evidence go into its
    history) or decline it, with a reason either way. Decided already, or the theme moved
    meanwhile: 409."""
    decided = lifecycle.decide(
        session,
        actor=actor,
        proposal=proposal,
        decision=data.decision,
        reason=data.reason,
        now=clock.now(),
    )
    return ProposalPublic.model_validate(decided)


@api_router.get("/criteria", name="governance_api:criteria", response_model=CriteriaInput)
def api_criteria(actor: ActorDep, session: SessionDep) -> CriteriaInput:
    """Your organisation's criteria: what counts as embedded, and when a drift is raised."""
    return criteria_input(criteria_for(session, actor.organisation_id))


@api_router.put(
    "/criteria",
    name="governance_api:set_criteria",
    response_model=CriteriaInput,
    responses=problem_responses(403, 422),
)
def api_set_criteria(
    data: CriteriaInput, actor: ActorDep, session: SessionDep, clock: ClockDep
) -> CriteriaInput:
    """Change your organisation's criteria (quality leads and admins). The next governance
    check and every dashboard read with them."""
    saved = set_criteria(
        session, actor=actor, criteria=Criteria(**data.model_dump()), now=clock.now()
    )
    return criteria_input(saved)


def criteria_input(criteria: Criteria) -> CriteriaInput:
    return CriteriaInput.model_validate(
        {
            name: int(value) if isinstance(value, float) else value
            for name, value in asdict(criteria).items()
        }
    )


@api_router.post(
    "/meeting/decisions",
    name="governance_api:meeting_decision",
    response_model=ActionPublic,
    status_code=201,
    responses={
        200: {"description": "Already saved with this id and the same content"},
        409: {"description": "This id holds a different record"},
    },
)
def api_record_meeting_decision(
    data: MeetingDecisionCreate, actor: ActorDep, session: SessionDep, clock: ClockDep
) -> Response:
    """Record what the quality meeting decided for a site, as an action with an owner (someone
    who works at the site) and a due date, for the week holding ``week``. ``id`` is the client's
    idempotency key: the same decision sent again answers 200 with the one already saved. The
    owner finds it among their actions; ``GET /actions?meeting_week=`` lists a week's."""
    now = clock.now()
    saved = decisions.record_decision(session, actor=actor, data=data, now=now)
    overdue = action_service.overdue_ids(session, [saved.record], now=now)
    body = ActionPublic.of(saved.record, overdue=overdue).model_dump(mode="json")
    return JSONResponse(body, status_code=201 if saved.created else 200)
