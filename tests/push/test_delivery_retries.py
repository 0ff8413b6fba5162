"""Retries: a busy or unreachable push service is tried again after 1, 2, 4 and 8 minutes (or
as long as it asks, up to six hours), then given up; a refusal, or a device we cannot or may
not post to, is given up at once."""

from __future__ import annotations

import socket
from datetime import timedelta

import pytest

from app.push.keys import b64url
from app.push.models import MAX_ATTEMPTS, MessageState
from app.push.outbox import Push
from tests.push.support import Delivery

BACKOFF_MINUTES = [1, 2, 4, 8]


def test_a_busy_push_service_is_retried_with_backoff_then_given_up(delivery: Delivery) -> None:
    clock = delivery.clock
    phone = delivery.device()
    delivery.service.answer(phone, 503)
    message = delivery.queue()
    start = clock.now()
    tried_at = [start]

    assert delivery.deliver() == 0
    for minutes in BACKOFF_MINUTES:
        clock.advance(minutes=minutes, seconds=-1)
        assert delivery.deliver() == 0
        assert len(delivery.attempts(message)) == len(tried_at)  # not due yet
        clock.advance(seconds=1)
        tried_at.append(clock.now())
        finished = delivery.deliver()
    assert finished == 1

    tries = delivery.attempts(message)
    assert [attempt.attempted_at for attempt in tries] == tried_at
    assert [attempt.outcome for attempt in tries] == ["retry"] * 4 + ["given_up"]
    assert {attempt.status_code for attempt in tries} == {503}
    given_up = delivery.message(message)
    assert (given_up.state, given_up.attempts) == (MessageState.given_up, MAX_ATTEMPTS)
    assert tried_at[-1] - start == timedelta(minutes=sum(BACKOFF_MINUTES))
    assert delivery.subscribed(phone)  # busy, not gone


@pytest.mark.parametrize(
    ("retry_after", "wait"),
    [(None, timedelta(minutes=1)), (600, timedelta(minutes=10)), (86400, timedelta(hours=6))],
)
@pytest.mark.parametrize("status", [429, 500, 503])
def test_a_retry_waits_as_long_as_the_push_service_asks_up_to_six_hours(
    status: int, retry_after: int | None, wait: timedelta, delivery: Delivery
) -> None:
    phone = delivery.device()
    delivery.service.answer(phone, status, retry_after=retry_after)
    message = delivery.queue(Push(title="Note", url="/", topic="note"))  # a day's TTL
    due_at = delivery.clock.now()

    assert delivery.deliver() == 0

    waiting = delivery.message(message)
    assert (waiting.state, waiting.due_at, waiting.claimed_until) == (
        MessageState.pending,
        due_at,  # still when it was due: its TTL runs from then
        due_at + wait,
    )


def test_an_unreachable_push_service_is_retried(delivery: Delivery) -> None:
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    phone = delivery.device()
    phone.endpoint = f"http://127.0.0.1:{port}/push/nobody-listens"
    delivery.session.add(phone)
    message = delivery.queue()

    assert delivery.deliver() == 0

    assert delivery.outcomes(message) == [(phone.id, None, "retry")]
    assert delivery.message(message).claimed_until == delivery.clock.now() + timedelta(minutes=1)


@pytest.mark.parametrize("status", [400, 403, 413])
def test_a_refused_device_is_given_up_at_once_and_left_out_of_retries(
    status: int, delivery: Delivery
) -> None:
    refusing, busy = delivery.device(), delivery.device()
    delivery.service.answer(refusing, status)
    delivery.service.answer(busy, 503)
    message = delivery.queue()
    assert delivery.deliver() == 0

    delivery.service.answer(busy, 201)
    delivery.clock.advance(minutes=1)
    assert delivery.deliver() == 1

    assert delivery.outcomes(message) == [
        (refusing.id, status, "given_up"),
        (busy.id, 503, "retry"),
        (busy.id, 201, "delivered"),  # the refusing device is not tried again
    ]
    assert delivery.message(message).state == MessageState.sent
    assert delivery.subscribed(refusing)


def test_a_device_whose_keys_cannot_encrypt_is_given_up_without_a_request(
    delivery: Delivery,
) -> None:
    phone = delivery.device()
    phone.p256dh = b64url(b"\x04" + bytes(64))  # not a point on the curve
    delivery.session.add(phone)
    message = delivery.queue()

    assert delivery.deliver() == 1

    assert delivery.outcomes(message) == [(phone.id, None, "given_up")]
    assert delivery.message(message).state == MessageState.given_up
    assert delivery.service.received == []


def test_a_device_at_a_local_address_is_given_up_without_a_request(delivery: Delivery) -> None:
    phone = delivery.device()
    message = delivery.queue()

    assert (
        delivery.deliver(delivery.settings.model_copy(update={"push_allow_local_endpoints": False}))
        == 1
    )

    assert delivery.outcomes(message) == [(phone.id, None, "given_up")]
    assert delivery.service.received == []


def test_a_device_whose_push_service_left_the_list_is_given_up_without_a_request(
    delivery: Delivery,
) -> None:
    """Kept while its host was allowed; the sender checks the list again before posting (an
    attempt would have failed to connect and been retried, not given up at once)."""
    phone = delivery.device()
    phone.endpoint = "https://push.example.org/push/kept-before"
    delivery.session.add(phone)
    message = delivery.queue()

    assert delivery.deliver() == 1

    assert delivery.outcomes(message) == [(phone.id, None, "given_up")]
    assert delivery.message(message).state == MessageState.given_up
    assert delivery.subscribed(phone)
