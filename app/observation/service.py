"""Recording, reading, reflecting on and voiding walk-round observations.

Rules:
- Managers and quality leads observe at their sites; team leads, care workers and admins do not.
- The checklist is the current behaviours of a theme active at the site; the theme's revision
  is kept with the observation. The staff member observed, when named, works at the site.
- ``observed_at`` may be earlier than now but not more than a few minutes ahead, nor older than
  a month; the shift is derived from it. A follow-up observation is not planned in the past.
- Who reads an observation: its observer; the managers, quality leads and admins of the site;
  the staff member observed. Other care workers and team leads of the site get "not found", so
  they do not learn that a colleague was observed; so does everyone outside the site.
- Only the staff member observed adds a reflection; a later one replaces it.
- The observer or a manager of the site voids an observation, with a reason; nothing is deleted.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, and_, or_
from sqlmodel import Session, col, select

from app.action import service as action_service
from app.action.models import ActionSource, FollowUpAction
from app.audit.service import record_site_event
from app.auth.actor import Actor
from app.auth.permissions import SiteCapability
from app.errors import FieldError, Forbidden, Invalid, NotFound
from app.inbox.models import Kind
from app.inbox.service import notify
from app.observation.models import Observation, ObservationRating, PracticeRating
from app.observation.schemas import ObservationCreate
from app.org import service as org_service
from app.org import staff as org_staff
from app.org.models import Site
from app.record_weeks import days_of, records_changed
from app.records import Capture, Stored, fingerprint, insert_record_once
from app.theme import service as theme_service
from app.theme.models import Behaviour
from app.theme.service import ThemeView

FUTURE_TOLERANCE = timedelta(minutes=5)
OLDEST_ACCEPTED = timedelta(days=31)
CONTENT_FIELDS = {
    "location",
    "could_explain",
    "context_notes",
    "went_well",
    "next_step",
    "follow_up_on",
}


def practice_score(ratings: Iterable[int | None]) -> float | None:
    """SCALES.md: the mean of the rated behaviours / 2, as a percentage; "no chance to see it"
    (null) is left out, and with nothing rated there is no score."""
    rated = [rating for rating in ratings if rating is not None]
    if not rated:
        return None
    return 100 * sum(rated) / (2 * len(rated))


def record_observation(
    session: Session, *, actor: Actor, data: ObservationCreate, now: datetime
) -> Stored[Observation]:
    """The one way an observation is created: from the form, the API and the offline sync.
    Its follow-up actions are added in the same transaction."""
    site = org_service.get_site(
        session, actor=actor, site_id=data.site_id, capability=SiteCapability.observe_practice
    )
    content_hash = fingerprint(data, author_id=actor.user_id)
    ratings: dict[uuid.UUID, PracticeRating | None] = {}

    def make_row() -> dict[str, Any]:
        checklist = _checklist(session, actor=actor, site_id=site.id, data=data)
        observed_at = _check_times(site, data=data, now=now)
        if data.observed_user_id is not None:
            _check_on_team(session, actor=actor, site=site, user_id=data.observed_user_id)
        ratings.update(
            {behaviour.id: data.ratings.get(behaviour.id) for behaviour in checklist.behaviours}
        )
        occurrence = org_service.current_shift(session, site=site, now=observed_at)
        return Observation(
            id=data.id,
            organisation_id=site.organisation_id,
            site_id=site.id,
            theme_id=checklist.theme.id,
            theme_revision=checklist.theme.revision,
            observer_id=actor.user_id,
            observed_user_id=data.observed_user_id,
            observed_at=observed_at,
            recorded_at=now,
            shift_name=occurrence.name if occurrence else None,
            shift_date=occurrence.start_date if occurrence else None,
            practice_score=practice_score(ratings.values()),
            content_hash=content_hash,
            **data.model_dump(include=CONTENT_FIELDS),
        ).model_dump()

    capture = Capture(id=data.id, same={"content_hash": content_hash}, make_row=make_row)
    saved = insert_record_once(session, Observation, capture, visible_sites=actor.site_ids)
    if saved.created:
        records_changed(session, _weeks_counted(session, saved.record))
        _add_ratings_and_actions(
            session, actor=actor, saved=saved.record, data=data, ratings=ratings, now=now
        )
        notify(
            session,
            users={data.observed_user_id} - {None, actor.user_id},
            kind=Kind.feedback,
            title="Feedback on your practice is ready",
            url=f"/observations/{saved.record.id}",
            source_key=str(saved.record.id),
            now=now,
        )
    return saved


def _add_ratings_and_actions(
    session: Session,
    *,
    actor: Actor,
    saved: Observation,
    data: ObservationCreate,
    ratings: dict[uuid.UUID, PracticeRating | None],
    now: datetime,
) -> None:
    session.add_all(
        ObservationRating(
            observation_id=saved.id,
            behaviour_id=behaviour_id,
            rating=None if rating is None else int(rating),
        )
        for behaviour_id, rating in ratings.items()
    )
    _add_actions(session, actor=actor, observation=saved, data=data, now=now)
    rated = sum(rating is not None for rating in ratings.values())
    summary = (
        f"rated={rated}/{len(ratings)} could_explain={saved.could_explain.value}"
        f" actions={len(data.actions)}"
    )
    record_site_event(
        session,
        actor_id=actor.user_id,
        record=saved,
        entity="observation",
        action="create",
        at=now,
        summary=summary,
    )


def _checklist(
    session: Session, *, actor: Actor, site_id: uuid.UUID, data: ObservationCreate
) -> ThemeView:
    """The theme's current behaviours, checked against the ratings sent."""
    active = theme_service.observable_themes_for_site(session, actor=actor, site_id=site_id)
    view = next((view for view in active if view.theme.id == data.theme_id), None)
    if view is None:
        raise Invalid.one("theme_id", "Choose a learning theme active at this site.")
    if set(data.ratings) - {behaviour.id for behaviour in view.behaviours}:
        raise Invalid.one("ratings", "Rate only the behaviours of this learning theme.")
    return view


def _check_times(site: Site, *, data: ObservationCreate, now: datetime) -> datetime:
    """Check the moment observed and the follow-up date; answers the moment observed."""
    observed_at = data.observed_at or now
    if observed_at > now + FUTURE_TOLERANCE:
        raise Invalid.one("observed_at", "This time is in the future. Check the date and time.")
    if observed_at < now - OLDEST_ACCEPTED:
        raise Invalid.one("observed_at", "Observations more than a month old cannot be added.")
    today = now.astimezone(ZoneInfo(site.time_zone)).date()
    if data.follow_up_on is not None and data.follow_up_on < today:
        raise Invalid.one("follow_up_on", "Choose today or a later date.")
    return observed_at


def _check_on_team(session: Session, *, actor: Actor, site: Site, user_id: uuid.UUID) -> None:
    team = org_staff.site_team(session, actor=actor, site_id=site.id)
    if user_id not in {member.user_id for member in team}:
        raise Invalid.one("observed_user_id", "Choose someone who works at this site.")


def _add_actions(
    session: Session,
    *,
    actor: Actor,
    observation: Observation,
    data: ObservationCreate,
    now: datetime,
) -> None:
    for index, action in enumerate(data.actions):
        try:
            action_service.add_action(
                session,
                actor=actor,
                site_id=observation.site_id,
                source=ActionSource.observation,
                source_id=observation.id,
                data=action,
                now=now,
            )
        except Invalid as error:
            raise Invalid(
                [FieldError(f"actions.{index}.{e.field}", e.reason) for e in error.errors]
            ) from None


def may_read(actor: Actor, observation: Observation) -> bool:
    if observation.site_id not in actor.site_ids:
        return False
    return actor.user_id in (
        observation.observer_id,
        observation.observed_user_id,
    ) or actor.can(SiteCapability.read_observations, observation.site_id)


def may_void(actor: Actor, observation: Observation) -> bool:
    return observation.observer_id == actor.user_id or actor.can(
        SiteCapability.void_any_observation, observation.site_id
    )


def require_overseer(actor: Actor, site_id: uuid.UUID) -> None:
    """Every observation at a site is for its managers, quality leads and admins."""
    actor.require(SiteCapability.view, site_id)
    if not actor.can(SiteCapability.read_observations, site_id):
        raise Forbidden("Observations at this site are read by its managers and quality leads.")


def get_observation(session: Session, *, actor: Actor, observation_id: uuid.UUID) -> Observation:
    """An observation the actor may read; any other id is "not found"."""
    observation = session.get(Observation, observation_id)
    if observation is None or not may_read(actor, observation):
        raise NotFound()
    return observation


@dataclass(frozen=True)
class ObservationFilter:
    site_id: uuid.UUID | None = None
    theme_id: uuid.UUID | None = None
    observed_user_id: uuid.UUID | None = None
    observed_from: datetime | None = None
    observed_to: datetime | None = None
    include_voided: bool = False


def list_observations(
    session: Session,
    *,
    actor: Actor,
    where: ObservationFilter,
    limit: int = 50,
    offset: int = 0,
) -> list[Observation]:
    """Observations the actor may read, newest first, narrowed by ``where``."""
    if where.site_id is not None:
        actor.require(SiteCapability.view, where.site_id)
    query = select(Observation).where(_readable(actor))
    for column, value in (
        (Observation.site_id, where.site_id),
        (Observation.theme_id, where.theme_id),
        (Observation.observed_user_id, where.observed_user_id),
    ):
        if value is not None:
            query = query.where(column == value)
    if where.observed_from is not None:
        query = query.where(col(Observation.observed_at) >= where.observed_from)
    if where.observed_to is not None:
        query = query.where(col(Observation.observed_at) < where.observed_to)
    if not where.include_voided:
        query = query.where(col(Observation.voided_at).is_(None))
    query = query.order_by(col(Observation.observed_at).desc(), col(Observation.id))
    return list(session.exec(query.limit(limit).offset(offset)))


def readable_ids(session: Session, *, actor: Actor, ids: Iterable[uuid.UUID]) -> set[uuid.UUID]:
    """Which of these observations the actor may read (to link only to what opens)."""
    wanted = set(ids)
    if not wanted:
        return set()
    query = select(Observation.id).where(col(Observation.id).in_(wanted), _readable(actor))
    return set(session.exec(query).all())


def _readable(actor: Actor) -> ColumnElement[bool]:
    """``may_read`` as SQL."""
    overseen = [s for s in actor.site_ids if actor.can(SiteCapability.read_observations, s)]
    own = or_(
        col(Observation.observer_id) == actor.user_id,
        col(Observation.observed_user_id) == actor.user_id,
    )
    return or_(
        col(Observation.site_id).in_(overseen),
        and_(col(Observation.site_id).in_(actor.site_ids), own),
    )


@dataclass(frozen=True)
class RatedBehaviour:
    behaviour_id: uuid.UUID
    text: str
    rating: PracticeRating | None


def ratings_of(
    session: Session, *, observations: Sequence[Observation]
) -> dict[uuid.UUID, list[RatedBehaviour]]:
    """Each observation's checklist as it was rated, in the theme's order, in one query."""
    found: defaultdict[uuid.UUID, list[RatedBehaviour]] = defaultdict(list)
    ids = [observation.id for observation in observations]
    if not ids:
        return found
    rows = session.exec(
        select(ObservationRating, Behaviour)
        .join(Behaviour, col(Behaviour.id) == ObservationRating.behaviour_id)
        .where(col(ObservationRating.observation_id).in_(ids))
        .order_by(col(Behaviour.position))
    )
    for rating, behaviour in rows:
        found[rating.observation_id].append(
            RatedBehaviour(
                behaviour_id=behaviour.id,
                text=behaviour.text,
                rating=None if rating.rating is None else PracticeRating(rating.rating),
            )
        )
    return found


def add_reflection(
    session: Session, *, actor: Actor, observation: Observation, reflection: str, now: datetime
) -> Observation:
    """The staff member observed reflects on the feedback; a later reflection replaces it."""
    if observation.observed_user_id != actor.user_id:
        raise Forbidden("Only the staff member observed can add a reflection.")
    if observation.voided_at is not None:
        raise Invalid.one("reflection", "This observation is void, so it takes no reflection.")
    replaced = bool(observation.reflection)
    observation.reflection, observation.reflected_at = reflection, now
    session.add(observation)
    record_site_event(
        session,
        actor_id=actor.user_id,
        record=observation,
        entity="observation",
        action="reflect",
        at=now,
        summary=f"replaced={int(replaced)}",
    )
    return observation


def void_observation(
    session: Session, *, actor: Actor, observation: Observation, reason: str, now: datetime
) -> Observation:
    """Mark a mistaken observation void, with a reason; it stays, and stays visible as void."""
    if not may_void(actor, observation):
        raise Forbidden("Only the observer or a manager can void this observation.")
    if observation.voided_at is None:
        observation.voided_at, observation.voided_by_id = now, actor.user_id
        observation.void_reason = reason
        session.add(observation)
        records_changed(session, _weeks_counted(session, observation))
        record_site_event(
            session,
            actor_id=actor.user_id,
            record=observation,
            entity="observation",
            action="void",
            at=now,
        )
    return observation


def _weeks_counted(session: Session, observation: Observation) -> list[tuple[uuid.UUID, date]]:
    """Where the observation counts: its own week, and the due weeks of its actions (which
    count as long as it is not void)."""
    due = session.exec(
        select(FollowUpAction.due_on).where(
            FollowUpAction.observation_id == observation.id, col(FollowUpAction.due_on).is_not(None)
        )
    )
    days = (*days_of(observation.shift_date, observation.observed_at), *due)
    return [(observation.site_id, day) for day in days if day is not None]
