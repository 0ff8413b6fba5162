"""Retries: a busy or unreachable push service is tried again after 1, 2, 4 and 8 minutes (or
as long as it asks, up to six hours), then given up; a refusal, or a device we cannot or may
not post to, is given up at once."""

from __future__ import annotations

import socket
from datetime import timedelta

import pytest
from sqlmodel import Session

from app.auth.models import User
from app.config import Settings
from app.push.keys import b64url
from app.push.models import MAX_ATTEMPTS, MessageState, PushMessage, PushSubscription
from app.push.sender import may_post_to
from tests.push.fake_push_service import FakePushService, subscribe
from tests.push.support import attempts_of, deliver, queue
from tests.support import FrozenClock

BACKOFF_MINUTES = [1, 2, 4, 8]


def test_a_busy_push_service_is_retried_with_backoff_then_given_up(
    session: Session,
    settings: Settings,
    clock: FrozenClock,
    push_service: FakePushService,
    people: tuple[User, User],
) -> None:
    carer, _ = people
    phone = subscribe(session, push_service, carer.id, now=clock.now())
    push_service.answer(phone, 503)
    message = queue(session, carer, clock.now())
    start = clock.now()
    tried_at = [start]

    assert deliver(session, settings, clock.now()) == 0
    for minutes in BACKOFF_MINUTES:
        clock.advance(minutes=minutes, seconds=-1)
        assert deliver(session, settings, clock.now()) == 0
        assert len(attempts_of(session, message)) == len(tried_at)  # not due yet
        clock.advance(seconds=1)
        tried_at.append(clock.now())
        finished = deliver(session, settings, clock.now())
    assert finished == 1

    tries = attempts_of(session, message)
    assert [attempt.attempted_at for attempt in tries] == tried_at
    assert [attempt.outcome for attempt in tries] == ["retry"] * 4 + ["given_up"]
    assert {attempt.status_code for attempt in tries} == {503}
    given_up = session.get_one(PushMessage, message.id)
    assert (given_up.state, given_up.attempts) == (MessageState.given_up, MAX_ATTEMPTS)
    assert tried_at[-1] - start == timedelta(minutes=sum(BACKOFF_MINUTES))
    assert session.get(PushSubscription, phone.id) is not None  # busy, not gone


@pytest.mark.parametrize(
    ("retry_after", "wait"),
    [(None, timedelta(minutes=1)), (600, timedelta(minutes=10)), (86400, timedelta(hours=6))],
)
@pytest.mark.parametrize("status", [429, 500, 503])
def test_a_retry_waits_as_long_as_the_push_service_asks_up_to_six_hours(
    status: int,
    retry_after: int | None,
    wait: timedelta,
    session: Session,
    settings: Settings,
    clock: FrozenClock,
    push_service: FakePushService,
    people: tuple[User, User],
) -> None:
    carer, _ = people
    phone = subscribe(session, push_service, carer.id, now=clock.now())
    push_service.answer(phone, status, retry_after=retry_after)
    message = queue(session, carer, clock.now())

    assert deliver(session, settings, clock.now()) == 0

    waiting = session.get_one(PushMessage, message.id)
    assert (waiting.state, waiting.due_at, waiting.claimed_until) == (
        MessageState.pending,
        clock.now() + wait,
        None,
    )


def test_an_unreachable_push_service_is_retried(
    session: Session,
    settings: Settings,
    clock: FrozenClock,
    push_service: FakePushService,
    people: tuple[User, User],
) -> None:
    carer, _ = people
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    phone = subscribe(session, push_service, carer.id, now=clock.now())
    phone.endpoint = f"http://127.0.0.1:{port}/push/nobody-listens"
    session.add(phone)
    message = queue(session, carer, clock.now())

    assert deliver(session, settings, clock.now()) == 0

    [attempt] = attempts_of(session, message)
    assert (attempt.status_code, attempt.outcome) == (None, "retry")
    assert session.get_one(PushMessage, message.id).due_at == clock.now() + timedelta(minutes=1)


@pytest.mark.parametrize("status", [400, 403, 413])
def test_a_refused_device_is_given_up_at_once_and_left_out_of_retries(
    status: int,
    session: Session,
    settings: Settings,
    clock: FrozenClock,
    push_service: FakePushService,
    people: tuple[User, User],
) -> None:
    carer, _ = people
    refusing, busy = (subscribe(session, push_service, carer.id, now=clock.now()) for _ in "ab")
    push_service.answer(refusing, status)
    push_service.answer(busy, 503)
    message = queue(session, carer, clock.now())
    assert deliver(session, settings, clock.now()) == 0

    push_service.answer(busy, 201)
    clock.advance(minutes=1)
    assert deliver(session, settings, clock.now()) == 1

    tries = [(a.subscription_id, a.status_code, a.outcome) for a in attempts_of(session, message)]
    assert sorted(tries[:2], key=lambda t: t[1]) == [
        (refusing.id, status, "given_up"),
        (busy.id, 503, "retry"),
    ]
    assert tries[2:] == [(busy.id, 201, "delivered")]  # the refusing device is not tried again
    assert session.get_one(PushMessage, message.id).state == MessageState.sent
    assert session.get(PushSubscription, refusing.id) is not None


def test_a_device_whose_keys_cannot_encrypt_is_given_up_without_a_request(
    session: Session,
    settings: Settings,
    clock: FrozenClock,
    push_service: FakePushService,
    people: tuple[User, User],
) -> None:
    carer, _ = people
    phone = subscribe(session, push_service, carer.id, now=clock.now())
    phone.p256dh = b64url(b"\x04" + bytes(64))  # not a point on the curve
    session.add(phone)
    message = queue(session, carer, clock.now())

    assert deliver(session, settings, clock.now()) == 1

    [attempt] = attempts_of(session, message)
    assert (attempt.status_code, attempt.outcome) == (None, "given_up")
    assert session.get_one(PushMessage, message.id).state == MessageState.given_up
    assert push_service.received == []


def test_a_device_at_a_local_address_is_given_up_without_a_request(
    session: Session,
    settings: Settings,
    clock: FrozenClock,
    push_service: FakePushService,
    people: tuple[User, User],
) -> None:
    carer, _ = people
    subscribe(session, push_service, carer.id, now=clock.now())
    message = queue(session, carer, clock.now())
    production_like = settings.model_copy(update={"push_allow_local_endpoints": False})

    assert deliver(session, production_like, clock.now()) == 1

    [attempt] = attempts_of(session, message)
    assert (attempt.status_code, attempt.outcome) == (None, "given_up")
    assert push_service.received == []


@pytest.mark.parametrize(
    ("endpoint", "allow_local", "allowed"),
    [
        ("https://fcm.googleapis.com/fcm/send/abc", False, True),
        ("https://updates.push.services.mozilla.com/wpush/v2/abc", False, True),
        ("http://fcm.googleapis.com/fcm/send/abc", False, False),
        ("https://127.0.0.1:8443/push/abc", False, False),
        ("https://10.1.2.3/push/abc", False, False),
        ("https://[::1]/push/abc", False, False),
        ("https://169.254.169.254/latest/meta-data", False, False),
        ("https://push.internal/abc", False, False),
        ("https://intranet/abc", False, False),
        ("http://127.0.0.1:8443/push/abc", True, True),
    ],
)
def test_only_public_https_push_services_are_posted_to(
    endpoint: str, allow_local: bool, allowed: bool
) -> None:
    assert may_post_to(endpoint, allow_local=allow_local) is allowed
