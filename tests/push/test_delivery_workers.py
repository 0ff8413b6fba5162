"""Workers share the outbox: a claimed message is theirs until its lease ends, and two workers on
PostgreSQL deliver every message exactly once between them."""

from __future__ import annotations

import threading
from collections import Counter

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, func, select

from app.auth.models import User
from app.config import Settings
from app.push.dispatcher import LEASE, deliver_pushes
from app.push.models import MessageState, PushMessage
from app.push.outbox import Push
from tests.conftest import TEST_DATABASE_URL
from tests.push.fake_push_service import FakePushService, subscribe
from tests.push.support import deliver, queue
from tests.support import FrozenClock


def test_a_message_leased_by_a_worker_that_died_is_sent_when_its_lease_ends(
    session: Session,
    settings: Settings,
    clock: FrozenClock,
    push_service: FakePushService,
    people: tuple[User, User],
) -> None:
    carer, _ = people
    phone = subscribe(session, push_service, carer.id, now=clock.now())
    message = queue(session, carer, clock.now())
    message.claimed_until = clock.now() + LEASE  # claimed, then the worker's process died
    session.add(message)

    assert deliver(session, settings, clock.now()) == 0
    clock.advance(seconds=LEASE.total_seconds() + 1)
    assert deliver(session, settings, clock.now()) == 1

    assert len(push_service.received_by(phone)) == 1


@pytest.mark.skipif(
    not TEST_DATABASE_URL,
    reason="several workers share a PostgreSQL store (SQLite runs one): set TEST_DATABASE_URL",
)
def test_two_workers_deliver_every_message_exactly_once(
    engine: Engine,
    session: Session,
    settings: Settings,
    clock: FrozenClock,
    push_service: FakePushService,
    people: tuple[User, User],
) -> None:
    carer, _ = people
    phone = subscribe(session, push_service, carer.id, now=clock.now())
    for number in range(30):
        queue(session, carer, clock.now(), Push(title="Note", url="/", topic=f"note-{number}"))
    start = threading.Barrier(2)
    finished: list[int] = []

    def worker() -> None:
        with Session(engine, expire_on_commit=False) as own_session:
            start.wait()
            while done := deliver_pushes(own_session, settings, clock.now()):
                finished.append(done)

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    tags = Counter(push.payload["tag"] for push in push_service.received_by(phone))
    assert tags == Counter({f"note-{number}": 1 for number in range(30)})
    assert sum(finished) == 30
    session.commit()
    sent = select(func.count()).where(PushMessage.state == MessageState.sent)
    assert session.exec(sent).one() == 30
    clock.advance(minutes=10)
    assert deliver(session, settings, clock.now()) == 0
    assert len(push_service.received) == 30
