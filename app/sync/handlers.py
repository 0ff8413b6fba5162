"""What each outbox item type is, and the service function that records it."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pydantic import BaseModel
from sqlmodel import Session

from app.auth.actor import Actor
from app.engagement import service as engagement_service
from app.engagement.schemas import EngagementNoteCreate
from app.errors import Conflict, DomainError, Forbidden, Invalid, NotFound
from app.handover import recording as handover_recording
from app.handover import service as handover_service
from app.handover.schemas import AcknowledgementCreate, PromptResponseCreate
from app.observation import service as observation_service
from app.observation.schemas import ObservationCreate
from app.records import Stored
from app.schemas import Input
from app.snapshot import service as snapshot_service
from app.snapshot.schemas import SnapshotCreate

Outcome = Stored[Any] | DomainError
RecordMany = Callable[..., list[Outcome]]


@dataclass(frozen=True)
class Handler:
    """An item type: its payload's schema, and how a run of such items is recorded."""

    schema: type[Input]
    record_many: RecordMany


def one_at_a_time(record: Callable[..., Stored[Any]]) -> RecordMany:
    """Record items with a service that takes one at a time, each in its own savepoint, so a
    refused item changes nothing and the others are kept."""

    def record_many(
        session: Session, *, actor: Actor, items: Sequence[BaseModel], now: datetime
    ) -> list[Outcome]:
        outcomes: list[Outcome] = []
        for data in items:
            try:
                with session.begin_nested():
                    outcomes.append(record(session, actor=actor, data=data, now=now))
            except (Invalid, Conflict, Forbidden, NotFound) as refused:
                outcomes.append(refused)
        return outcomes

    return record_many


def _record_notes(
    session: Session, *, actor: Actor, items: Sequence[EngagementNoteCreate], now: datetime
) -> list[Outcome]:
    return list(
        engagement_service.record_engagement_notes(session, actor=actor, notes=items, now=now)
    )


class PromptResponseItem(PromptResponseCreate):
    handover_id: uuid.UUID


class AcknowledgementItem(AcknowledgementCreate):
    handover_id: uuid.UUID


def _record_prompt_response(
    session: Session, *, actor: Actor, data: PromptResponseItem, now: datetime
) -> Stored[Any]:
    handover = handover_service.get_handover(session, actor=actor, handover_id=data.handover_id)
    answer = PromptResponseCreate.model_validate(data.model_dump(exclude={"handover_id"}))
    return handover_recording.record_prompt_response(
        session, actor=actor, handover=handover, data=answer, now=now
    )


def _acknowledge_handover(
    session: Session, *, actor: Actor, data: AcknowledgementItem, now: datetime
) -> Stored[Any]:
    handover = handover_service.get_handover(session, actor=actor, handover_id=data.handover_id)
    acknowledgement = AcknowledgementCreate(id=data.id)
    return handover_service.acknowledge_handover(
        session, actor=actor, handover=handover, data=acknowledgement, now=now
    )


HANDLERS: dict[str, Handler] = {
    "engagement_note": Handler(EngagementNoteCreate, _record_notes),
    "observation": Handler(
        ObservationCreate, one_at_a_time(observation_service.record_observation)
    ),
    "interaction_snapshot": Handler(
        SnapshotCreate, one_at_a_time(snapshot_service.record_interaction_snapshot)
    ),
    "handover_prompt_response": Handler(PromptResponseItem, one_at_a_time(_record_prompt_response)),
    "handover_acknowledgement": Handler(AcknowledgementItem, one_at_a_time(_acknowledge_handover)),
}
