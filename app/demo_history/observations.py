"""Observations of a generated history: the site's manager observes each active theme on each
shift every week or few, rating its behaviours as the theme's pattern says; a low score sets an
action, mostly done by its due date; now and then one entered twice is voided."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlmodel import Session

from app.action.models import ActionSource, FollowUpAction
from app.action.schemas import ActionCreate
from app.auth.permissions import SiteCapability
from app.demo_history import phrases
from app.demo_history.context import History, SiteCast, shift_of
from app.demo_history.patterns import ThemePattern, explains, ratings_for, score_points
from app.observation.models import CouldExplain, Observation, ObservationRating, PracticeRating
from app.observation.schemas import ObservationCreate
from app.observation.service import CONTENT_FIELDS, practice_score
from app.org.shifts import ShiftOccurrence
from app.org.staff import StaffMember
from app.records import fingerprint
from app.theme.service import ThemeView

VOIDED_SHARE = 0.04
REFLECTED_SHARE = 0.7  # the staff member observed reflects on most feedback
END_OF_DAY = time(17, 0)  # an action due on a day is done by the end of its working day


def add_observations(
    session: Session, history: History, cast: SiteCast, shifts: list[ShiftOccurrence]
) -> None:
    """Each theme on each shift once in every block of ``observe_every_weeks`` weeks, on a day
    of the block picked at random: no shift goes unobserved for twice the block."""
    observers = cast.able(SiteCapability.observe_practice)
    if not observers:
        return
    by_name: dict[str, list[ShiftOccurrence]] = {}
    for occurrence in shifts:
        by_name.setdefault(occurrence.name, []).append(occurrence)
    block = timedelta(weeks=cast.observe_every_weeks)
    for view, pattern in cast.themes:
        start = history.first_day
        while start <= history.end.date():
            for name in sorted(by_name):
                in_block = [o for o in by_name[name] if start <= o.start_date < start + block]
                if in_block:
                    occurrence = history.pick(in_block)
                    observer = history.pick(observers)
                    staff = [m for m in cast.able(SiteCapability.record_notes) if m != observer]
                    if not staff:
                        return
                    member = history.pick(staff)
                    _observe(session, history, cast, view, pattern, occurrence, observer, member)
            start += block


def _observe(
    session: Session,
    history: History,
    cast: SiteCast,
    view: ThemeView,
    pattern: ThemePattern,
    occurrence: ShiftOccurrence,
    observer: StaffMember,
    member: StaffMember,
) -> None:
    observed_at = history.moment(
        occurrence.starts + timedelta(minutes=30), occurrence.ends - timedelta(minutes=45)
    )
    progress = history.progress(occurrence.start_date)
    target = pattern.target(progress, occurrence.name)
    chance = history.pick((-1, 0, 0, 1)) if pattern.by_chance(progress, occurrence.name) else 0
    ratings = ratings_for(score_points(target, chance), len(view.behaviours))
    history.rng.shuffle(ratings)
    score = practice_score(ratings)
    assert score is not None  # every behaviour is rated
    day = observed_at.astimezone(cast.zone).date()
    explained = explains(score)
    data = ObservationCreate(
        id=history.new_id(),
        site_id=cast.site.id,
        theme_id=view.theme.id,
        observed_user_id=member.user_id,
        observed_at=observed_at,
        location=history.pick(phrases.LOCATIONS),
        ratings={
            behaviour.id: PracticeRating(rating)
            for behaviour, rating in zip(view.behaviours, ratings, strict=True)
        },
        could_explain=CouldExplain.not_asked
        if explained == "yes" and history.chance(0.1)
        else CouldExplain(explained),
        went_well=history.pick(phrases.WENT_WELL),
        next_step=history.pick(phrases.NEXT_STEPS) if score < 100 else "",
        follow_up_on=day + timedelta(days=14) if score < 70 else None,
        actions=[_action(history, member, day)] if score < 80 or history.chance(0.3) else [],
    )
    recorded_at = min(observed_at + timedelta(minutes=history.rng.randrange(5, 40)), history.end)
    row = _row(session, history, cast, view, data, observer, recorded_at)
    reflected_at = recorded_at + timedelta(hours=history.rng.randrange(2, 72))
    if reflected_at <= history.end and history.chance(REFLECTED_SHARE):
        row.update(reflection=history.pick(phrases.REFLECTIONS), reflected_at=reflected_at)
    history.add(Observation, row)
    _add_ratings(history, data)
    for action in data.actions:
        _add_action(history, cast, row, action, observer)
    if history.chance(VOIDED_SHARE):
        _add_voided_copy(session, history, cast, view, data, observer, recorded_at)


def _row(
    session: Session,
    history: History,
    cast: SiteCast,
    view: ThemeView,
    data: ObservationCreate,
    observer: StaffMember,
    recorded_at: Any,
) -> dict[str, Any]:
    """The observation's row as ``record_observation`` makes it."""
    assert data.observed_at is not None
    shift_name, shift_date = shift_of(session, cast.site, data.observed_at)
    return Observation(
        id=data.id,
        organisation_id=cast.site.organisation_id,
        site_id=cast.site.id,
        theme_id=view.theme.id,
        theme_revision=view.theme.revision,
        observer_id=observer.user_id,
        observed_user_id=data.observed_user_id,
        observed_at=data.observed_at,
        recorded_at=recorded_at,
        shift_name=shift_name,
        shift_date=shift_date,
        practice_score=practice_score(data.ratings.values()),
        content_hash=fingerprint(data, author_id=observer.user_id),
        **data.model_dump(include=CONTENT_FIELDS),
    ).model_dump()


def _action(history: History, owner: StaffMember, day: date) -> ActionCreate:
    return ActionCreate(
        id=history.new_id(),
        description=history.pick(phrases.ACTIONS),
        owner_id=owner.user_id,
        due_on=day + timedelta(days=7),
    )


def _add_action(
    history: History,
    cast: SiteCast,
    observation: dict[str, Any],
    action: ActionCreate,
    observer: StaffMember,
) -> None:
    """Most actions are done by their due date, some late, a few never."""
    assert action.due_on is not None
    created_at = observation["recorded_at"]
    due_end = datetime.combine(action.due_on, END_OF_DAY, tzinfo=cast.zone).astimezone(UTC)
    outcome = history.rng.random()
    if outcome < 0.8:
        done_at = history.moment(created_at + timedelta(hours=2), due_end)
    elif outcome < 0.92:
        done_at = due_end + timedelta(days=history.rng.randrange(1, 6))
    else:
        done_at = None
    if done_at is not None and done_at > history.end:
        done_at = None
    history.add(
        FollowUpAction,
        FollowUpAction(
            id=action.id,
            organisation_id=cast.site.organisation_id,
            site_id=cast.site.id,
            source=ActionSource.observation,
            observation_id=observation["id"],
            person_id=action.person_id,
            description=action.description,
            owner_id=action.owner_id,
            due_on=action.due_on,
            created_by_id=observer.user_id,
            created_at=created_at,
            done_at=done_at,
            done_by_id=action.owner_id if done_at else None,
            content_hash=fingerprint(action, author_id=observer.user_id),
        ).model_dump(),
    )


def _add_voided_copy(
    session: Session,
    history: History,
    cast: SiteCast,
    view: ThemeView,
    data: ObservationCreate,
    observer: StaffMember,
    recorded_at: Any,
) -> None:
    """The same observation entered again by mistake, then voided by its observer."""
    copy = data.model_copy(update={"id": history.new_id(), "actions": []})
    copied_at = min(recorded_at + timedelta(minutes=history.rng.randrange(2, 30)), history.end)
    row = _row(session, history, cast, view, copy, observer, copied_at)
    row.update(
        voided_at=min(copied_at + timedelta(minutes=history.rng.randrange(5, 120)), history.end),
        voided_by_id=observer.user_id,
        void_reason=phrases.VOID_REASON,
    )
    history.add(Observation, row)
    _add_ratings(history, copy)


def _add_ratings(history: History, data: ObservationCreate) -> None:
    for behaviour_id, rating in data.ratings.items():
        history.add(
            ObservationRating,
            {
                "id": history.new_id(),
                "observation_id": data.id,
                "behaviour_id": behaviour_id,
                "rating": None if rating is None else int(rating),
            },
        )
