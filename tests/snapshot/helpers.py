"""Shared pieces of the snapshot tests: a snapshot's JSON, and one recorded through the service."""

from __future__ import annotations

import uuid
from typing import Any

from sqlmodel import Session

from app.snapshot import service
from app.snapshot.models import InteractionSnapshot
from app.snapshot.schemas import SnapshotCreate
from tests.support import START, World, actor_for


def snapshot_json(world: World, **overrides: Any) -> dict[str, Any]:
    """Ten minutes in the lounge at Rosewood: mostly positive, one restrictive interaction."""
    return {
        "id": str(uuid.uuid4()),
        "site_id": str(world.site.id),
        "started_at": "2026-11-23T09:45:00Z",
        "minutes": 10,
        "location": "Lounge",
        "positive_social": 6,
        "positive_care": 3,
        "neutral": 2,
        "protective_restrictive": 0,
        "restrictive": 1,
        **overrides,
    }


def take_snapshot(
    session: Session, world: World, *, by: str = "manager", **overrides: Any
) -> InteractionSnapshot:
    """A snapshot recorded through the service, as the offline sync would."""
    data = SnapshotCreate.model_validate(snapshot_json(world, **overrides))
    actor = actor_for(session, world.user(by))
    saved = service.record_interaction_snapshot(session, actor=actor, data=data, now=START)
    session.commit()
    return saved.record
