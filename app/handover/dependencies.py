"""The handover, or the site whose handovers, a page or API route is about: one the actor may
see (or lead), or "not found"."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import Depends

from app.auth.dependencies import ActorDep
from app.auth.permissions import SiteCapability
from app.db import SessionDep
from app.handover import service
from app.handover.models import Handover
from app.org.dependencies import site_for
from app.org.models import Site


def _load_handover(handover_id: uuid.UUID, actor: ActorDep, session: SessionDep) -> Handover:
    return service.get_handover(session, actor=actor, handover_id=handover_id)


HandoverDep = Annotated[Handover, Depends(_load_handover)]
SiteToLeadDep = Annotated[Site, Depends(site_for(SiteCapability.lead_shift))]
