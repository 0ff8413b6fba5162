"""``send_reminders``: a handover on your usual shift starts soon, an action of yours is due;
each told once, however often the worker runs, timed by the injected ``now``."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

from sqlalchemy import Engine
from sqlmodel import Session

from app.action import service as action_service
from app.action.models import ActionSource
from app.action.schemas import ActionCreate
from app.config import Settings
from app.inbox.models import Kind
from app.org.models import Site
from app.reminders.service import send_reminders
from tests.inbox.helpers import assert_names_nothing_private, told, usually_works
from tests.support import START, World, actor_for, counted_queries, make_bare_handover


def run(session: Session, settings: Settings, now: datetime) -> int:
    sent = send_reminders(session, settings, now)
    session.commit()
    return sent


def at(hour: int, minute: int, day: int = 1) -> datetime:
    return datetime(2026, 12, day, hour, minute, tzinfo=UTC)  # London is on GMT in December


def test_staff_on_the_incoming_shift_are_reminded_once(
    session: Session, world: World, settings: Settings
) -> None:
    usually_works(session, world, "carer", "Late")
    usually_works(session, world, "lead", "Early")

    assert run(session, settings, at(13, 29)) == 0  # the late shift starts at 14:00: 31 minutes
    assert run(session, settings, at(13, 30)) == 1
    assert run(session, settings, at(13, 30)) == 0  # the worker again, in the same minute
    assert run(session, settings, at(13, 45)) == 0

    by_user = told(session, Kind.handover_soon)
    assert list(by_user) == [world.carer.id]
    [reminder] = by_user[world.carer.id]
    assert reminder.title == "Handover for Rosewood House, late shift, starts in 30 minutes"
    assert reminder.url == f"/sites/{world.site.id}/handovers"
    assert run(session, settings, at(13, 30, day=2)) == 1  # the next day's late shift
    assert_names_nothing_private(session)


def test_the_night_shift_and_a_sites_own_minutes(
    session: Session, world: World, settings: Settings
) -> None:
    site = session.get_one(Site, world.site.id)
    site.handover_reminder_minutes = 60
    session.add(site)
    session.commit()
    usually_works(session, world, "colleague", "Night")

    assert run(session, settings, at(19, 59)) == 0
    assert run(session, settings, at(20, 15)) == 1

    [reminder] = told(session, Kind.handover_soon)[world.colleague.id]
    assert reminder.title == "Handover for Rosewood House, night shift, starts in 45 minutes"


def test_staff_who_left_the_site_are_not_reminded(
    session: Session, world: World, settings: Settings
) -> None:
    usually_works(session, world, "carer", "Late")
    world.carer.active = False
    session.add(world.carer)
    session.commit()
    assert run(session, settings, at(13, 30)) == 0


def add_action(session: Session, world: World, due_on: date) -> uuid.UUID:
    saved = action_service.add_action(
        session,
        actor=actor_for(session, world.manager),
        site_id=world.site.id,
        source=ActionSource.handover,
        source_id=make_bare_handover(session, site=world.site, lead=world.lead).id,
        data=ActionCreate(
            id=uuid.uuid4(), description="Ask Ada", owner_id=world.carer.id, due_on=due_on
        ),
        now=START,
    )
    session.commit()
    return saved.record.id


def test_an_action_due_is_told_once_a_day_from_the_morning(
    session: Session, world: World, settings: Settings
) -> None:
    action_id = add_action(session, world, date(2026, 12, 1))
    add_action(session, world, date(2026, 12, 5))  # not due yet

    assert run(session, settings, at(6, 59)) == 0
    assert run(session, settings, at(7, 0)) == 1
    assert run(session, settings, at(15, 0)) == 0
    assert run(session, settings, at(7, 0, day=2)) == 1

    titles = [n.title for n in told(session, Kind.action_due)[world.carer.id]]
    assert sorted(titles) == [
        "An action of yours at Rosewood House is due today",
        "An action of yours at Rosewood House is overdue",
    ]
    action = action_service.get_action(
        session, actor=actor_for(session, world.carer), action_id=action_id
    )
    action_service.complete_action(
        session, actor=actor_for(session, world.carer), action=action, now=at(8, 0, day=2)
    )
    session.commit()
    assert run(session, settings, at(7, 0, day=3)) == 0
    assert_names_nothing_private(session)


def test_a_round_with_nothing_new_writes_nothing_and_asks_the_same_few_questions(
    session: Session, world: World, settings: Settings, engine: Engine
) -> None:
    """The worker runs every few seconds: once everyone due has been told, a round only reads,
    and reads as often with many reminders told as with one."""
    usually_works(session, world, "carer", "Late")
    add_action(session, world, date(2026, 12, 1))
    assert run(session, settings, at(13, 30)) == 2

    def round_at(now: datetime) -> list[str]:
        session.expunge_all()
        with counted_queries(engine) as statements:
            assert run(session, settings, now) == 0
        return statements

    one_each = round_at(at(13, 31))
    for _ in range(5):
        add_action(session, world, date(2026, 12, 1))
    run(session, settings, at(13, 32))
    many = round_at(at(13, 33))

    assert len(many) == len(one_each)
    assert not [s for s in many if s.lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))]
