"""The snapshots API: the same service function as the page and the offline sync."""

from __future__ import annotations

from fastapi import APIRouter, Response
from fastapi.responses import JSONResponse

from app.auth.dependencies import ActorDep
from app.clock import ClockDep
from app.db import SessionDep
from app.snapshot import service
from app.snapshot.dependencies import SnapshotDep
from app.snapshot.models import InteractionSnapshot
from app.snapshot.schemas import SnapshotCreate, SnapshotPublic

api_router = APIRouter(prefix="/snapshots", tags=["snapshots"])


def snapshot_public(snapshot: InteractionSnapshot) -> SnapshotPublic:
    return SnapshotPublic.model_validate({**snapshot.model_dump(), "total": snapshot.total})


@api_router.post(
    "",
    name="snapshot_api:create",
    response_model=SnapshotPublic,
    status_code=201,
    responses={
        200: {"description": "Already saved with this id and the same content"},
        409: {"description": "This id holds a different snapshot"},
    },
)
def api_create_snapshot(
    data: SnapshotCreate, actor: ActorDep, session: SessionDep, clock: ClockDep
) -> Response:
    """Record an interaction snapshot. ``id`` is the client's idempotency key: sending the
    same snapshot again answers 200 with the one already saved; a different snapshot under
    the same id is a 409."""
    saved = service.record_interaction_snapshot(session, actor=actor, data=data, now=clock.now())
    body = snapshot_public(saved.record).model_dump(mode="json")
    return JSONResponse(body, status_code=201 if saved.created else 200)


@api_router.get("/{snapshot_id}", response_model=SnapshotPublic, name="snapshot_api:get")
def api_read_snapshot(snapshot: SnapshotDep) -> SnapshotPublic:
    return snapshot_public(snapshot)
