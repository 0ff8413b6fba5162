"""Governance pages: the site dashboard, and a theme's trends at a site."""

from __future__ import annotations

from dataclasses import asdict
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Request, Response
from sqlmodel import Session
from starlette.datastructures import URL

from app.auth import service as auth_service
from app.auth.actor import Actor
from app.auth.dependencies import PageActorDep
from app.auth.permissions import OrgCapability, SiteCapability
from app.clock import ClockDep
from app.db import SessionDep
from app.errors import Invalid, NotFound
from app.forms import FormDep, form_page, submit_form, validate
from app.governance import (
    alerts,
    dashboard,
    evidence,
    lifecycle,
    organisation,
    service,
)
from app.governance.chart import chart_figure
from app.governance.criteria import Criteria, criteria_for, set_criteria
from app.governance.dependencies import (
    AlertDep,
    IndicatorScopeDep,
    ProposalDep,
    SiteToReadDep,
    ThemeAtSiteDep,
)
from app.governance.flags import self_report_gaps
from app.governance.models import DriftAlert, LifecycleProposal
from app.governance.schemas import AlertResolution, CriteriaInput, ProposalDecision
from app.governance.signals import BY_COLUMN, MEASURES
from app.governance.weeks import ALL
from app.theme import service as theme_service
from app.web import redirect_to, render

router = APIRouter(tags=["governance"], include_in_schema=False)

DECISION_MESSAGES = {"decision": "Choose: confirm the move, or not yet."}
DECISION_NEEDED = {
    **DECISION_MESSAGES,
    "reason": "Say why: what the evidence shows, or why not yet.",
}
RESOLUTION_NEEDED = {"resolution": "Say how it was resolved: what you found, what was done."}


@router.get("/governance", name="governance:organisation")
def organisation_dashboard(
    request: Request,
    actor: PageActorDep,
    session: SessionDep,
    clock: ClockDep,
    sort: str = organisation.SITE_ORDER,
) -> Response:
    board = organisation.organisation_dashboard(session, actor=actor, now=clock.now(), sort=sort)
    proposals = lifecycle.open_proposals(session, actor=actor)
    titles = theme_service.theme_titles(session, theme_ids={p.theme_id for p in proposals})
    context = {
        "board": board,
        "proposals": proposals,
        "titles": titles,
        "can_set_criteria": actor.can_org(OrgCapability.manage_themes),
        "saved_criteria": request.query_params.get("saved") == "criteria",
    }
    return render(request, "governance/organisation.html", context)


@router.get("/governance/evidence-pack", name="governance:evidence_pack")
def evidence_pack_page(
    request: Request,
    actor: PageActorDep,
    scope: IndicatorScopeDep,
    session: SessionDep,
    clock: ClockDep,
) -> Response:
    """The printable pack (A4). ``actor`` comes first, so a signed-out reader is sent to sign
    in before the query is read."""
    pack = evidence.evidence_pack(session, scope=scope, today=clock.now().date())
    query = request.url.query
    context = {"pack": pack, "chart_sets": evidence.chart_sets(pack), "query": query}
    return render(request, "governance/evidence_pack.html", context)


@router.get("/sites/{site_id}/governance", name="governance:site")
def site_dashboard(
    request: Request, actor: PageActorDep, site: SiteToReadDep, session: SessionDep, clock: ClockDep
) -> Response:
    board = dashboard.site_dashboard(session, actor=actor, site=site, now=clock.now())
    open_alerts = alerts.open_alerts(session, actor=actor, site_ids=[site.id])
    titles = theme_service.theme_titles(session, theme_ids={a.theme_id for a in open_alerts})
    context = {"board": board, "alerts": open_alerts, "titles": titles}
    return render(request, "governance/site.html", context)


@router.get("/sites/{site_id}/themes/{theme_id}/trends", name="governance:trends")
def theme_trends(
    request: Request,
    actor: PageActorDep,
    place: ThemeAtSiteDep,
    session: SessionDep,
    clock: ClockDep,
    indicator: str = "practice_score",
) -> Response:
    measure = BY_COLUMN.get(indicator)
    if measure is None:
        raise NotFound()
    reading = service.read_theme_at_site(
        session, actor=actor, theme=place.theme, site=place.site, now=clock.now()
    )
    signals = reading.signals
    charts = [
        (shift, chart_figure(signals.signal(measure.column, shift).chart))
        for shift in (*signals.shifts, ALL)
    ]
    gaps = {shift: self_report_gaps(signals, shift)[-4:] for shift in signals.shifts}
    return render(
        request,
        "governance/trends.html",
        {
            "place": place,
            "reading": reading,
            "measure": measure,
            "measures": MEASURES,
            "charts": charts,
            "gaps": gaps,
        },
    )


@router.get("/alerts/{alert_id}", name="governance:alert")
def alert_page(
    request: Request, actor: PageActorDep, alert: AlertDep, session: SessionDep
) -> Response:
    return _alert_form(request, session, actor=actor, alert=alert, values={"resolution": ""})


@router.post("/alerts/{alert_id}/seen", name="governance:alert_seen")
def alert_seen(
    request: Request, actor: PageActorDep, alert: AlertDep, session: SessionDep, clock: ClockDep
) -> Response:
    alerts.mark_seen(session, actor=actor, alert=alert, now=clock.now())
    return redirect_to(request, "governance:alert", alert_id=alert.id)


@router.post("/alerts/{alert_id}/resolve", name="governance:alert_resolve")
def alert_resolve(
    request: Request,
    actor: PageActorDep,
    alert: AlertDep,
    form: FormDep,
    session: SessionDep,
    clock: ClockDep,
) -> Response:
    values = {"resolution": str(form.get("resolution", ""))}

    def save() -> URL:
        data = validate(AlertResolution, values, empty=RESOLUTION_NEEDED)
        alerts.resolve_alert(
            session, actor=actor, alert=alert, resolution=data.resolution, now=clock.now()
        )
        return request.url_for("governance:alert", alert_id=alert.id)

    return submit_form(
        session,
        save,
        show_again=lambda error: _alert_form(
            request, session, actor=actor, alert=alert, values=values, error=error
        ),
    )


def _alert_form(
    request: Request,
    session: Session,
    *,
    actor: Actor,
    alert: DriftAlert,
    values: dict[str, str],
    error: Invalid | None = None,
) -> Response:
    about = alerts.about(session, alert=alert)
    context = {
        "alert": alert,
        "about": about,
        "zone": ZoneInfo(about.site.time_zone),
        "can_respond": actor.can(SiteCapability.respond_to_alerts, alert.site_id),
        "values": values,
    }
    return form_page(request, "governance/alert.html", context, errors=error)


@router.get("/proposals/{proposal_id}", name="governance:proposal")
def proposal_page(
    request: Request, actor: PageActorDep, proposal: ProposalDep, session: SessionDep
) -> Response:
    return _proposal_form(request, session, actor=actor, proposal=proposal, values={"reason": ""})


@router.post("/proposals/{proposal_id}/decision", name="governance:proposal_decision")
def proposal_decision(
    request: Request,
    actor: PageActorDep,
    proposal: ProposalDep,
    form: FormDep,
    session: SessionDep,
    clock: ClockDep,
) -> Response:
    values = {"decision": str(form.get("decision", "")), "reason": str(form.get("reason", ""))}

    def save() -> URL:
        data = validate(ProposalDecision, values, messages=DECISION_MESSAGES, empty=DECISION_NEEDED)
        lifecycle.decide(
            session,
            actor=actor,
            proposal=proposal,
            decision=data.decision,
            reason=data.reason,
            now=clock.now(),
        )
        return request.url_for("governance:proposal", proposal_id=proposal.id)

    return submit_form(
        session,
        save,
        show_again=lambda error: _proposal_form(
            request, session, actor=actor, proposal=proposal, values=values, error=error
        ),
    )


def _proposal_form(
    request: Request,
    session: Session,
    *,
    actor: Actor,
    proposal: LifecycleProposal,
    values: dict[str, str],
    error: Invalid | None = None,
) -> Response:
    theme = theme_service.get_theme(session, actor=actor, theme_id=proposal.theme_id)
    names = auth_service.user_names(
        session, [proposal.decided_by_id] if proposal.decided_by_id else []
    )
    context = {"proposal": proposal, "theme": theme, "names": names, "values": values}
    return form_page(request, "governance/proposal.html", context, errors=error)


CRITERIA_MESSAGES = {
    "practice_target": "Enter a whole number from 0 to 100.",
    "explain_target": "Enter a whole number from 0 to 100.",
    "weeks_to_embed": "Enter a number of weeks from 2 to 52.",
    "observe_every_days": "Enter a number of days from 7 to 365.",
    "prompt_coverage_floor": "Enter a whole number from 0 to 100.",
    "gap_points": "Enter a number of points from 1 to 100.",
    "gap_weeks": "Enter a number of weeks from 1 to 26.",
    "require_passing_assurance": "Choose yes or no.",
}


@router.get("/governance/criteria", name="governance:criteria")
def criteria_page(request: Request, actor: PageActorDep, session: SessionDep) -> Response:
    actor.require_org(OrgCapability.manage_themes)
    saved = asdict(criteria_for(session, actor.organisation_id))
    values = {
        name: str(int(value)) if not isinstance(value, bool) else str(value).lower()
        for name, value in saved.items()
    }
    return form_page(request, "governance/criteria.html", {"values": values})


@router.post("/governance/criteria", name="governance:criteria_save")
def criteria_save(
    request: Request, actor: PageActorDep, form: FormDep, session: SessionDep, clock: ClockDep
) -> Response:
    actor.require_org(OrgCapability.manage_themes)
    values = {name: str(form.get(name, "")) for name in CRITERIA_MESSAGES}

    def save() -> URL:
        data = validate(CriteriaInput, values, messages=CRITERIA_MESSAGES)
        set_criteria(session, actor=actor, criteria=Criteria(**data.model_dump()), now=clock.now())
        return request.url_for("governance:organisation").include_query_params(saved="criteria")

    return submit_form(
        session,
        save,
        show_again=lambda error: form_page(
            request, "governance/criteria.html", {"values": values}, errors=error
        ),
    )
