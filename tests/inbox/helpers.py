"""Shared pieces of the inbox tests: what each user was told, what was queued for push, and
the names in the store that no notification may carry."""

from __future__ import annotations

import uuid

from sqlmodel import Session, col, select

from app.auth.models import User
from app.inbox.models import Kind, Notification
from app.org.models import PersonSupported
from app.push.models import PushMessage
from app.reminders import settings as reminder_settings
from app.reminders.schemas import NotificationSettingsInput
from tests.support import START, World, actor_for


def told(session: Session, kind: Kind) -> dict[uuid.UUID, list[Notification]]:
    """Each user's notifications of ``kind``, as stored now."""
    session.rollback()
    session.expire_all()
    found: dict[uuid.UUID, list[Notification]] = {}
    for notification in session.exec(select(Notification).where(Notification.kind == kind)):
        found.setdefault(notification.user_id, []).append(notification)
    return found


def pushes(session: Session, kind: Kind) -> list[PushMessage]:
    """The push messages queued for notifications of ``kind``."""
    ids = select(Notification.id).where(Notification.kind == kind)
    return list(session.exec(select(PushMessage).where(col(PushMessage.notification_id).in_(ids))))


def assert_names_nothing_private(session: Session) -> None:
    """No notification, nor push, names anyone in the store (staff or people supported)."""
    names = [user.name for user in session.exec(select(User))]
    names += [person.preferred_name for person in session.exec(select(PersonSupported))]
    shown = [(n.title, n.url) for n in session.exec(select(Notification))]
    shown += [(m.title + " " + m.body, m.url) for m in session.exec(select(PushMessage))]
    assert shown
    leaks = [(text, name) for text in shown for name in names if name in " ".join(text)]
    assert leaks == []


def usually_works(session: Session, world: World, persona: str, *shifts: str) -> None:
    """The persona ticks these as their usual shifts at Rosewood, on the settings page's path."""
    data = NotificationSettingsInput(
        kinds=list(Kind), usual_shifts=[f"{world.site.id}:{shift}" for shift in shifts]
    )
    actor = actor_for(session, world.user(persona))
    reminder_settings.save_settings(session, actor=actor, data=data, now=START)
    session.commit()
