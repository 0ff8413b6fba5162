"""The engagement note, or the site whose notes, a page or API route is about: one the actor
may see (and act on), or "not found"."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import Depends

from app.auth.dependencies import ActorDep
from app.auth.permissions import SiteCapability
from app.db import SessionDep
from app.engagement import service
from app.engagement.models import EngagementNote
from app.org.dependencies import site_for
from app.org.models import Site


def _load_note(note_id: uuid.UUID, actor: ActorDep, session: SessionDep) -> EngagementNote:
    return service.get_note(session, actor=actor, note_id=note_id)


NoteDep = Annotated[EngagementNote, Depends(_load_note)]
SiteToReviewDep = Annotated[Site, Depends(site_for(SiteCapability.review_notes))]
SiteQuickPicksDep = Annotated[Site, Depends(site_for(SiteCapability.manage_quick_picks))]
