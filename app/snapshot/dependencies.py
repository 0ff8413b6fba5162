"""The snapshot, or the site to take one at, a page or API route is about: one the actor may
read (or take a snapshot at), or "not found"."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import Depends

from app.auth.dependencies import ActorDep
from app.auth.permissions import SiteCapability
from app.db import SessionDep
from app.org.dependencies import site_for
from app.org.models import Site
from app.snapshot import service
from app.snapshot.models import InteractionSnapshot


def _load_snapshot(
    snapshot_id: uuid.UUID, actor: ActorDep, session: SessionDep
) -> InteractionSnapshot:
    return service.get_snapshot(session, actor=actor, snapshot_id=snapshot_id)


SnapshotDep = Annotated[InteractionSnapshot, Depends(_load_snapshot)]
SiteToSnapshotDep = Annotated[Site, Depends(site_for(SiteCapability.record_snapshot))]
