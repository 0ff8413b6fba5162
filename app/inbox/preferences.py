"""A user's choices about being told: which kinds reach their phones, and quiet hours."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, time

from sqlmodel import Session

from app.auth.actor import Actor
from app.db import insert_on_conflict
from app.inbox.models import Kind, NotificationPreference
from app.inbox.service import preferences_of


def preference_of(session: Session, *, actor: Actor) -> NotificationPreference:
    """The actor's saved choices, or the default: every kind on, no quiet hours."""
    saved = preferences_of(session, {actor.user_id}).get(actor.user_id)
    return saved or NotificationPreference(user_id=actor.user_id, updated_at=datetime.min)


def save_preference(
    session: Session,
    *,
    actor: Actor,
    kinds_on: Iterable[Kind],
    quiet_hours: tuple[time, time] | None,
    time_zone: str,
    now: datetime,
) -> None:
    """Keep the actor's choices, replacing any saved before (one row per user)."""
    on = set(kinds_on)
    quiet_from, quiet_until = quiet_hours or (None, None)
    values = {
        "kinds_off": [kind.value for kind in Kind if kind not in on],
        "quiet_from": quiet_from,
        "quiet_until": quiet_until,
        "time_zone": time_zone,
        "updated_at": now,
    }
    table = NotificationPreference.__table__
    session.execute(
        insert_on_conflict(session, table)
        .values(user_id=actor.user_id, **values)
        .on_conflict_do_update(index_elements=["user_id"], set_=values)
    )
