"""The scheduled notifications, sent by the worker each time it runs (``send_reminders``).

Rules:
- A handover starts in N minutes (N set per site, or the settings' default): staff of the site
  who usually work the incoming shift are told once per shift and day.
- An action of yours is due today or overdue: its owner is told once per action and day, from
  ``ACTIONS_FROM`` in the site's time zone (not at midnight), until it is done.
- Each is told once: the inbox's source keys make a second run in the same minute, or two
  workers at once, tell nobody twice.
"""

from __future__ import annotations

import math
import uuid
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, select

from app.action.models import FollowUpAction
from app.auth.permissions import SiteCapability
from app.auth.recipients import holders_at_site
from app.config import Settings
from app.inbox.models import Kind
from app.inbox.service import already_told, notify
from app.org import service as org_service
from app.org.models import Site, UsualShift
from app.org.shifts import ShiftOccurrence, occurrence_on

ACTIONS_FROM = time(7, 0)
MY_ACTIONS = "/my/actions"


def send_reminders(session: Session, settings: Settings, now: datetime) -> int:
    """Tell whoever is due a reminder now; answers how many notifications were made. The
    worker runs it twice a minute, so it asks the store the same few questions whatever
    the number of sites, and writes only what nobody has been told yet."""
    sites = list(session.exec(select(Site)))
    return _handovers_soon(session, sites, settings, now) + _actions_due(session, sites, now)


def _handovers_soon(session: Session, sites: list[Site], settings: Settings, now: datetime) -> int:
    due = {
        f"{site.id}:{occurrence.name}:{occurrence.start_date.isoformat()}": (site, occurrence)
        for site, occurrence in _starting_soon(session, sites, settings, now)
    }
    told = 0
    for key in due.keys() - already_told(session, kind=Kind.handover_soon, source_keys=due):
        site, occurrence = due[key]
        left = math.ceil((occurrence.starts - now).total_seconds() / 60)
        told += notify(
            session,
            users=_usual_staff(session, site=site, shift_name=occurrence.name),
            kind=Kind.handover_soon,
            title=f"Handover for {site.name}, {occurrence.name.lower()} shift, starts in "
            f"{left} minute{'' if left == 1 else 's'}",
            url=f"/sites/{site.id}/handovers",
            source_key=key,
            now=now,
        )
    return told


def _starting_soon(
    session: Session, sites: list[Site], settings: Settings, now: datetime
) -> list[tuple[Site, ShiftOccurrence]]:
    """Each site's shifts that start after ``now`` and within the site's reminder minutes."""
    patterns = org_service.shift_patterns(session, sites)
    soon = []
    for site in sites:
        zone = ZoneInfo(site.time_zone)
        ahead = timedelta(minutes=minutes_before_handover(site, settings))
        today = now.astimezone(zone).date()
        soon += [
            (site, occurrence)
            for shift in patterns[site.id]
            for day in (today, today + timedelta(days=1))
            if now < (occurrence := occurrence_on(shift, day, zone)).starts <= now + ahead
        ]
    return soon


def minutes_before_handover(site: Site, settings: Settings) -> int:
    """How long before its handovers a site's staff are reminded: its own time, or the default."""
    return site.handover_reminder_minutes or settings.handover_reminder_minutes


def _usual_staff(session: Session, *, site: Site, shift_name: str) -> set[uuid.UUID]:
    """Who usually works this shift at the site, and still works the site's shifts."""
    usual = set(
        session.exec(
            select(UsualShift.user_id).where(
                UsualShift.site_id == site.id, UsualShift.shift_name == shift_name
            )
        )
    )
    return usual & holders_at_site(session, site_id=site.id, capability=SiteCapability.work_shifts)


def _actions_due(session: Session, sites: list[Site], now: datetime) -> int:
    today_by_site = {site.id: _local_today(site, now) for site in sites}
    latest = max((day for day in today_by_site.values() if day is not None), default=None)
    if latest is None:
        return 0
    open_due = session.exec(
        select(FollowUpAction).where(
            col(FollowUpAction.done_at).is_(None),
            col(FollowUpAction.due_on).is_not(None),
            col(FollowUpAction.due_on) <= latest,
        )
    )
    due = {
        f"{action.id}:{today.isoformat()}": (action, today)
        for action in open_due
        if (today := today_by_site.get(action.site_id)) is not None
        and action.due_on is not None
        and action.due_on <= today
    }
    names = {site.id: site.name for site in sites}
    told = 0
    for key in due.keys() - already_told(session, kind=Kind.action_due, source_keys=due):
        action, today = due[key]
        state = "overdue" if action.due_on is not None and action.due_on < today else "due today"
        told += notify(
            session,
            users=[action.owner_id],
            kind=Kind.action_due,
            title=f"An action of yours at {names[action.site_id]} is {state}",
            url=MY_ACTIONS,
            source_key=key,
            now=now,
        )
    return told


def _local_today(site: Site, now: datetime) -> date | None:
    """The site's date, once its day's reminders may go out; before then, none."""
    local = now.astimezone(ZoneInfo(site.time_zone))
    return local.date() if local.time() >= ACTIONS_FROM else None
