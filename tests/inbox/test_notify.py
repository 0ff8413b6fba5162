"""``notify``: once per user, kind and source, with one push each; kinds switched off keep the
inbox row but push nothing; quiet hours hold the push until they end, across midnight too."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, time

import pytest
from sqlalchemy import Engine
from sqlmodel import Session

from app.inbox.models import Kind
from app.inbox.preferences import save_preference
from app.inbox.service import notify, open_path, topic_of
from tests.inbox.helpers import pushes, told
from tests.support import PERSONA_ROLES, World, actor_for, counted_queries

WINTER_NIGHT = datetime(2026, 12, 1, 23, 30, tzinfo=UTC)  # 23:30 in London (GMT)


def tell(session: Session, world: World, now: datetime = WINTER_NIGHT, key: str = "one") -> int:
    made = notify(
        session,
        users=[world.carer.id, world.colleague.id],
        kind=Kind.action_assigned,
        title="An action at Rosewood House was given to you",
        url="/my/actions",
        source_key=key,
        now=now,
    )
    session.commit()
    return made


def test_a_retried_write_tells_each_user_once_with_one_push(session: Session, world: World) -> None:
    assert tell(session, world) == 2
    assert tell(session, world) == 0  # the double tap, or the retried sync

    by_user = told(session, Kind.action_assigned)
    assert {user: len(rows) for user, rows in by_user.items()} == {
        world.carer.id: 1,
        world.colleague.id: 1,
    }
    queued = pushes(session, Kind.action_assigned)
    assert len(queued) == 2
    [carers] = by_user[world.carer.id]
    [push] = [message for message in queued if message.user_id == world.carer.id]
    assert (push.title, push.url, push.due_at) == (carers.title, open_path(carers.id), WINTER_NIGHT)
    assert push.topic == topic_of(Kind.action_assigned, "one")
    assert carers.read_at is None


def test_another_source_is_another_notification(session: Session, world: World) -> None:
    tell(session, world, key="one")
    tell(session, world, key="two")
    assert len(told(session, Kind.action_assigned)[world.carer.id]) == 2


def test_a_kind_switched_off_is_kept_in_the_inbox_but_not_pushed(
    session: Session, world: World
) -> None:
    carer = actor_for(session, world.carer)
    on = [kind for kind in Kind if kind is not Kind.action_assigned]
    save_preference(
        session,
        actor=carer,
        kinds_on=on,
        quiet_hours=None,
        time_zone="Europe/London",
        now=WINTER_NIGHT,
    )
    tell(session, world)

    assert set(told(session, Kind.action_assigned)) == {world.carer.id, world.colleague.id}
    assert [m.user_id for m in pushes(session, Kind.action_assigned)] == [world.colleague.id]


@pytest.mark.parametrize(
    ("now", "due"),
    [
        # before midnight: held until 07:00 the next morning
        (datetime(2026, 12, 1, 23, 30, tzinfo=UTC), datetime(2026, 12, 2, 7, 0, tzinfo=UTC)),
        # after midnight: until 07:00 the same morning
        (datetime(2026, 12, 2, 3, 0, tzinfo=UTC), datetime(2026, 12, 2, 7, 0, tzinfo=UTC)),
        # in summer time: 07:00 in London is 06:00 UTC
        (datetime(2026, 6, 2, 21, 30, tzinfo=UTC), datetime(2026, 6, 3, 6, 0, tzinfo=UTC)),
        # outside quiet hours: at once
        (datetime(2026, 12, 2, 7, 0, tzinfo=UTC), datetime(2026, 12, 2, 7, 0, tzinfo=UTC)),
        (datetime(2026, 12, 1, 21, 59, tzinfo=UTC), datetime(2026, 12, 1, 21, 59, tzinfo=UTC)),
    ],
)
def test_quiet_hours_across_midnight_hold_the_push_until_they_end(
    session: Session, world: World, now: datetime, due: datetime
) -> None:
    carer = actor_for(session, world.carer)
    save_preference(
        session,
        actor=carer,
        kinds_on=list(Kind),
        quiet_hours=(time(22, 0), time(7, 0)),
        time_zone="Europe/London",
        now=now,
    )
    tell(session, world, now=now)

    due_by_user = {m.user_id: m.due_at for m in pushes(session, Kind.action_assigned)}
    assert due_by_user == {world.carer.id: due, world.colleague.id: now}


def test_quiet_hours_within_a_day(session: Session, world: World) -> None:
    carer = actor_for(session, world.carer)
    save_preference(
        session,
        actor=carer,
        kinds_on=list(Kind),
        quiet_hours=(time(13, 0), time(15, 30)),
        time_zone="Europe/London",
        now=WINTER_NIGHT,
    )
    tell(session, world, now=datetime(2026, 12, 2, 14, 0, tzinfo=UTC))

    [push] = [m for m in pushes(session, Kind.action_assigned) if m.user_id == world.carer.id]
    assert push.due_at == datetime(2026, 12, 2, 15, 30, tzinfo=UTC)


def test_telling_many_costs_what_telling_one_does(
    session: Session, world: World, engine: Engine
) -> None:
    """A handover completed tells the site's whole staff inside the lead's save: the rows and
    their pushes go in a statement each, whoever many are told."""

    def statements_telling(users: list[uuid.UUID], key: str) -> list[str]:
        session.commit()
        with counted_queries(engine) as statements:
            made = notify(
                session,
                users=users,
                kind=Kind.handover_to_acknowledge,
                title="Handover for Rosewood House, late shift, is ready to acknowledge",
                url="/home",
                source_key=key,
                now=WINTER_NIGHT,
            )
            session.flush()
        assert made == len(users)
        return statements

    everyone = [world.user(persona).id for persona in PERSONA_ROLES]
    assert len(everyone) > 3
    one = statements_telling(everyone[:1], "one")
    many = statements_telling(everyone, "many")
    assert len(many) == len(one)
    assert len(pushes(session, Kind.handover_to_acknowledge)) == len(everyone) + 1
