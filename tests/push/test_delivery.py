"""Delivery: a queued message reaches its user's devices once, encrypted for each and signed
with the app's key; devices that are gone or signed out are removed; push off sends nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest

from app.auth import service as auth_service
from app.push.models import MessageState, PushSubscription
from app.push.service import forget_signed_out_devices
from tests.push.support import Delivery


def test_a_message_reaches_each_device_of_its_user_exactly_once(delivery: Delivery) -> None:
    phone, tablet = delivery.device(), delivery.device()
    colleagues_phone = delivery.device(delivery.colleague)
    message = delivery.queue()
    delivery.clock.advance(seconds=30)

    assert delivery.deliver() == 1
    assert delivery.deliver() == 0

    for device in (phone, tablet):
        [push] = delivery.service.received_by(device)
        assert push.payload == {
            "title": "Handover is ready",
            "body": "Read it before your shift",
            "url": "/handovers/today",
            "tag": "handover-ready",
        }
        # its hour less the 30 s it waited
        assert (push.ttl, push.urgency, push.topic) == (3570, "high", "handover-ready")
        last_used = delivery.session.get_one(PushSubscription, device.id).last_used_at
        assert last_used == delivery.clock.now()
    assert delivery.service.received_by(colleagues_phone) == []
    assert len(delivery.service.received) == 2
    sent = delivery.message(message)
    assert (sent.state, sent.attempts, sent.finished_at) == (
        MessageState.sent,
        1,
        delivery.clock.now(),
    )
    assert sorted(delivery.outcomes(message)) == sorted(
        [(phone.id, 201, "delivered"), (tablet.id, 201, "delivered")]
    )


def test_a_message_waits_until_it_is_due(delivery: Delivery) -> None:
    phone = delivery.device()
    delivery.queue(due_at=delivery.clock.now() + timedelta(hours=8))  # the end of quiet hours

    assert delivery.deliver() == 0
    delivery.clock.advance(hours=8)
    assert delivery.deliver() == 1
    assert len(delivery.service.received_by(phone)) == 1


@pytest.mark.parametrize("status", [404, 410])
def test_a_device_the_push_service_no_longer_knows_is_removed(
    status: int, delivery: Delivery
) -> None:
    old_phone, new_phone = delivery.device(), delivery.device()
    delivery.service.answer(old_phone, status)
    message = delivery.queue()

    assert delivery.deliver() == 1

    assert not delivery.subscribed(old_phone)
    assert delivery.subscribed(new_phone)
    assert len(delivery.service.received_by(new_phone)) == 1
    assert delivery.message(message).state == MessageState.sent
    assert sorted(delivery.outcomes(message), key=lambda a: a[1]) == [
        (new_phone.id, 201, "delivered"),
        (old_phone.id, status, "gone"),
    ]


def test_when_every_device_is_gone_the_inbox_holds_the_message(delivery: Delivery) -> None:
    phone = delivery.device()
    delivery.service.answer(phone, 410)
    message = delivery.queue()

    assert delivery.deliver() == 1

    assert not delivery.subscribed(phone)
    assert delivery.message(message).state == MessageState.no_device


def test_a_user_without_a_device_gets_no_device(delivery: Delivery) -> None:
    delivery.device(delivery.colleague)
    message = delivery.queue()

    assert delivery.deliver() == 1

    assert delivery.service.received == []
    finished = delivery.message(message)
    assert (finished.state, finished.finished_at) == (MessageState.no_device, delivery.clock.now())
    assert delivery.outcomes(message) == []


def test_a_signed_out_device_is_removed_and_an_expired_sign_in_still_gets_pushes(
    delivery: Delivery,
) -> None:
    session, settings, clock = delivery.session, delivery.settings, delivery.clock
    signed_out, expired = (
        auth_service.open_session(session, user=delivery.carer, now=clock.now(), settings=settings)
        for _ in "ab"
    )
    left_phone = delivery.device(session_id=signed_out.auth_session.id)
    kept_phone = delivery.device(session_id=expired.auth_session.id)
    # Signing out, as the sign-out route does it: the sign-in ends and its devices are forgotten.
    auth_service.sign_out(session, session_id=signed_out.auth_session.id, now=clock.now())
    forget_signed_out_devices(session, delivery.carer.id)
    clock.advance(hours=settings.session_absolute_hours + 1)  # the next shift's morning
    delivery.queue()

    assert delivery.deliver() == 1

    assert delivery.service.received_by(left_phone) == []
    assert not delivery.subscribed(left_phone)
    assert len(delivery.service.received_by(kept_phone)) == 1


def test_a_device_whose_sign_in_ended_is_never_posted_to(delivery: Delivery) -> None:
    """Even a sign-in ended some way that forgot to forget its device: the dispatcher sends
    only to devices of sign-ins that have not ended."""
    session, settings, clock = delivery.session, delivery.settings, delivery.clock
    ended = auth_service.open_session(
        session, user=delivery.carer, now=clock.now(), settings=settings
    )
    phone = delivery.device(session_id=ended.auth_session.id)
    auth_service.sign_out(session, session_id=ended.auth_session.id, now=clock.now())
    message = delivery.queue()

    assert delivery.deliver() == 1

    assert delivery.service.received_by(phone) == []
    assert delivery.message(message).state == MessageState.no_device


def test_an_inactive_user_is_sent_nothing(delivery: Delivery) -> None:
    delivery.device()
    delivery.carer.active = False
    delivery.session.add(delivery.carer)
    message = delivery.queue()

    assert delivery.deliver() == 1

    assert delivery.service.received == []
    assert delivery.message(message).state == MessageState.no_device


def test_with_push_off_nothing_is_sent_and_the_outbox_waits(delivery: Delivery) -> None:
    delivery.device()
    message = delivery.queue()

    assert delivery.deliver(delivery.settings.model_copy(update={"push_contact": None})) == 0

    assert delivery.service.received == []
    waiting = delivery.message(message)
    assert (waiting.state, waiting.attempts) == (MessageState.pending, 0)
