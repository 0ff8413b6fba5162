"""Which shift change a handover is for, from the site's shift pattern and time zone.

By default the shift running now (the one that started last, in the half hour both are on the
floor) takes over from the shift whose occurrence started most recently before it: at 14:05 Early
hands over to Late, at 07:10 the night shift that started yesterday hands over to Early. A lead
may choose both shifts instead, by name and start date.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlmodel import Session

from app.errors import Invalid
from app.handover.models import Handover
from app.handover.schemas import HandoverStart, ShiftChoice
from app.org import service as org_service
from app.org.models import Site
from app.org.shifts import ShiftOccurrence, ShiftTimes, occurrence_on, occurrences_around


@dataclass(frozen=True)
class ShiftChange:
    outgoing: ShiftOccurrence
    incoming: ShiftOccurrence


def current_change(session: Session, *, site: Site, now: datetime) -> ShiftChange | None:
    """The shift change happening now: the shift running now (the one that started last) takes
    over from the shift whose occurrence started most recently before it."""
    incoming = org_service.current_shift(session, site=site, now=now)
    if incoming is None:
        return None
    around = occurrences_around(
        tuple(org_service.shift_pattern(session, site)),
        incoming.start_date,
        ZoneInfo(site.time_zone),
    )
    earlier = [occurrence for occurrence in around if occurrence.starts < incoming.starts]
    outgoing = max(earlier, key=lambda occurrence: occurrence.starts)
    return ShiftChange(outgoing=outgoing, incoming=incoming)


def shift_change(
    session: Session, *, site: Site, data: HandoverStart, now: datetime
) -> ShiftChange:
    if data.outgoing is None and data.incoming is None:
        change = current_change(session, site=site, now=now)
        if change is None:
            raise Invalid.one("incoming.name", "No shift is running now. Choose the shifts.")
        return change
    if data.outgoing is None:
        raise Invalid.one("outgoing.name", "Choose the shift that is handing over.")
    if data.incoming is None:
        raise Invalid.one("incoming.name", "Choose the shift that is taking over.")
    pattern = {shift.name: shift for shift in org_service.shift_pattern(session, site)}
    zone = ZoneInfo(site.time_zone)
    outgoing = _chosen(pattern, data.outgoing, zone, field="outgoing.name")
    incoming = _chosen(pattern, data.incoming, zone, field="incoming.name")
    if outgoing.starts >= incoming.starts:
        raise Invalid.one("incoming.name", "The shift taking over must start after the other.")
    return ShiftChange(outgoing=outgoing, incoming=incoming)


def _chosen(
    pattern: dict[str, ShiftTimes], choice: ShiftChoice, zone: ZoneInfo, *, field: str
) -> ShiftOccurrence:
    if choice.name not in pattern:
        raise Invalid.one(field, "Choose a shift from this site's pattern.")
    return occurrence_on(pattern[choice.name], choice.date, zone)


def outgoing_occurrence(session: Session, *, handover: Handover) -> ShiftOccurrence | None:
    """When the outgoing shift ran; none if the site's pattern no longer has that shift."""
    site = session.get_one(Site, handover.site_id)
    for shift in org_service.shift_pattern(session, site):
        if shift.name == handover.outgoing_shift:
            return occurrence_on(shift, handover.outgoing_date, ZoneInfo(site.time_zone))
    return None
