"""The observation, or the site observed, a page or API route is about: one the actor may read
(or observe at), or "not found"."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import Depends

from app.auth.dependencies import ActorDep
from app.auth.permissions import SiteCapability
from app.db import SessionDep
from app.observation import service
from app.observation.models import Observation
from app.org import service as org_service
from app.org.dependencies import site_for
from app.org.models import Site


def _load_observation(
    observation_id: uuid.UUID, actor: ActorDep, session: SessionDep
) -> Observation:
    return service.get_observation(session, actor=actor, observation_id=observation_id)


def _load_overseen_site(site_id: uuid.UUID, actor: ActorDep, session: SessionDep) -> Site:
    service.require_overseer(actor, site_id)
    return org_service.get_site(session, actor=actor, site_id=site_id)


ObservationDep = Annotated[Observation, Depends(_load_observation)]
SiteToObserveDep = Annotated[Site, Depends(site_for(SiteCapability.observe_practice))]
# A site whose observations the actor reads: its managers, quality leads and admins.
OverseenSiteDep = Annotated[Site, Depends(_load_overseen_site)]
