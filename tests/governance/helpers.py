"""Hand-made records for the indicator tests, each made through the service a phone would use.

Times are UTC instants; Rosewood House is in Europe/London with the Early (07:00–14:30), Late
(14:00–21:30) and Night (21:00–07:30) shifts of ``tests.support.PATTERN``.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta
from typing import Any

from sqlmodel import Session

from app.action import service as action_service
from app.action.models import FollowUpAction
from app.engagement import service as engagement_service
from app.engagement.changes import void_note
from app.engagement.models import EngagementNote
from app.engagement.schemas import EngagementNoteCreate
from app.handover import recording
from app.handover import service as handover_service
from app.handover.models import Handover
from app.handover.schemas import (
    AttendanceCreate,
    HandoverStart,
    PromptResponseCreate,
    ShiftChoice,
)
from app.observation import service as observation_service
from app.observation.models import Observation
from app.observation.schemas import ObservationCreate
from app.theme import service as theme_service
from tests.observation.helpers import behaviour_ids
from tests.support import World, actor_for

AFTER = timedelta(minutes=5)


def note(
    session: Session,
    world: World,
    at: datetime,
    *,
    level: int = 2,
    recorded: datetime | None = None,
    **fields: Any,
) -> EngagementNote:
    """A note by the carer about Ada, recorded a few minutes after it happened (or at
    ``recorded``, for a late entry)."""
    data = EngagementNoteCreate.model_validate(
        {"id": uuid.uuid4(), "person_id": world.person.id, "level": level, "occurred_at": at}
        | fields
    )
    saved = engagement_service.record_engagement_note(
        session, actor=actor_for(session, world.carer), data=data, now=recorded or at + AFTER
    )
    session.commit()
    return saved.record


def voided_note(session: Session, world: World, at: datetime, **fields: Any) -> EngagementNote:
    made = note(session, world, at, **fields)
    void_note(
        session, actor=actor_for(session, world.carer), note=made, reason="Wrong person", now=at
    )
    session.commit()
    return made


def observation(
    session: Session,
    world: World,
    at: datetime,
    *,
    ratings: tuple[int | None, ...] = (2, 2, 2),
    could_explain: str = "yes",
    actions: tuple[tuple[date, datetime | None], ...] = (),
) -> Observation:
    """The manager observes the carer; each action is (due on, done at or None)."""
    behaviours = behaviour_ids(session, world.theme)
    data = ObservationCreate.model_validate(
        {
            "id": uuid.uuid4(),
            "site_id": world.site.id,
            "theme_id": world.theme.id,
            "observed_user_id": world.carer.id,
            "observed_at": at,
            "ratings": dict(zip(behaviours, ratings, strict=True)),
            "could_explain": could_explain,
            "actions": [
                {
                    "id": uuid.uuid4(),
                    "description": "Practise offering a choice",
                    "owner_id": world.carer.id,
                    "due_on": due_on,
                }
                for due_on, _done in actions
            ],
        }
    )
    manager = actor_for(session, world.manager)
    saved = observation_service.record_observation(session, actor=manager, data=data, now=at)
    for (_due, done_at), action_data in zip(actions, data.actions, strict=True):
        if done_at is not None:
            action = session.get_one(FollowUpAction, action_data.id)
            action_service.complete_action(session, actor=manager, action=action, now=done_at)
    session.commit()
    return saved.record


def voided_observation(session: Session, world: World, at: datetime, **fields: Any) -> Observation:
    made = observation(session, world, at, **fields)
    observation_service.void_observation(
        session, actor=actor_for(session, world.manager), observation=made, reason="Wrong", now=at
    )
    session.commit()
    return made


def handover(
    session: Session,
    world: World,
    outgoing: tuple[str, date],
    incoming: tuple[str, date],
    at: datetime,
    *,
    answers: tuple[bool, ...] = (),
    manager_there: bool = False,
    complete: bool = True,
) -> Handover:
    """The team lead hands ``outgoing`` over to ``incoming`` at ``at``, answering the theme's
    prompt once per item of ``answers`` (discussed or not; the last answer counts)."""
    lead = actor_for(session, world.lead)
    started = handover_service.start_handover(
        session,
        actor=lead,
        data=HandoverStart(
            id=uuid.uuid4(),
            site_id=world.site.id,
            outgoing=ShiftChoice(name=outgoing[0], date=outgoing[1]),
            incoming=ShiftChoice(name=incoming[0], date=incoming[1]),
        ),
        now=at,
    ).record
    prompt_id = theme_service.view_theme(session, theme=world.theme).prompts[0].id
    for minute, discussed in enumerate(answers, start=1):
        recording.record_prompt_response(
            session,
            actor=lead,
            handover=started,
            data=PromptResponseCreate(
                id=uuid.uuid4(), prompt_id=prompt_id, discussed=discussed, note="Talked it over"
            ),
            now=at + timedelta(minutes=minute),
        )
    if manager_there:
        recording.record_attendance(
            session,
            actor=lead,
            handover=started,
            data=AttendanceCreate(user_id=world.manager.id),
            now=at,
        )
    if complete:
        handover_service.complete_handover(
            session, actor=lead, handover=started, now=at + timedelta(minutes=20)
        )
    session.commit()
    return started
