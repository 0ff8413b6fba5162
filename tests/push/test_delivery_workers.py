"""Workers share the outbox: a claimed message is theirs until its lease ends, and two workers on
PostgreSQL deliver every message exactly once between them."""

from __future__ import annotations

import threading
from collections import Counter

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, func, select

from app.db import begin_write
from app.push.dispatcher import LEASE, claim_due, deliver_pushes
from app.push.models import MessageState, PushMessage
from app.push.outbox import Push
from tests.conftest import TEST_DATABASE_URL
from tests.push.support import Delivery


def test_messages_leased_by_a_worker_that_died_are_sent_once_when_the_lease_ends(
    delivery: Delivery,
) -> None:
    phone = delivery.device()
    for number in range(3):
        delivery.queue(Push(title="Note", url="/", topic=f"note-{number}"))
    delivery.session.commit()
    begin_write(delivery.session)
    assert len(claim_due(delivery.session, delivery.clock.now())) == 3
    delivery.session.commit()  # the lease is kept, then the worker dies before sending

    delivery.clock.advance(seconds=LEASE.total_seconds() - 1)
    assert delivery.deliver() == 0
    assert delivery.service.received == []

    delivery.clock.advance(seconds=1)
    assert delivery.deliver() == 3
    assert delivery.deliver() == 0

    tags = Counter(push.payload["tag"] for push in delivery.service.received_by(phone))
    assert tags == Counter({f"note-{number}": 1 for number in range(3)})


@pytest.mark.skipif(
    not TEST_DATABASE_URL,
    reason="several workers share a PostgreSQL store (SQLite runs one): runs in make test's "
    "PostgreSQL pass, or wherever TEST_DATABASE_URL is set",
)
def test_two_workers_deliver_every_message_exactly_once(engine: Engine, delivery: Delivery) -> None:
    phone = delivery.device()
    for number in range(30):
        delivery.queue(Push(title="Note", url="/", topic=f"note-{number}"))
    start = threading.Barrier(2)
    finished: list[int] = []

    def worker() -> None:
        with Session(engine, expire_on_commit=False) as own_session:
            start.wait()
            now = delivery.clock.now()
            while done := deliver_pushes(own_session, delivery.settings, now):
                finished.append(done)

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    tags = Counter(push.payload["tag"] for push in delivery.service.received_by(phone))
    assert tags == Counter({f"note-{number}": 1 for number in range(30)})
    assert sum(finished) == 30
    delivery.session.commit()  # a new transaction: see what the workers wrote
    sent = (
        select(func.count()).select_from(PushMessage).where(PushMessage.state == MessageState.sent)
    )
    assert delivery.session.exec(sent).one() == 30
    delivery.clock.advance(minutes=10)
    assert delivery.deliver() == 0
    assert len(delivery.service.received) == 30
