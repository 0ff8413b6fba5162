"""``POST /api/v1/sync``: the outbox's batch endpoint."""

from __future__ import annotations

from fastapi import APIRouter

from app.auth.dependencies import ActorDep
from app.clock import ClockDep
from app.db import SessionDep
from app.errors import TooLarge
from app.sync import service
from app.sync.schemas import MAX_ITEMS, SyncAnswer, SyncBatch

api_router = APIRouter(prefix="/sync", tags=["sync"])


@api_router.post("", response_model=SyncAnswer, name="sync_api:sync")
def sync(batch: SyncBatch, actor: ActorDep, session: SessionDep, clock: ClockDep) -> SyncAnswer:
    """Record a batch of outbox items; the answer has one result per item, in order.

    An item leaves the phone's outbox only when its result is ``created`` or ``duplicate``.
    """
    if len(batch.items) > MAX_ITEMS:
        raise TooLarge(f"Send at most {MAX_ITEMS} items at a time.")
    results = service.sync_batch(session, actor=actor, items=batch.items, now=clock.now())
    return SyncAnswer(results=results)
