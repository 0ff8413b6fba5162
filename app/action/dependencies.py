"""The follow-up action, or the site whose actions, a page or API route is about: one the actor
may see (or oversee), or "not found"."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import Depends

from app.action import service
from app.action.models import FollowUpAction
from app.auth.dependencies import ActorDep
from app.auth.permissions import SiteCapability
from app.db import SessionDep
from app.org.dependencies import site_for
from app.org.models import Site


def _load_action(action_id: uuid.UUID, actor: ActorDep, session: SessionDep) -> FollowUpAction:
    return service.get_action(session, actor=actor, action_id=action_id)


ActionDep = Annotated[FollowUpAction, Depends(_load_action)]
SiteActionsDep = Annotated[Site, Depends(site_for(SiteCapability.oversee_actions))]
