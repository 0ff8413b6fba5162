"""The notification settings page's reading and saving: the kinds pushed, quiet hours, and the
shifts the user usually works (whose handovers they are reminded of)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, delete, select

from app.auth.actor import Actor
from app.auth.permissions import SiteCapability
from app.db import insert_on_conflict
from app.errors import Invalid
from app.inbox.models import DEFAULT_TIME_ZONE
from app.inbox.preferences import save_preference
from app.org import service as org_service
from app.org.models import UsualShift
from app.reminders.schemas import NotificationSettingsInput


@dataclass(frozen=True)
class SiteShifts:
    """A site the user works shifts at, with its shifts as (value, name) choices."""

    site_name: str
    choices: list[tuple[str, str]]


def shift_value(site_id: uuid.UUID, shift_name: str) -> str:
    return f"{site_id}:{shift_name}"


def shift_choices(session: Session, *, actor: Actor) -> list[SiteShifts]:
    sites = [
        site
        for site in org_service.list_sites(session, actor=actor)
        if actor.can(SiteCapability.work_shifts, site.id)
    ]
    return [
        SiteShifts(
            site_name=site.name,
            choices=[
                (shift_value(site.id, shift.name), f"{shift.name} shift")
                for shift in org_service.shift_pattern(session, site)
            ],
        )
        for site in sites
    ]


def usual_shifts_of(session: Session, *, actor: Actor) -> list[str]:
    rows = session.exec(select(UsualShift).where(UsualShift.user_id == actor.user_id))
    return [shift_value(row.site_id, row.shift_name) for row in rows]


def save_settings(
    session: Session, *, actor: Actor, data: NotificationSettingsInput, now: datetime
) -> None:
    """Keep the user's choices; refuses quiet hours given by half, or starting as they end,
    and a shift not offered to them."""
    if (data.quiet_from is None) != (data.quiet_until is None):
        missing = "quiet_until" if data.quiet_until is None else "quiet_from"
        raise Invalid.one(missing, "Give both times, or leave both empty for no quiet hours.")
    if data.quiet_from is not None and data.quiet_from == data.quiet_until:
        raise Invalid.one("quiet_until", "Quiet hours must end at a different time.")
    offered = {value for site in shift_choices(session, actor=actor) for value, _ in site.choices}
    if not set(data.usual_shifts) <= offered:
        raise Invalid.one("usual_shifts", "Choose from the shifts listed.")
    sites = org_service.list_sites(session, actor=actor)
    quiet = None
    if data.quiet_from is not None and data.quiet_until is not None:
        quiet = (data.quiet_from, data.quiet_until)
    save_preference(
        session,
        actor=actor,
        kinds_on=data.kinds,
        quiet_hours=quiet,
        time_zone=sites[0].time_zone if sites else DEFAULT_TIME_ZONE,
        now=now,
    )
    _replace_usual_shifts(session, actor=actor, chosen=set(data.usual_shifts))


def _replace_usual_shifts(session: Session, *, actor: Actor, chosen: set[str]) -> None:
    session.exec(delete(UsualShift).where(col(UsualShift.user_id) == actor.user_id))
    rows = [
        {"user_id": actor.user_id, "site_id": uuid.UUID(site_id), "shift_name": name}
        for site_id, name in (value.split(":", 1) for value in sorted(chosen))
    ]
    if rows:
        table = UsualShift.__table__
        session.execute(insert_on_conflict(session, table).values(rows).on_conflict_do_nothing())
