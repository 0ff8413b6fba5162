"""Delivery: a queued message reaches its user's devices once, encrypted for each and signed
with the app's key; devices that are gone or signed out are removed; push off sends nothing."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from sqlmodel import Session

from app.auth import service as auth_service
from app.auth.models import User
from app.config import Settings
from app.push.models import MessageState, PushMessage, PushSubscription
from app.push.outbox import queue_push
from tests.push.fake_push_service import FakePushService, subscribe
from tests.push.support import HANDOVER, attempts_of, deliver, queue
from tests.support import FrozenClock


def still_subscribed(session: Session, device: PushSubscription) -> bool:
    return session.get(PushSubscription, device.id) is not None


def test_a_message_reaches_each_device_of_its_user_exactly_once(
    session: Session,
    settings: Settings,
    clock: FrozenClock,
    push_service: FakePushService,
    people: tuple[User, User],
) -> None:
    carer, colleague = people
    phone, tablet = (subscribe(session, push_service, carer.id, now=clock.now()) for _ in "ab")
    colleagues_phone = subscribe(session, push_service, colleague.id, now=clock.now())
    message = queue(session, carer, clock.now())
    clock.advance(seconds=30)

    assert deliver(session, settings, clock.now()) == 1
    assert deliver(session, settings, clock.now()) == 0

    for device in (phone, tablet):
        [push] = push_service.received_by(device)
        assert push.payload == {
            "title": "Handover is ready",
            "body": "Read it before your shift",
            "url": "/handovers/today",
            "tag": "handover-ready",
        }
        assert (push.ttl, push.urgency, push.topic) == (3600, "high", "handover-ready")
        assert session.get_one(PushSubscription, device.id).last_used_at == clock.now()
    assert push_service.received_by(colleagues_phone) == []
    assert len(push_service.received) == 2
    session.refresh(message)
    assert (message.state, message.attempts, message.finished_at) == (
        MessageState.sent,
        1,
        clock.now(),
    )
    tries = attempts_of(session, message)
    assert {(a.subscription_id, a.status_code, a.outcome) for a in tries} == {
        (phone.id, 201, "delivered"),
        (tablet.id, 201, "delivered"),
    }


def test_a_message_waits_until_it_is_due(
    session: Session,
    settings: Settings,
    clock: FrozenClock,
    push_service: FakePushService,
    people: tuple[User, User],
) -> None:
    carer, _ = people
    phone = subscribe(session, push_service, carer.id, now=clock.now())
    queue_push(
        session,
        notification_id=uuid.uuid4(),
        user_id=carer.id,
        push=HANDOVER,
        due_at=clock.now() + timedelta(hours=8),  # the end of quiet hours
        now=clock.now(),
    )
    session.commit()

    assert deliver(session, settings, clock.now()) == 0
    clock.advance(hours=8)
    assert deliver(session, settings, clock.now()) == 1
    assert len(push_service.received_by(phone)) == 1


@pytest.mark.parametrize("status", [404, 410])
def test_a_device_the_push_service_no_longer_knows_is_removed(
    status: int,
    session: Session,
    settings: Settings,
    clock: FrozenClock,
    push_service: FakePushService,
    people: tuple[User, User],
) -> None:
    carer, _ = people
    old_phone = subscribe(session, push_service, carer.id, now=clock.now())
    new_phone = subscribe(session, push_service, carer.id, now=clock.now())
    push_service.answer(old_phone, status)
    message = queue(session, carer, clock.now())

    assert deliver(session, settings, clock.now()) == 1

    assert not still_subscribed(session, old_phone)
    assert still_subscribed(session, new_phone)
    assert len(push_service.received_by(new_phone)) == 1
    assert session.get_one(PushMessage, message.id).state == MessageState.sent
    assert {
        (a.subscription_id, a.status_code, a.outcome) for a in attempts_of(session, message)
    } == {
        (old_phone.id, status, "gone"),
        (new_phone.id, 201, "delivered"),
    }


def test_when_every_device_is_gone_the_inbox_holds_the_message(
    session: Session,
    settings: Settings,
    clock: FrozenClock,
    push_service: FakePushService,
    people: tuple[User, User],
) -> None:
    carer, _ = people
    phone = subscribe(session, push_service, carer.id, now=clock.now())
    push_service.answer(phone, 410)
    message = queue(session, carer, clock.now())

    assert deliver(session, settings, clock.now()) == 1

    assert not still_subscribed(session, phone)
    assert session.get_one(PushMessage, message.id).state == MessageState.no_device


def test_a_user_without_a_device_gets_no_device(
    session: Session,
    settings: Settings,
    clock: FrozenClock,
    push_service: FakePushService,
    people: tuple[User, User],
) -> None:
    carer, colleague = people
    subscribe(session, push_service, colleague.id, now=clock.now())
    message = queue(session, carer, clock.now())

    assert deliver(session, settings, clock.now()) == 1

    assert push_service.received == []
    finished = session.get_one(PushMessage, message.id)
    assert (finished.state, finished.finished_at) == (MessageState.no_device, clock.now())
    assert attempts_of(session, message) == []


def test_a_signed_out_device_is_removed_and_an_expired_sign_in_still_gets_pushes(
    session: Session,
    settings: Settings,
    clock: FrozenClock,
    push_service: FakePushService,
    people: tuple[User, User],
) -> None:
    carer, _ = people
    signed_out, expired = (
        auth_service.open_session(session, user=carer, now=clock.now(), settings=settings)
        for _ in "ab"
    )
    auth_service.sign_out(session, session_id=signed_out.auth_session.id, now=clock.now())
    session.commit()
    left_phone = subscribe(
        session, push_service, carer.id, now=clock.now(), session_id=signed_out.auth_session.id
    )
    kept_phone = subscribe(
        session, push_service, carer.id, now=clock.now(), session_id=expired.auth_session.id
    )
    clock.advance(hours=settings.session_absolute_hours + 1)  # the next shift's morning
    queue(session, carer, clock.now())

    assert deliver(session, settings, clock.now()) == 1

    assert push_service.received_by(left_phone) == []
    assert not still_subscribed(session, left_phone)
    assert len(push_service.received_by(kept_phone)) == 1


def test_an_inactive_user_is_sent_nothing(
    session: Session,
    settings: Settings,
    clock: FrozenClock,
    push_service: FakePushService,
    people: tuple[User, User],
) -> None:
    carer, _ = people
    subscribe(session, push_service, carer.id, now=clock.now())
    carer.active = False
    session.add(carer)
    message = queue(session, carer, clock.now())

    assert deliver(session, settings, clock.now()) == 1

    assert push_service.received == []
    assert session.get_one(PushMessage, message.id).state == MessageState.no_device


def test_with_push_off_nothing_is_sent_and_the_outbox_waits(
    session: Session,
    settings: Settings,
    clock: FrozenClock,
    push_service: FakePushService,
    people: tuple[User, User],
) -> None:
    carer, _ = people
    subscribe(session, push_service, carer.id, now=clock.now())
    message = queue(session, carer, clock.now())
    push_off = settings.model_copy(update={"push_contact": None})

    assert deliver(session, push_off, clock.now()) == 0

    assert push_service.received == []
    waiting = session.get_one(PushMessage, message.id)
    assert (waiting.state, waiting.attempts) == (MessageState.pending, 0)
