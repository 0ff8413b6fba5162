"""Delivering the push outbox: claim what is due, send each message to its user's devices, and
keep what each push service answered.

Claiming takes a lease (``claimed_until``) and commits it before anything is sent, so a second
worker never takes the same row and a worker that dies lets its rows go after the lease. The
sending happens outside any transaction: a slow push service never holds a lock on the store.

A message is worth sending until its TTL has run from when it was due (``expires_at``): one
still waiting after that (the worker was down, or the push service busy) is settled as
``expired`` when the next claim runs, and sent to no device.
"""

from __future__ import annotations

import time
import uuid
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement
from sqlmodel import Session, and_, col, delete, or_, select, update

from app.auth.models import AuthSession, User
from app.config import Settings
from app.db import begin_write, epoch_seconds
from app.push.endpoints import PushServices
from app.push.keys import vapid_keys
from app.push.models import MAX_ATTEMPTS, MessageState, PushAttempt, PushMessage, PushSubscription
from app.push.sender import Answer, PushSender

BATCH_SIZE = 20
LEASE = timedelta(minutes=5)
BACKOFF = (timedelta(minutes=1), timedelta(minutes=2), timedelta(minutes=4), timedelta(minutes=8))
LONGEST_RETRY_AFTER = timedelta(hours=6)
DELIVERED = frozenset({200, 201, 202})
GONE = frozenset({404, 410})


@dataclass(frozen=True)
class Claimed:
    """A message leased to this worker, with the devices to try this time."""

    message: PushMessage
    devices: list[PushSubscription]


def deliver_pushes(session: Session, settings: Settings, now: datetime) -> int:
    """Send what is due, a batch at a time until none is left; the number of messages
    finished (sent, no device, given up or expired). With no ``push_contact`` push is off and
    the outbox waits.

    The session must keep its rows across commits (``expire_on_commit=False``, as every
    session of the app does): the claimed rows are read again after the lease is committed,
    while sending, when no transaction is open."""
    contact = settings.push_contact
    if contact is None:
        return 0
    finished = 0
    while True:
        waiting = anything_due(session, now)
        session.commit()  # that look was a read: with nothing due, no write lock is taken
        if not waiting:
            return finished
        begin_write(session)
        finished += expire_overdue(session, now)
        claimed = claim_due(session, now)
        if not claimed:
            session.commit()
            return finished
        sender = PushSender.of(
            vapid_keys(session, settings, now=now).private_key,
            contact=contact,
            services=PushServices.of(settings),
        )
        session.commit()
        finished += _send(session, claimed, sender, now)


def _send(session: Session, claimed: list[Claimed], sender: PushSender, now: datetime) -> int:
    """Send each claimed message and keep the answers, one transaction per message. A batch
    that outlasts half its lease stops: the rest stays leased and is claimed again once the
    lease ends, never while this worker might still be sending it."""
    stop_at = time.monotonic() + LEASE.total_seconds() / 2
    finished = 0
    for item in claimed:
        if time.monotonic() > stop_at:
            break
        answers = [(device, sender.send(item.message, device, now)) for device in item.devices]
        begin_write(session)
        finished += _record(session, item.message, answers, now)
        session.commit()
    return finished


def expires_at(message: PushMessage) -> datetime:
    """When the message stops being worth sending: its TTL after it was due."""
    return message.due_at + timedelta(seconds=message.ttl_seconds)


def anything_due(session: Session, now: datetime) -> bool:
    """Whether any message waits for a worker: to be sent, or to be settled as expired."""
    return session.exec(select(PushMessage.id).where(_due(now)).limit(1)).first() is not None


def expire_overdue(session: Session, now: datetime) -> int:
    """Settle every message no worker holds whose TTL ran out before ``now``, in one
    statement, before it could be claimed; the number settled. A message a worker holds is
    left to it: a retry is never set past the TTL, so the wait of one has always ended."""
    overdue = epoch_seconds(session, col(PushMessage.due_at)) + col(PushMessage.ttl_seconds)
    result = session.exec(
        update(PushMessage)
        .where(_free(now), col(PushMessage.due_at) < now, overdue < now.timestamp())
        .values(state=MessageState.expired, finished_at=now, claimed_until=None)
    )
    return result.rowcount


def claim_due(session: Session, now: datetime) -> list[Claimed]:
    """Lease up to a batch of due messages. ``SKIP LOCKED`` lets two PostgreSQL workers claim
    at once without waiting on or taking each other's rows; SQLite (one in-process worker,
    writes serialised) compiles the same query without the lock clause."""
    due = session.exec(
        select(PushMessage)
        .where(_due(now))
        .order_by(col(PushMessage.due_at))
        .limit(BATCH_SIZE)
        .with_for_update(skip_locked=True)
    ).all()
    for message in due:
        message.claimed_until = now + LEASE
    if not due:
        return []
    devices = _devices(session, {message.user_id for message in due})
    refused = _refused_devices(session, [message.id for message in due if message.attempts])
    return [
        Claimed(
            message,
            [d for d in devices[message.user_id] if (message.id, d.id) not in refused],
        )
        for message in due
    ]


def _due(now: datetime) -> ColumnElement[bool]:
    """Free, and its time has come."""
    return and_(_free(now), col(PushMessage.due_at) <= now)


def _free(now: datetime) -> ColumnElement[bool]:
    """Still to be sent, and held by no worker (no lease, and no wait before a retry)."""
    return and_(
        PushMessage.state == MessageState.pending,
        or_(col(PushMessage.claimed_until).is_(None), col(PushMessage.claimed_until) <= now),
    )


def _devices(
    session: Session, user_ids: set[uuid.UUID]
) -> defaultdict[uuid.UUID, list[PushSubscription]]:
    """Each active user's devices. Ending a sign-in forgets its devices at once
    (``forget_signed_out_devices``); this only makes sure none whose sign-in has ended is ever
    posted to. An expired sign-in keeps its device, so pushes still arrive between one shift's
    sign-in and the next."""
    devices = session.exec(
        select(PushSubscription)
        .join(User, col(User.id) == PushSubscription.user_id)
        .outerjoin(AuthSession, col(AuthSession.id) == PushSubscription.session_id)
        .where(
            col(PushSubscription.user_id).in_(user_ids),
            col(User.active),
            col(AuthSession.revoked_at).is_(None),
        )
        .order_by(col(PushSubscription.created_at))
    )
    by_user: defaultdict[uuid.UUID, list[PushSubscription]] = defaultdict(list)
    for device in devices:
        by_user[device.user_id].append(device)
    return by_user


def _refused_devices(
    session: Session, message_ids: list[uuid.UUID]
) -> set[tuple[uuid.UUID, uuid.UUID | None]]:
    """(message, device) pairs a push service refused for good on an earlier try: a retry
    leaves them out."""
    if not message_ids:
        return set()
    refused = session.exec(
        select(PushAttempt.message_id, PushAttempt.subscription_id).where(
            col(PushAttempt.message_id).in_(message_ids),
            PushAttempt.outcome == "given_up",
        )
    ).all()
    return {(message_id, device_id) for message_id, device_id in refused}


def _record(
    session: Session,
    message: PushMessage,
    answers: list[tuple[PushSubscription, Answer]],
    now: datetime,
) -> int:
    """Keep each answer, drop the devices that are gone, and settle the message or set its
    next try; 1 when the message is finished."""
    message.attempts += 1
    retry_at = _next_try(message, [answer for _, answer in answers], now)
    outcomes = [_outcome(answer, last_try=retry_at is None) for _, answer in answers]
    for (device, answer), outcome in zip(answers, outcomes, strict=True):
        session.add(
            PushAttempt(
                message_id=message.id,
                subscription_id=device.id,
                attempted_at=now,
                status_code=answer.status_code,
                outcome=outcome,
            )
        )
        # By id, not through the loaded row: the device may have gone while we were sending.
        if outcome == "delivered":
            session.exec(
                update(PushSubscription)
                .where(col(PushSubscription.id) == device.id)
                .values(last_used_at=now)
            )
        elif outcome == "gone":
            session.exec(delete(PushSubscription).where(col(PushSubscription.id) == device.id))
    message.claimed_until = None
    if "retry" in outcomes and "delivered" not in outcomes:
        message.claimed_until = retry_at
    else:
        message.state = _final_state(outcomes)
        message.finished_at = now
    return 0 if message.state == MessageState.pending else 1


def _next_try(message: PushMessage, answers: list[Answer], now: datetime) -> datetime | None:
    """When to try again after this try, if it fails in a way worth another: ``None`` when
    none is left, after the last of its tries or when the next would fall after its TTL ran
    out. Then it is given up at once rather than left waiting to expire: the try just made
    failed and no other can be made in time, which ``given_up`` and its attempts say;
    ``expired`` is for a message that was still waiting, untried, when its time ran out."""
    if message.attempts >= MAX_ATTEMPTS:
        return None
    retry_at = now + _wait(message.attempts, answers)
    return retry_at if retry_at <= expires_at(message) else None


def _outcome(answer: Answer, *, last_try: bool) -> str:
    if answer.status_code in DELIVERED:
        return "delivered"
    if answer.status_code in GONE:
        return "gone"
    if answer.unusable:
        return "given_up"
    code = answer.status_code
    if code is None or code == 429 or code >= 500:
        return "given_up" if last_try else "retry"
    return "given_up"


def _final_state(outcomes: list[str]) -> MessageState:
    if "delivered" in outcomes:
        return MessageState.sent
    if all(outcome == "gone" for outcome in outcomes):
        return MessageState.no_device  # no device left to try: the inbox holds it
    return MessageState.given_up


def _wait(attempts: int, answers: list[Answer]) -> timedelta:
    """The backoff after this many tries (1, 2, 4, 8 minutes), or longer when a push
    service asked for it with Retry-After (heeded up to six hours)."""
    asked = [
        timedelta(seconds=answer.retry_after_seconds)
        for answer in answers
        if answer.retry_after_seconds is not None
    ]
    return max([BACKOFF[attempts - 1], *(min(wait, LONGEST_RETRY_AFTER) for wait in asked)])
