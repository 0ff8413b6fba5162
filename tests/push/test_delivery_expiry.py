"""A message is worth sending until its TTL has run from when it was due: one still waiting
after that is expired and sent to no device, and no retry is set past it. The inbox keeps the
notification whatever becomes of its push."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlmodel import select

from app.inbox.models import Kind, Notification
from app.inbox.service import notify
from app.push.models import MessageState, PushMessage
from app.push.outbox import Push
from tests.push.support import HANDOVER, Delivery

FEEDBACK = "Feedback on your practice is ready"


def told(delivery: Delivery) -> tuple[Notification, PushMessage]:
    """The carer told through the inbox, as a manager's feedback tells them (a 24 h TTL)."""
    notify(
        delivery.session,
        users=[delivery.carer.id],
        kind=Kind.feedback,
        title=FEEDBACK,
        url="/observations/1",
        source_key="observation-1",
        now=delivery.clock.now(),
    )
    delivery.session.commit()
    notification = delivery.session.exec(select(Notification)).one()
    message = delivery.session.exec(select(PushMessage)).one()
    assert message.ttl_seconds == 24 * 3600
    return notification, message


def as_stored(delivery: Delivery, notification: Notification) -> dict[str, Any]:
    delivery.session.commit()  # a new transaction: see what delivery wrote
    return delivery.session.get_one(Notification, notification.id).model_dump()


def test_a_message_still_waiting_past_its_ttl_is_expired_and_sent_nowhere(
    delivery: Delivery,
) -> None:
    phone = delivery.device()
    notification, message = told(delivery)
    kept = notification.model_dump()
    delivery.clock.advance(hours=25)  # the worker was down for a day

    assert delivery.deliver() == 1
    assert delivery.deliver() == 0

    assert delivery.service.received_by(phone) == []
    expired = delivery.message(message)
    assert (expired.state, expired.finished_at, expired.attempts, expired.claimed_until) == (
        MessageState.expired,
        delivery.clock.now(),
        0,
        None,
    )
    assert delivery.attempts(message) == []
    assert as_stored(delivery, notification) == kept


def test_a_message_within_its_ttl_is_sent_however_late(delivery: Delivery) -> None:
    phone = delivery.device()
    notification, message = told(delivery)
    kept = notification.model_dump()
    delivery.clock.advance(hours=23)

    assert delivery.deliver() == 1

    [push] = delivery.service.received_by(phone)
    assert push.payload["title"] == FEEDBACK
    assert push.ttl == 3600  # the hour left of its day: not a whole day more
    assert delivery.message(message).state == MessageState.sent
    assert as_stored(delivery, notification) == kept


def test_a_message_held_for_quiet_hours_counts_its_ttl_from_when_it_is_due(
    delivery: Delivery,
) -> None:
    phone = delivery.device()
    delivery.queue(due_at=delivery.clock.now() + timedelta(hours=8))  # one-hour TTL
    delivery.clock.advance(hours=8, minutes=59)

    assert delivery.deliver() == 1

    assert len(delivery.service.received_by(phone)) == 1


def test_a_retry_waiting_when_its_ttl_ran_out_is_expired(delivery: Delivery) -> None:
    phone = delivery.device()
    delivery.service.answer(phone, 503)
    message = delivery.queue()  # one-hour TTL
    assert delivery.deliver() == 0  # retried in a minute
    delivery.service.answer(phone, 201)
    delivery.clock.advance(hours=2)  # ...but the worker was down

    assert delivery.deliver() == 1

    assert delivery.service.received == []
    assert delivery.message(message).state == MessageState.expired
    assert delivery.outcomes(message) == [(phone.id, 503, "retry")]


def test_a_retry_is_never_set_past_the_ttl_the_message_is_given_up_instead(
    delivery: Delivery,
) -> None:
    phone = delivery.device()
    delivery.service.answer(phone, 429, retry_after=2 * 3600)  # the TTL is one hour
    message = delivery.queue(HANDOVER)

    assert delivery.deliver() == 1

    given_up = delivery.message(message)
    assert (given_up.state, given_up.finished_at) == (MessageState.given_up, delivery.clock.now())
    assert delivery.outcomes(message) == [(phone.id, 429, "given_up")]


def test_expiring_leaves_other_messages_alone(delivery: Delivery) -> None:
    phone = delivery.device()
    stale = delivery.queue(Push(title="Old", url="/", topic="old", ttl_seconds=60))
    delivery.clock.advance(minutes=2)
    fresh = delivery.queue(Push(title="New", url="/", topic="new", ttl_seconds=60))

    assert delivery.deliver() == 2

    assert [push.payload["title"] for push in delivery.service.received_by(phone)] == ["New"]
    assert delivery.message(stale).state == MessageState.expired
    assert delivery.message(fresh).state == MessageState.sent
