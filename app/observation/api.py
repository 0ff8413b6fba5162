"""The observations API: the same service functions as the pages and the offline sync."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Response
from fastapi.responses import JSONResponse
from sqlmodel import Session

from app.auth.dependencies import ActorDep
from app.clock import ClockDep
from app.db import SessionDep
from app.observation import service
from app.observation.dependencies import ObservationDep
from app.observation.models import Observation
from app.observation.schemas import (
    ObservationCreate,
    ObservationPage,
    ObservationPublic,
    RatingPublic,
    ReflectionInput,
    VoidRequest,
)
from app.schemas import IsoDateTime, Limit, Offset

api_router = APIRouter(prefix="/observations", tags=["observations"])


def observations_public(
    session: Session, observations: list[Observation]
) -> list[ObservationPublic]:
    ratings = service.ratings_of(session, observations=observations)
    return [
        ObservationPublic.model_validate(
            {
                **observation.model_dump(),
                "ratings": [
                    RatingPublic(behaviour_id=r.behaviour_id, behaviour=r.text, rating=r.rating)
                    for r in ratings[observation.id]
                ],
                "voided": observation.voided_at is not None,
            }
        )
        for observation in observations
    ]


def observation_public(session: Session, observation: Observation) -> ObservationPublic:
    return observations_public(session, [observation])[0]


@api_router.post(
    "",
    name="observation_api:create",
    response_model=ObservationPublic,
    status_code=201,
    responses={
        200: {"description": "Already saved with this id and the same content"},
        409: {"description": "This id holds a different observation"},
    },
)
def api_create_observation(
    data: ObservationCreate, actor: ActorDep, session: SessionDep, clock: ClockDep
) -> Response:
    """Record an observation and its follow-up actions. ``id`` is the client's idempotency
    key: sending the same observation again answers 200 with the one already saved; a
    different observation under the same id is a 409."""
    saved = service.record_observation(session, actor=actor, data=data, now=clock.now())
    body = observation_public(session, saved.record).model_dump(mode="json")
    return JSONResponse(body, status_code=201 if saved.created else 200)


@api_router.get("", response_model=ObservationPage, name="observation_api:list")
def api_list_observations(
    actor: ActorDep,
    session: SessionDep,
    site_id: uuid.UUID | None = None,
    theme_id: uuid.UUID | None = None,
    observed_user_id: uuid.UUID | None = None,
    observed_from: Annotated[IsoDateTime | None, Query(alias="from")] = None,
    observed_to: Annotated[IsoDateTime | None, Query(alias="to")] = None,
    include_voided: bool = False,
    limit: Limit = 50,
    offset: Offset = 0,
) -> ObservationPage:
    """Observations you may read, newest first: all of a site's if you manage it or lead on
    quality, otherwise the ones you made or that are about you. ``from`` is inclusive, ``to``
    exclusive."""
    where = service.ObservationFilter(
        site_id=site_id,
        theme_id=theme_id,
        observed_user_id=observed_user_id,
        observed_from=observed_from,
        observed_to=observed_to,
        include_voided=include_voided,
    )
    found = service.list_observations(
        session, actor=actor, where=where, limit=limit + 1, offset=offset
    )
    return ObservationPage(
        items=observations_public(session, found[:limit]),
        next_offset=offset + limit if len(found) > limit else None,
    )


@api_router.get("/{observation_id}", response_model=ObservationPublic, name="observation_api:get")
def api_read_observation(observation: ObservationDep, session: SessionDep) -> ObservationPublic:
    return observation_public(session, observation)


@api_router.put(
    "/{observation_id}/reflection",
    response_model=ObservationPublic,
    name="observation_api:reflect",
)
def api_reflect(
    observation: ObservationDep,
    data: ReflectionInput,
    actor: ActorDep,
    session: SessionDep,
    clock: ClockDep,
) -> ObservationPublic:
    """The staff member observed adds their reflection, or replaces the one they added."""
    service.add_reflection(
        session, actor=actor, observation=observation, reflection=data.reflection, now=clock.now()
    )
    return observation_public(session, observation)


@api_router.post(
    "/{observation_id}/void", response_model=ObservationPublic, name="observation_api:void"
)
def api_void_observation(
    observation: ObservationDep,
    data: VoidRequest,
    actor: ActorDep,
    session: SessionDep,
    clock: ClockDep,
) -> ObservationPublic:
    """The observer or a manager of the site voids an observation, with a reason."""
    service.void_observation(
        session, actor=actor, observation=observation, reason=data.reason, now=clock.now()
    )
    return observation_public(session, observation)
