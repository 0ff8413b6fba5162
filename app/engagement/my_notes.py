"""A care worker's own notes of the day, to check them and put a mistake right (an amendment
with a reason: the earlier version stays)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, select

from app.auth.actor import Actor
from app.db import by_id
from app.engagement.models import EngagementNote
from app.org.models import PersonSupported, Site

# "Today" for someone on a long day or a night shift: the last 24 hours, not since midnight.
TODAY = timedelta(hours=24)


@dataclass(frozen=True)
class MyNote:
    note: EngagementNote
    person: PersonSupported
    zone: ZoneInfo


def my_notes_today(session: Session, *, actor: Actor, now: datetime) -> list[MyNote]:
    """The notes the actor wrote in the last 24 hours at their sites, newest first; void ones
    too, marked void."""
    notes = list(
        session.exec(
            select(EngagementNote)
            .where(
                EngagementNote.author_id == actor.user_id,
                col(EngagementNote.site_id).in_(actor.site_ids),
                col(EngagementNote.recorded_at) >= now - TODAY,
            )
            .order_by(col(EngagementNote.recorded_at).desc(), col(EngagementNote.id))
        )
    )
    people = by_id(session, PersonSupported, {note.person_id for note in notes})
    sites = by_id(session, Site, {note.site_id for note in notes})
    return [
        MyNote(
            note=note, person=people[note.person_id], zone=ZoneInfo(sites[note.site_id].time_zone)
        )
        for note in notes
    ]
