"""Reading and changing sites, shift patterns and people supported, scoped by the actor."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, select

from app.audit.service import record_event
from app.auth.actor import Actor
from app.auth.permissions import OrgCapability, SiteCapability
from app.errors import Invalid, NotFound
from app.org.models import Organisation, PersonSupported, Shift, Site
from app.org.schemas import PersonInput, ShiftPatternInput, SiteInput
from app.org.shifts import ShiftOccurrence, ShiftTimes, shift_at

PATTERN_CACHE = "shift_patterns"


def get_site(
    session: Session,
    *,
    actor: Actor,
    site_id: uuid.UUID,
    capability: SiteCapability = SiteCapability.view,
) -> Site:
    """A site the actor belongs to; any other id is "not found", whether or not it exists.
    Asking for more than ``view`` is "not allowed" for a role at the site that may not."""
    actor.require(capability, site_id)
    return session.get_one(Site, site_id)


@dataclass(frozen=True)
class SiteAccess:
    """What the actor may do at a site, so a page offers only the links and forms they may use."""

    manage_people: bool
    manage_shifts: bool
    manage_staff: bool
    edit_site: bool


def site_access(actor: Actor, site_id: uuid.UUID) -> SiteAccess:
    return SiteAccess(
        manage_people=actor.can(SiteCapability.manage_people, site_id),
        manage_shifts=actor.can(SiteCapability.manage_shifts, site_id),
        manage_staff=actor.can(SiteCapability.manage_staff, site_id),
        edit_site=actor.can(SiteCapability.edit_site, site_id),
    )


def list_sites(session: Session, *, actor: Actor) -> list[Site]:
    if not actor.site_ids:
        return []
    return list(
        session.exec(select(Site).where(col(Site.id).in_(actor.site_ids)).order_by(Site.name))
    )


def list_shifts(session: Session, *, actor: Actor, site_id: uuid.UUID) -> list[Shift]:
    actor.require(SiteCapability.view, site_id)
    return _shifts(session, site_id)


def _shifts(session: Session, site_id: uuid.UUID) -> list[Shift]:
    return list(
        session.exec(
            select(Shift).where(Shift.site_id == site_id).order_by(Shift.position, Shift.starts_at)
        )
    )


def list_shifts_by_site(
    session: Session, *, actor: Actor, site_ids: Iterable[uuid.UUID]
) -> dict[uuid.UUID, list[Shift]]:
    """Every listed site's pattern in one query, each in its order."""
    by_site: dict[uuid.UUID, list[Shift]] = {site_id: [] for site_id in site_ids}
    for site_id in by_site:
        actor.require(SiteCapability.view, site_id)
    if not by_site:
        return by_site
    query = (
        select(Shift)
        .where(col(Shift.site_id).in_(by_site))
        .order_by(Shift.position, Shift.starts_at)
    )
    for shift in session.exec(query):
        by_site[shift.site_id].append(shift)
    return by_site


def current_shift(session: Session, *, site: Site, now: datetime) -> ShiftOccurrence | None:
    return shift_at(shift_pattern(session, site), now, ZoneInfo(site.time_zone))


def shift_pattern(session: Session, site: Site) -> list[ShiftTimes]:
    """The site's shift times, read once per database session: a sync batch derives the shift
    of every item from the same pattern. It takes a site its caller loaded within the actor's
    scope."""
    return shift_patterns(session, [site])[site.id]


def shift_patterns(session: Session, sites: Iterable[Site]) -> dict[uuid.UUID, list[ShiftTimes]]:
    """``shift_pattern`` of many sites, those not read yet in this session in one query."""
    patterns: dict[uuid.UUID, list[ShiftTimes]] = session.info.setdefault(PATTERN_CACHE, {})
    wanted = {site.id for site in sites}
    unread = wanted - patterns.keys()
    if unread:
        for site_id in unread:
            patterns[site_id] = []
        query = (
            select(Shift)
            .where(col(Shift.site_id).in_(unread))
            .order_by(Shift.site_id, Shift.position, Shift.starts_at)
        )
        for shift in session.exec(query):
            patterns[shift.site_id].append(
                ShiftTimes(name=shift.name, starts_at=shift.starts_at, ends_at=shift.ends_at)
            )
    return {site_id: patterns[site_id] for site_id in wanted}


def list_people(
    session: Session, *, actor: Actor, site_id: uuid.UUID, include_inactive: bool = False
) -> list[PersonSupported]:
    """Everyone at the site sees who is supported there now; people who have moved out are
    listed only for those who manage the site's people."""
    actor.require(SiteCapability.view, site_id)
    if include_inactive:
        actor.require(SiteCapability.manage_people, site_id)
    query = select(PersonSupported).where(PersonSupported.site_id == site_id)
    if not include_inactive:
        query = query.where(col(PersonSupported.active).is_(True))
    return list(session.exec(query.order_by(PersonSupported.preferred_name)))


@dataclass(frozen=True)
class PageHeader:
    """What every page shows, small and in the same place: where, and which shift."""

    place: str
    shift: str | None


def page_header(session: Session, *, actor: Actor, now: datetime) -> PageHeader:
    if len(actor.site_ids) == 1:
        site = session.get_one(Site, next(iter(actor.site_ids)))
        occurrence = current_shift(session, site=site, now=now)
        return PageHeader(place=site.name, shift=f"{occurrence.name} shift" if occurrence else None)
    organisation = session.get_one(Organisation, actor.organisation_id)
    return PageHeader(place=organisation.name, shift=None)


def create_organisation(session: Session, *, name: str, now: datetime) -> Organisation:
    """A new organisation: made by ``create-admin`` and the demo data, never from a page."""
    organisation = Organisation(name=name, created_at=now)
    session.add(organisation)
    session.flush()
    return organisation


def create_site(session: Session, *, actor: Actor, data: SiteInput, now: datetime) -> Site:
    actor.require_org(OrgCapability.manage_sites)
    _refuse_duplicate_site_name(session, actor=actor, name=data.name)
    site = Site(organisation_id=actor.organisation_id, created_at=now, **data.model_dump())
    session.add(site)
    session.flush()
    _audit(session, actor, "create", "site", site.id, site.id, now)
    return site


def update_site(
    session: Session, *, actor: Actor, site: Site, data: SiteInput, now: datetime
) -> Site:
    actor.require(SiteCapability.edit_site, site.id)
    if data.name != site.name:
        _refuse_duplicate_site_name(session, actor=actor, name=data.name)
    site.name, site.kind, site.time_zone = data.name, data.kind, data.time_zone
    session.add(site)
    _audit(session, actor, "update", "site", site.id, site.id, now)
    return site


def _refuse_duplicate_site_name(session: Session, *, actor: Actor, name: str) -> None:
    taken = session.exec(
        select(Site.id).where(Site.organisation_id == actor.organisation_id, Site.name == name)
    ).first()
    if taken is not None:
        raise Invalid.one("name", "Another site already has this name.")


def set_shift_pattern(
    session: Session, *, actor: Actor, site: Site, data: ShiftPatternInput, now: datetime
) -> list[Shift]:
    """Replace the site's pattern. Records keep the shift name they were made in, so renaming
    or removing a shift does not rewrite history."""
    actor.require(SiteCapability.manage_shifts, site.id)
    session.info.get(PATTERN_CACHE, {}).pop(site.id, None)
    for shift in _shifts(session, site.id):
        session.delete(shift)
    session.flush()
    shifts = [
        Shift(site_id=site.id, position=position, **shift.model_dump())
        for position, shift in enumerate(data.shifts)
    ]
    session.add_all(shifts)
    session.flush()
    _audit(
        session, actor, "set_shift_pattern", "site", site.id, site.id, now, f"shifts={len(shifts)}"
    )
    return shifts


def set_handover_reminder(
    session: Session, *, actor: Actor, site: Site, minutes: int | None, now: datetime
) -> Site:
    """How long before each handover at the site its incoming staff are reminded (``None``: the
    deployment's usual time): set by those who set the shift pattern the handovers fall between."""
    actor.require(SiteCapability.manage_shifts, site.id)
    site.handover_reminder_minutes = minutes
    session.add(site)
    summary = f"minutes={minutes if minutes is not None else 'usual'}"
    _audit(session, actor, "set_handover_reminder", "site", site.id, site.id, now, summary)
    return site


def add_person(
    session: Session, *, actor: Actor, site: Site, data: PersonInput, now: datetime
) -> PersonSupported:
    actor.require(SiteCapability.manage_people, site.id)
    person = PersonSupported(site_id=site.id, created_at=now, **data.model_dump())
    session.add(person)
    session.flush()
    _audit(session, actor, "create", "person_supported", person.id, site.id, now)
    return person


def get_person(
    session: Session,
    *,
    actor: Actor,
    person_id: uuid.UUID,
    capability: SiteCapability = SiteCapability.view,
) -> PersonSupported:
    """A person supported at one of the actor's sites; anyone else is "not found"."""
    person = session.get(PersonSupported, person_id)
    if person is None or person.site_id not in actor.site_ids:
        raise NotFound()
    actor.require(capability, person.site_id)
    return person


def update_person(
    session: Session, *, actor: Actor, person: PersonSupported, data: PersonInput, now: datetime
) -> PersonSupported:
    actor.require(SiteCapability.manage_people, person.site_id)
    person.preferred_name, person.room, person.active = data.preferred_name, data.room, data.active
    session.add(person)
    _audit(session, actor, "update", "person_supported", person.id, person.site_id, now)
    return person


def _audit(
    session: Session,
    actor: Actor,
    action: str,
    entity: str,
    entity_id: uuid.UUID,
    site_id: uuid.UUID,
    now: datetime,
    summary: str = "",
) -> None:
    record_event(
        session,
        organisation_id=actor.organisation_id,
        site_id=site_id,
        actor_id=actor.user_id,
        action=action,
        entity=entity,
        entity_id=entity_id,
        at=now,
        summary=summary,
    )
