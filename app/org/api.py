"""The JSON API for sites and the people supported there, read through the org services."""

from __future__ import annotations

import uuid

from fastapi import APIRouter

from app.auth.dependencies import ActorDep
from app.db import SessionDep
from app.org import service
from app.org.dependencies import SiteDep
from app.org.models import Shift, Site
from app.org.schemas import PersonPublic, ShiftPublic, SitePublic

api_router = APIRouter(tags=["sites"])


@api_router.get("/sites", response_model=list[SitePublic])
def api_sites(actor: ActorDep, session: SessionDep) -> list[SitePublic]:
    """The sites you belong to (every site of the organisation for an admin or quality lead),
    each with its shift pattern."""
    found = service.list_sites(session, actor=actor)
    patterns = service.list_shifts_by_site(
        session, actor=actor, site_ids=[site.id for site in found]
    )
    return [_site_public(site, patterns[site.id]) for site in found]


@api_router.get("/sites/{site_id}", response_model=SitePublic)
def api_site(site: SiteDep, actor: ActorDep, session: SessionDep) -> SitePublic:
    return _site_public(site, service.list_shifts(session, actor=actor, site_id=site.id))


@api_router.get("/sites/{site_id}/people", response_model=list[PersonPublic])
def api_people(
    site_id: uuid.UUID, actor: ActorDep, session: SessionDep, include_moved_out: bool = False
) -> list[PersonPublic]:
    """People supported at the site now. `include_moved_out=true` adds those who have moved out;
    only managers and admins may ask for it."""
    found = service.list_people(
        session, actor=actor, site_id=site_id, include_inactive=include_moved_out
    )
    return [PersonPublic.model_validate(person, from_attributes=True) for person in found]


def _site_public(site: Site, shifts: list[Shift]) -> SitePublic:
    return SitePublic(
        id=site.id,
        name=site.name,
        kind=site.kind,
        time_zone=site.time_zone,
        shifts=[ShiftPublic.model_validate(shift, from_attributes=True) for shift in shifts],
    )
