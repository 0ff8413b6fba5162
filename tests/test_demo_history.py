"""The demo's history (``app.demo_history``): the same seed gives the same rows; the planted
patterns hold when recomputed from the records with plain SQL; nothing is in the future or in
the last 24 hours; every record's shift is the one its site's pattern gives; every record is
what the services would have stored (sent again through them, each is "already there")."""

from __future__ import annotations

import itertools
import uuid
from collections import defaultdict
from collections.abc import Iterable, Iterator
from datetime import UTC, date, datetime, timedelta
from statistics import mean
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import Engine, text
from sqlmodel import Session, select

from app.action import service as action_service
from app.action.models import ActionSource, FollowUpAction
from app.action.schemas import ActionCreate
from app.auth import service as auth_service
from app.auth.actor import Actor
from app.auth.models import User
from app.auth.passwords import Passwords
from app.demo import DEMO_LOGINS, RECENT_NOTES, load_demo_data
from app.demo_history import WRITE_ORDER
from app.demo_history.demo import add_colleagues, generate_demo_history
from app.engagement import service as engagement_service
from app.engagement.models import EngagementNote
from app.engagement.my_notes import my_notes_today
from app.engagement.schemas import EngagementContent, EngagementNoteCreate
from app.handover import recording
from app.handover import service as handover_service
from app.handover.models import Handover, HandoverPromptResponse
from app.handover.schemas import HandoverStart, PromptResponseCreate
from app.handover.shift_change import current_change
from app.observation import service as observation_service
from app.observation.models import Observation, ObservationRating
from app.observation.schemas import ObservationCreate
from app.org.models import Shift, Site
from app.org.shifts import ShiftTimes, shift_at
from tests.conftest import settings_for

LONDON = ZoneInfo("Europe/London")
NOW = datetime(2026, 11, 23, 11, 0, tzinfo=LONDON).astimezone(UTC)
WEEKS = 12
EMBEDS, DRIFTS = "Proactive engagement", "De-escalation before restriction"


def aware(value: datetime | str) -> datetime:
    """An instant as stored: SQLite hands it back without its zone (as text, to plain SQL)."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def day(value: date | str) -> date:
    """A date as stored (text, from SQLite to plain SQL)."""
    return value if isinstance(value, date) else date.fromisoformat(value)


def rows(session: Session, sql: str, **params: Any) -> list[Any]:
    return list(session.execute(text(sql), params))


@pytest.fixture
def demo(engine: Engine, database_url: str) -> Iterator[Session]:
    settings = settings_for(database_url, demo_mode=True)
    with Session(engine, expire_on_commit=False) as session:
        loaded = load_demo_data(
            session,
            settings=settings,
            passwords=Passwords(settings),
            now=NOW,
            history_weeks=WEEKS,
        )
        assert loaded
        session.commit()
        yield session


def actor_for(session: Session, user_id: uuid.UUID) -> Actor:
    return auth_service.load_actor(session, user=session.get_one(User, user_id))


def test_the_same_seed_writes_the_same_rows(engine: Engine, database_url: str) -> None:
    settings = settings_for(database_url, demo_mode=True)
    with Session(engine) as session:
        load_demo_data(session, settings=settings, passwords=Passwords(settings), now=NOW)
        sites = {site.name: site for site in session.exec(select(Site)).all()}
        add_colleagues(session, sites=sites, now=NOW)
        admin = session.exec(select(User).where(User.email == DEMO_LOGINS[5].email)).one()
        actor = auth_service.load_actor(session, user=admin)
        written = []
        for _ in range(2):
            attempt = session.begin_nested()
            counts = generate_demo_history(session, actor=actor, sites=sites, weeks=WEEKS, now=NOW)
            written.append((counts, list(_every_row(session))))
            attempt.rollback()
    (first_counts, first_rows), (second_counts, second_rows) = written
    assert first_counts == second_counts
    assert first_counts["engagement_note"] > 3000
    assert first_counts["observation"] > 60
    assert first_counts["handover"] > 400
    assert first_rows == second_rows


def _every_row(session: Session) -> Iterator[tuple[Any, ...]]:
    for model in WRITE_ORDER:
        table = model.__table__  # type: ignore[attr-defined]
        yield from session.execute(table.select().order_by(table.c.id)).all()


def weekly(values: Iterable[tuple[date | str, float]]) -> dict[tuple[int, int], float]:
    """The mean a week (ISO, Monday first) of dated values."""
    by_week: defaultdict[tuple[int, int], list[float]] = defaultdict(list)
    for on, value in values:
        year, week, _ = day(on).isocalendar()
        by_week[(year, week)].append(value)
    return {week: mean(found) for week, found in sorted(by_week.items())}


def observations(session: Session, theme: str, site: str) -> list[Any]:
    return rows(
        session,
        "SELECT o.shift_name, o.shift_date, o.practice_score, o.could_explain"
        " FROM observation o JOIN learning_theme t ON t.id = o.theme_id"
        " JOIN site s ON s.id = o.site_id"
        " WHERE t.title = :theme AND s.name = :site AND o.voided_at IS NULL"
        " ORDER BY o.shift_date",
        theme=theme,
        site=site,
    )


def explain_why(answers: list[str]) -> float | None:
    asked = [answer for answer in answers if answer != "not_asked"]
    if not asked:
        return None
    return 100 * (asked.count("yes") + asked.count("partly") / 2) / len(asked)


@pytest.mark.parametrize("site", ["Rosewood House", "Beech Court"])
def test_the_embedding_theme_holds_80_on_every_shift_for_the_last_8_weeks(
    demo: Session, site: str
) -> None:
    found = observations(demo, EMBEDS, site)
    last_day = (NOW - timedelta(hours=24)).date()
    for shift in ("Early", "Late", "Night"):
        mine = [row for row in found if row.shift_name == shift]
        scores = weekly((row.shift_date, row.practice_score) for row in mine)
        assert len(scores) >= 6
        last_8_weeks = {(last_day - timedelta(weeks=back)).isocalendar()[:2] for back in range(8)}
        assert min(v for week, v in scores.items() if week in last_8_weeks) >= 80, scores
        assert next(iter(scores.values())) < list(scores.values())[-1]  # it climbed
        recent = [
            row.could_explain for row in mine if day(row.shift_date) >= last_day - timedelta(56)
        ]
        assert (explain_why(recent) or 0) >= 80
        days = [day(row.shift_date) for row in mine] + [last_day]
        assert max(b - a for a, b in itertools.pairwise(days)).days <= 28


def test_the_drifting_theme_slips_on_nights_from_week_9(demo: Session) -> None:
    found = observations(demo, DRIFTS, "Rosewood House")
    drift_from = (NOW - timedelta(hours=24)).date() - timedelta(weeks=4)

    def before_and_after(shift: str) -> tuple[float, float]:
        mine = [row for row in found if row.shift_name == shift]
        before = mean(row.practice_score for row in mine if day(row.shift_date) < drift_from)
        after = mean(row.practice_score for row in mine if day(row.shift_date) >= drift_from)
        return before, after

    before, after = before_and_after("Night")
    assert after <= before - 15
    for shift in ("Early", "Late"):
        before, after = before_and_after(shift)
        assert after > before - 15
    nights = list(
        weekly(
            (row.shift_date, row.practice_score) for row in found if row.shift_name == "Night"
        ).values()
    )
    assert len(nights) >= 12
    assert special_cause_concern(nights)


def special_cause_concern(points: list[float]) -> bool:
    """Making Data Count, for a measure where higher is better: a point below the lower
    process limit, or 2 of 3 points in a row beyond two-thirds of the way to it."""
    centre = mean(points)
    moving_range = mean(abs(b - a) for a, b in itertools.pairwise(points))
    lower = centre - 2.66 * moving_range
    two_thirds = centre - 2 / 3 * (centre - lower)
    beyond = [point < two_thirds for point in points]
    return min(points) < lower or any(sum(beyond[i : i + 3]) >= 2 for i in range(len(points)))


def test_engagement_on_nights_and_prompts_slip_with_the_drifting_theme(demo: Session) -> None:
    drift_from = (NOW - timedelta(hours=24)).date() - timedelta(weeks=4)
    notes = rows(
        demo,
        "SELECT n.shift_name, n.shift_date, n.level FROM engagement_note n"
        " JOIN site s ON s.id = n.site_id WHERE s.name = 'Rosewood House'",
    )

    def engaged(shift: str, *, late: bool) -> float:
        levels = [
            row.level
            for row in notes
            if row.shift_name == shift and (day(row.shift_date) >= drift_from) == late
        ]
        return 100 * sum(level >= 2 for level in levels) / len(levels)

    assert engaged("Night", late=True) <= engaged("Night", late=False) - 15
    for shift in ("Early", "Late"):
        assert engaged(shift, late=True) > engaged(shift, late=False) - 10
    prompts = rows(
        demo,
        "SELECT h.outgoing_date, r.discussed FROM handover_prompt_response r"
        " JOIN handover h ON h.id = r.handover_id"
        " JOIN learning_theme t ON t.id = r.theme_id"
        " WHERE t.title = :theme AND h.outgoing_shift = 'Night'",
        theme=DRIFTS,
    )
    late = [bool(row.discussed) for row in prompts if day(row.outgoing_date) >= drift_from]
    early = [bool(row.discussed) for row in prompts if day(row.outgoing_date) < drift_from]
    assert sum(late) / len(late) < 0.6 < sum(early) / len(early)


def test_nothing_is_in_the_future_nor_in_the_last_24_hours(demo: Session) -> None:
    quiet_from = NOW - timedelta(hours=24)
    moments = {
        "engagement_note": ("occurred_at", "recorded_at", "reviewed_at"),
        "engagement_note_revision": ("at",),
        "restrictive_practice_review": ("reviewed_at",),
        "observation": ("observed_at", "recorded_at", "voided_at"),
        "follow_up_action": ("created_at", "done_at"),
        "handover": ("started_at", "completed_at"),
        "handover_entry": ("updated_at",),
        "handover_prompt_response": ("recorded_at",),
        "handover_attendance": ("recorded_at",),
    }
    for table, columns in moments.items():
        for column in columns:
            latest = rows(demo, f"SELECT MAX({column}) AS latest FROM {table}")[0].latest  # noqa: S608
            assert latest is not None, (table, column)
            assert aware(latest) <= NOW, (table, column)
    recent = rows(
        demo,
        "SELECT COUNT(*) AS n FROM engagement_note WHERE recorded_at > :since",
        since=quiet_from,
    )
    assert recent[0].n == len(RECENT_NOTES)  # the demo's own notes of the last shift only
    carer = demo.exec(select(User).where(User.email == DEMO_LOGINS[0].email)).one()
    mine = my_notes_today(demo, actor=auth_service.load_actor(demo, user=carer), now=NOW)
    assert len(mine) == len(RECENT_NOTES)
    for table, column in (("handover", "started_at"), ("observation", "observed_at")):
        first = rows(demo, f"SELECT MIN({column}) AS first FROM {table}")[0].first  # noqa: S608
        assert aware(first) >= NOW - timedelta(weeks=WEEKS + 1, days=1)


def test_every_record_is_in_the_shift_its_site_pattern_gives(demo: Session) -> None:
    patterns: dict[uuid.UUID, tuple[ShiftTimes, ...]] = defaultdict(tuple)
    for shift in demo.exec(select(Shift)).all():
        patterns[shift.site_id] += (ShiftTimes(shift.name, shift.starts_at, shift.ends_at),)

    def shift_of(site_id: Any, moment: datetime | str) -> tuple[str, date]:
        found = shift_at(patterns[uuid.UUID(str(site_id))], aware(moment), LONDON)
        assert found is not None
        return found.name, found.start_date

    for table, moment in (("engagement_note", "occurred_at"), ("observation", "observed_at")):
        for row in rows(
            demo,
            f"SELECT site_id, {moment} AS at, shift_name, shift_date FROM {table}",  # noqa: S608
        ):
            assert shift_of(row.site_id, row.at) == (row.shift_name, day(row.shift_date))
    sites = {site.id: site for site in demo.exec(select(Site)).all()}
    for handover in demo.exec(select(Handover)).all():
        change = current_change(demo, site=sites[handover.site_id], now=aware(handover.started_at))
        assert change is not None
        assert (change.outgoing.name, change.outgoing.start_date) == (
            handover.outgoing_shift,
            handover.outgoing_date,
        )
        assert (change.incoming.name, change.incoming.start_date) == (
            handover.incoming_shift,
            handover.incoming_date,
        )


def test_records_sent_again_through_the_services_are_already_there(demo: Session) -> None:
    """The services answer "already there" only for the same content hash (another hash is a
    409), so each generated record carries the hash the service computes."""
    note = demo.exec(
        select(EngagementNote).where(EngagementNote.theme_id.is_not(None))  # type: ignore[union-attr]
    ).first()
    assert note is not None
    content = EngagementContent.model_validate(note.model_dump()).model_dump()
    again = engagement_service.record_engagement_note(
        demo,
        actor=actor_for(demo, note.author_id),
        data=EngagementNoteCreate(
            **{**content, "occurred_at": aware(note.occurred_at)},
            id=note.id,
            person_id=note.person_id,
        ),
        now=NOW,
    )
    assert not again.created

    action = demo.exec(
        select(FollowUpAction).where(FollowUpAction.source == ActionSource.observation)
    ).first()
    assert action is not None
    assert action.observation_id is not None
    observation = demo.get_one(Observation, action.observation_id)
    observer = actor_for(demo, observation.observer_id)
    ratings = demo.exec(
        select(ObservationRating).where(ObservationRating.observation_id == observation.id)
    ).all()
    actions = demo.exec(
        select(FollowUpAction).where(FollowUpAction.observation_id == observation.id)
    ).all()
    sent = ObservationCreate(
        id=observation.id,
        site_id=observation.site_id,
        theme_id=observation.theme_id,
        observed_user_id=observation.observed_user_id,
        observed_at=aware(observation.observed_at),
        location=observation.location,
        ratings={rating.behaviour_id: rating.rating for rating in ratings},
        could_explain=observation.could_explain,
        context_notes=observation.context_notes,
        went_well=observation.went_well,
        next_step=observation.next_step,
        follow_up_on=observation.follow_up_on,
        actions=[
            ActionCreate(
                id=a.id,
                description=a.description,
                owner_id=a.owner_id,
                due_on=a.due_on,
                person_id=a.person_id,
            )
            for a in actions
        ],
    )
    assert not observation_service.record_observation(
        demo, actor=observer, data=sent, now=NOW
    ).created
    assert not action_service.add_action(
        demo,
        actor=observer,
        site_id=action.site_id,
        source=ActionSource.observation,
        source_id=observation.id,
        data=sent.actions[0],
        now=NOW,
    ).created

    response = demo.exec(select(HandoverPromptResponse)).first()
    assert response is not None
    handover = demo.get_one(Handover, response.handover_id)
    lead = actor_for(demo, handover.lead_id)
    assert not handover_service.start_handover(
        demo, actor=lead, data=HandoverStart(id=handover.id, site_id=handover.site_id), now=NOW
    ).created
    assert not recording.record_prompt_response(
        demo,
        actor=lead,
        handover=handover,
        data=PromptResponseCreate(
            id=response.id,
            prompt_id=response.prompt_id,
            discussed=response.discussed,
            note=response.note,
        ),
        now=NOW,
    ).created
