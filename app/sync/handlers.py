"""What each outbox item type is, and the service function that records it."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pydantic import BaseModel
from sqlmodel import Session

from app.auth.actor import Actor
from app.engagement import service as engagement_service
from app.engagement.schemas import EngagementNoteCreate
from app.handover import recording as handover_recording
from app.handover import service as handover_service
from app.handover.schemas import AcknowledgementCreate, PromptResponseCreate
from app.observation import service as observation_service
from app.observation.schemas import ObservationCreate
from app.records import Saved


@dataclass(frozen=True)
class Handler:
    schema: type[BaseModel]
    record: Callable[..., Saved[Any]]

    def __call__(
        self, session: Session, *, actor: Actor, data: BaseModel, now: datetime
    ) -> Saved[Any]:
        return self.record(session, actor=actor, data=data, now=now)


class PromptResponseItem(PromptResponseCreate):
    handover_id: uuid.UUID


class AcknowledgementItem(AcknowledgementCreate):
    handover_id: uuid.UUID


def _record_prompt_response(
    session: Session, *, actor: Actor, data: PromptResponseItem, now: datetime
) -> Saved[Any]:
    handover = handover_service.get_handover(session, actor=actor, handover_id=data.handover_id)
    answer = PromptResponseCreate.model_validate(data.model_dump(exclude={"handover_id"}))
    return handover_recording.record_prompt_response(
        session, actor=actor, handover=handover, data=answer, now=now
    )


def _acknowledge_handover(
    session: Session, *, actor: Actor, data: AcknowledgementItem, now: datetime
) -> Saved[Any]:
    handover = handover_service.get_handover(session, actor=actor, handover_id=data.handover_id)
    acknowledgement = AcknowledgementCreate(id=data.id)
    return handover_service.acknowledge_handover(
        session, actor=actor, handover=handover, data=acknowledgement, now=now
    )


HANDLERS: dict[str, Handler] = {
    "engagement_note": Handler(EngagementNoteCreate, engagement_service.record_engagement_note),
    "observation": Handler(ObservationCreate, observation_service.record_observation),
    "handover_prompt_response": Handler(PromptResponseItem, _record_prompt_response),
    "handover_acknowledgement": Handler(AcknowledgementItem, _acknowledge_handover),
}
