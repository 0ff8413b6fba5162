"""Governance pages: the site dashboard, and a theme's trends at a site."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from app.auth.dependencies import PageActorDep
from app.clock import ClockDep
from app.db import SessionDep
from app.errors import NotFound
from app.governance import dashboard, organisation, service
from app.governance.chart import chart_figure
from app.governance.dependencies import SiteToReadDep, ThemeAtSiteDep
from app.governance.flags import self_report_gaps
from app.governance.signals import BY_COLUMN, MEASURES
from app.governance.weeks import ALL
from app.web import render

router = APIRouter(tags=["governance"], include_in_schema=False)


@router.get("/governance", name="governance:organisation")
def organisation_dashboard(
    request: Request,
    actor: PageActorDep,
    session: SessionDep,
    clock: ClockDep,
    sort: str = organisation.SITE_ORDER,
) -> Response:
    board = organisation.organisation_dashboard(session, actor=actor, now=clock.now(), sort=sort)
    return render(request, "governance/organisation.html", {"board": board})


@router.get("/sites/{site_id}/governance", name="governance:site")
def site_dashboard(
    request: Request, actor: PageActorDep, site: SiteToReadDep, session: SessionDep, clock: ClockDep
) -> Response:
    board = dashboard.site_dashboard(session, actor=actor, site=site, now=clock.now())
    return render(request, "governance/site.html", {"board": board})


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
