"""What an indicators request is about: a theme and sites the reader may see, and the weeks.

A theme or site outside the reader's organisation or sites is "not found"; a site they belong to
whose indicators their role may not read is "not allowed". Dates that make no range are a 422
naming the field.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Annotated

from fastapi import Depends, Query
from sqlmodel import Session

from app.auth.actor import Actor
from app.auth.dependencies import ActorDep
from app.auth.permissions import SiteCapability
from app.clock import ClockDep
from app.db import SessionDep, by_id
from app.errors import Forbidden, Invalid, NotFound
from app.governance import alerts, lifecycle
from app.governance.indicators import Scope
from app.governance.models import DriftAlert, LifecycleProposal
from app.governance.schemas import IndicatorQuery
from app.governance.weeks import Weeks
from app.org import service as org_service
from app.org.dependencies import site_for
from app.org.models import Site
from app.theme import service as theme_service
from app.theme.dependencies import ThemeDep
from app.theme.models import LearningTheme

DEFAULT_WEEKS = 12
MAX_YEARS = 2


def weeks_asked(query: IndicatorQuery, *, today: date) -> Weeks:
    end = query.to or today
    start = query.from_ or end - timedelta(weeks=DEFAULT_WEEKS - 1)
    if end < start:
        field = "to" if query.to else "from"
        raise Invalid.one(field, "The range must end on or after the day it starts.")
    if end > years_after(start, MAX_YEARS):
        raise Invalid.one("to", "Ask for at most two years at a time.")
    return Weeks.covering(start, end)


def years_after(day: date, years: int) -> date:
    """The same day ``years`` later; 29 February is followed by 28 February."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def sites_to_read(
    session: Session, *, actor: Actor, theme: LearningTheme, query: IndicatorQuery
) -> list[Site]:
    """The site asked for, or every site of the theme whose indicators the actor may read."""
    capability = SiteCapability.read_indicators
    if query.site_id is not None:
        return [
            org_service.get_site(session, actor=actor, site_id=query.site_id, capability=capability)
        ]
    if not any(actor.can(capability, site_id) for site_id in actor.site_ids):
        raise Forbidden()
    theme_sites = theme_service.view_theme(session, theme=theme).site_ids
    readable = [site_id for site_id in theme_sites if actor.can(capability, site_id)]
    return sorted(by_id(session, Site, readable).values(), key=lambda site: site.name)


def _load_scope(
    query: Annotated[IndicatorQuery, Query()],
    actor: ActorDep,
    session: SessionDep,
    clock: ClockDep,
) -> Scope:
    theme = theme_service.get_theme(session, actor=actor, theme_id=query.theme_id)
    sites = sites_to_read(session, actor=actor, theme=theme, query=query)
    return Scope(theme=theme, sites=sites, weeks=weeks_asked(query, today=clock.now().date()))


IndicatorScopeDep = Annotated[Scope, Depends(_load_scope)]


@dataclass(frozen=True)
class ThemeAtSite:
    theme: LearningTheme
    site: Site


def _load_theme_at_site(
    site: Annotated[Site, Depends(site_for(SiteCapability.read_indicators))],
    theme: ThemeDep,
    session: SessionDep,
) -> ThemeAtSite:
    """A theme the reader may see, at one of its sites whose indicators they may read; a theme
    not at that site is "not found". ``theme_id`` and ``site_id`` come from the path of a page
    and from the query of the API."""
    if site.id not in theme_service.view_theme(session, theme=theme).site_ids:
        raise NotFound()
    return ThemeAtSite(theme=theme, site=site)


SiteToReadDep = Annotated[Site, Depends(site_for(SiteCapability.read_indicators))]
ThemeAtSiteDep = Annotated[ThemeAtSite, Depends(_load_theme_at_site)]


def _load_alert(alert_id: uuid.UUID, actor: ActorDep, session: SessionDep) -> DriftAlert:
    return alerts.get_alert(session, actor=actor, alert_id=alert_id)


AlertDep = Annotated[DriftAlert, Depends(_load_alert)]


def _load_proposal(
    proposal_id: uuid.UUID, actor: ActorDep, session: SessionDep
) -> LifecycleProposal:
    return lifecycle.get_proposal(session, actor=actor, proposal_id=proposal_id)


ProposalDep = Annotated[LifecycleProposal, Depends(_load_proposal)]
