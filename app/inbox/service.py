"""Telling users things: the one way a notification is made (``notify``), reading one's own
inbox, marking it read, and one's choices about push.

Rules:
- A notification is made once per user, kind and source (a unique constraint): a retried or
  double-tapped write that tells them again makes nothing more, and queues no second push.
- Each notification made is also queued for push, unless the user switched that kind off (the
  inbox still holds it). During their quiet hours it waits until the quiet hours end.
- A user reads only their own notifications; anyone else's id is "not found".
- A notification opens only a path within the app.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Iterable
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import update
from sqlmodel import Session, col, func, select

from app.auth.actor import Actor
from app.db import by_id, insert_on_conflict
from app.errors import NotFound
from app.inbox.models import Kind, Notification, NotificationPreference
from app.push.outbox import Outgoing, Push, queue_pushes

SHOWN = 50


def notify(
    session: Session,
    *,
    users: Iterable[uuid.UUID],
    kind: Kind,
    title: str,
    url: str,
    source_key: str,
    now: datetime,
) -> int:
    """Tell each of ``users`` once about ``source_key``; answers how many were newly told."""
    if not is_app_path(url):
        raise ValueError("a notification opens a path within the app")
    recipients = sorted(set(users))
    if not recipients:
        return 0
    table = Notification.__table__
    rows = [
        {
            "id": uuid.uuid4(),
            "user_id": user_id,
            "kind": kind,
            "title": title,
            "url": url,
            "source_key": source_key,
            "created_at": now,
        }
        for user_id in recipients
    ]
    statement = (
        insert_on_conflict(session, table)
        .values(rows)
        .on_conflict_do_nothing(index_elements=["user_id", "kind", "source_key"])
        .returning(table.c.id, table.c.user_id)
    )
    created = list(session.execute(statement))
    preferences = preferences_of(session, {user_id for _id, user_id in created})
    queue_pushes(
        session,
        [
            Outgoing(
                notification_id=notification_id,
                user_id=user_id,
                push=Push(
                    title=title, url=open_path(notification_id), topic=topic_of(kind, source_key)
                ),
                due_at=push_due_at(preferences.get(user_id), now),
            )
            for notification_id, user_id in created
            if wants_push(preferences.get(user_id), kind)
        ],
        now=now,
    )
    return len(created)


def already_told(session: Session, *, kind: Kind, source_keys: Iterable[str]) -> set[str]:
    """Which of ``source_keys`` someone has been told of as ``kind``: a scheduled job asks
    first, so running every few seconds writes only what is new."""
    keys = set(source_keys)
    if not keys:
        return set()
    query = select(Notification.source_key).where(
        Notification.kind == kind, col(Notification.source_key).in_(keys)
    )
    return set(session.exec(query.distinct()))


def topic_of(kind: Kind, source_key: str) -> str:
    """RFC 8030's topic (32 URL-safe characters): a repeat about the same thing replaces the
    one still waiting on the push service."""
    return hashlib.sha256(f"{kind.value}:{source_key}".encode()).hexdigest()[:32]


def open_path(notification_id: uuid.UUID) -> str:
    """Where a tap on the push goes: marks it read, then opens its page."""
    return f"/inbox/{notification_id}/open"


def is_app_path(url: str) -> bool:
    """A path on this site, never another site's address."""
    return url.startswith("/") and not url.startswith(("//", "/\\"))


def preferences_of(
    session: Session, user_ids: set[uuid.UUID]
) -> dict[uuid.UUID, NotificationPreference]:
    """The saved choices of these users; one who never chose has none (everything on)."""
    if not user_ids:
        return {}
    query = select(NotificationPreference).where(col(NotificationPreference.user_id).in_(user_ids))
    return {preference.user_id: preference for preference in session.exec(query)}


def wants_push(preference: NotificationPreference | None, kind: Kind) -> bool:
    """Whether this kind reaches the user's phones (it does unless they switched it off)."""
    return preference is None or kind.value not in preference.kinds_off


def push_due_at(preference: NotificationPreference | None, now: datetime) -> datetime:
    """Now, or the end of the user's quiet hours when ``now`` falls within them."""
    if preference is None or preference.quiet_from is None or preference.quiet_until is None:
        return now
    zone = ZoneInfo(preference.time_zone)
    local = now.astimezone(zone)
    start, end = preference.quiet_from, preference.quiet_until
    if not is_quiet(local.time(), start, end):
        return now
    crossed = start > end and local.time() >= start  # before midnight: it ends tomorrow
    end_day = local.date() + timedelta(days=1) if crossed else local.date()
    return datetime.combine(end_day, end, tzinfo=zone).astimezone(UTC)


def is_quiet(moment: time, start: time, end: time) -> bool:
    """Within quiet hours from ``start`` to ``end``, which may cross midnight."""
    if start < end:
        return start <= moment < end
    return moment >= start or moment < end


def list_notifications(session: Session, *, actor: Actor) -> list[Notification]:
    """The actor's latest notifications, newest first."""
    query = (
        select(Notification)
        .where(Notification.user_id == actor.user_id)
        .order_by(col(Notification.created_at).desc(), col(Notification.id))
        .limit(SHOWN)
    )
    return list(session.exec(query))


def unread_count(session: Session, *, user_id: uuid.UUID) -> int:
    """How many of the user's notifications are unread: the badge on every page's bell."""
    query = (
        select(func.count())
        .select_from(Notification)
        .where(Notification.user_id == user_id, col(Notification.read_at).is_(None))
    )
    return session.exec(query).one()


def get_notification(session: Session, *, actor: Actor, notification_id: uuid.UUID) -> Notification:
    notification = by_id(session, Notification, {notification_id}).get(notification_id)
    if notification is None or notification.user_id != actor.user_id:
        raise NotFound()
    return notification


def open_notification(session: Session, *, notification: Notification, now: datetime) -> str:
    """Mark it read (the first time) and answer the page it opens."""
    if notification.read_at is None:
        notification.read_at = now
        session.add(notification)
    return notification.url if is_app_path(notification.url) else "/inbox"


def mark_all_read(session: Session, *, actor: Actor, now: datetime) -> None:
    session.exec(
        update(Notification)
        .where(col(Notification.user_id) == actor.user_id, col(Notification.read_at).is_(None))
        .values(read_at=now)
    )
