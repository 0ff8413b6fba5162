"""Shared pieces of the observation tests: a recorded observation, its JSON, counting rows."""

from __future__ import annotations

import uuid
from typing import Any

from sqlmodel import Session, SQLModel, func, select

from app.observation import service
from app.observation.models import Observation
from app.observation.schemas import ObservationCreate
from app.theme import service as theme_service
from app.theme.models import LearningTheme
from tests.support import START, World, actor_for


def behaviour_ids(session: Session, theme: LearningTheme) -> list[str]:
    view = theme_service.view_theme(session, theme=theme)
    return [str(behaviour.id) for behaviour in view.behaviours]


def fresh(session: Session) -> Session:
    """End the test's read transaction, so what it reads next includes the app's writes."""
    session.rollback()
    session.expire_all()
    return session


def observation_json(world: World, session: Session, **overrides: Any) -> dict[str, Any]:
    """An observation of the carer at Rosewood: the first behaviour seen, the second in part."""
    first, second, _third = behaviour_ids(session, world.theme)
    return {
        "id": str(uuid.uuid4()),
        "site_id": str(world.site.id),
        "theme_id": str(world.theme.id),
        "observed_user_id": str(world.carer.id),
        "location": "Lounge",
        "ratings": {first: 2, second: 1},
        "could_explain": "partly",
        "went_well": "You offered Ada a choice of two activities.",
        "next_step": "Wait for her answer before starting.",
        **overrides,
    }


def observe(
    session: Session, world: World, *, by: str = "manager", **overrides: Any
) -> Observation:
    """An observation recorded through the service, as the offline sync would."""
    data = ObservationCreate.model_validate(observation_json(world, session, **overrides))
    actor = actor_for(session, world.user(by))
    saved = service.record_observation(session, actor=actor, data=data, now=START)
    session.commit()
    return saved.record


def count(session: Session, model: type[SQLModel]) -> int:
    return fresh(session).exec(select(func.count()).select_from(model)).one()
