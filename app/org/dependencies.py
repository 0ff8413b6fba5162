"""The site, person supported or staff member a page or API route is about: one the actor may
see (and, when a capability is named, act on), or "not found".

Pages and the API take the same dependencies, so a record is looked up once, in one way. Another
site's id is "not found" whether or not it exists; a site the actor belongs to but may not act on
in that way is "not allowed".
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Annotated

from fastapi import Depends

from app.auth.dependencies import ActorDep
from app.auth.permissions import SiteCapability
from app.db import SessionDep
from app.org import service, staff
from app.org.models import PersonSupported, Site


def site_for(capability: SiteCapability) -> Callable[..., Site]:
    """A dependency: the site ``{site_id}`` names, if the actor may do ``capability`` there.
    Other domains make their own (``site_for(SiteCapability.observe_practice)``)."""

    def load_site(site_id: uuid.UUID, actor: ActorDep, session: SessionDep) -> Site:
        return service.get_site(session, actor=actor, site_id=site_id, capability=capability)

    return load_site


def _load_person(person_id: uuid.UUID, actor: ActorDep, session: SessionDep) -> PersonSupported:
    return service.get_person(session, actor=actor, person_id=person_id)


def _load_person_to_manage(
    person_id: uuid.UUID, actor: ActorDep, session: SessionDep
) -> PersonSupported:
    return service.get_person(
        session, actor=actor, person_id=person_id, capability=SiteCapability.manage_people
    )


SiteDep = Annotated[Site, Depends(site_for(SiteCapability.view))]
SiteToEditDep = Annotated[Site, Depends(site_for(SiteCapability.edit_site))]
SiteShiftsDep = Annotated[Site, Depends(site_for(SiteCapability.manage_shifts))]
SitePeopleDep = Annotated[Site, Depends(site_for(SiteCapability.manage_people))]
SiteStaffDep = Annotated[Site, Depends(site_for(SiteCapability.manage_staff))]
PersonDep = Annotated[PersonSupported, Depends(_load_person)]
PersonToManageDep = Annotated[PersonSupported, Depends(_load_person_to_manage)]


def _load_staff_member(
    user_id: uuid.UUID, site: SiteStaffDep, actor: ActorDep, session: SessionDep
) -> staff.StaffMember:
    return staff.get_site_staff_member(session, actor=actor, site_id=site.id, user_id=user_id)


StaffMemberDep = Annotated[staff.StaffMember, Depends(_load_staff_member)]
