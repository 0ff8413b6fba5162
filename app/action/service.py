"""Follow-up actions: added from a handover, an observation, a restrictive-practice review or a
decision of the quality meeting, done by their owner.

Rules:
- The handover, observation, review and meeting services decide who may add an action there;
  this service checks the rest: the owner works at the site, the person supported is at the
  site, the learning theme is one the actor may see.
- The owner marks it done, or a team lead or manager of the site does.
- Everyone sees the actions they own; leads, managers and organisation-wide roles see their
  sites'. An action is overdue when its due date has passed, in the site's time zone, and it is
  still open.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, select

from app.action.models import ActionSource, FollowUpAction
from app.action.schemas import ActionCreate
from app.audit.service import record_site_event
from app.auth.actor import Actor
from app.auth.permissions import SiteCapability
from app.errors import Forbidden, Invalid, NotFound
from app.inbox.models import Kind
from app.inbox.service import notify
from app.org import service as org_service
from app.org import staff as org_staff
from app.org.models import Site
from app.record_weeks import records_changed
from app.records import Capture, Stored, fingerprint, insert_record_once
from app.theme import service as theme_service


def add_action(
    session: Session,
    *,
    actor: Actor,
    site_id: uuid.UUID,
    source: ActionSource,
    source_id: uuid.UUID | None,
    data: ActionCreate,
    now: datetime,
    meeting_week: date | None = None,
    theme_id: uuid.UUID | None = None,
) -> Stored[FollowUpAction]:
    """The one way an action is created; the caller has checked the actor may add it there.
    ``source_id`` is the record it came from; a meeting decision has ``meeting_week`` instead."""
    content_hash = fingerprint(data, author_id=actor.user_id)

    def make_row() -> dict[str, Any]:
        team = org_staff.site_team(session, actor=actor, site_id=site_id)
        if data.owner_id not in {member.user_id for member in team}:
            raise Invalid.one("owner_id", "Choose someone who works at this site.")
        if data.person_id is not None:
            _check_person(session, actor=actor, site_id=site_id, person_id=data.person_id)
        if theme_id is not None:
            _check_theme(session, actor=actor, theme_id=theme_id)
        return FollowUpAction(
            id=data.id,
            organisation_id=actor.organisation_id,
            site_id=site_id,
            source=source,
            handover_id=source_id if source == ActionSource.handover else None,
            observation_id=source_id if source == ActionSource.observation else None,
            review_id=source_id if source == ActionSource.review else None,
            meeting_week=meeting_week if source == ActionSource.meeting else None,
            theme_id=theme_id,
            person_id=data.person_id,
            description=data.description,
            owner_id=data.owner_id,
            due_on=data.due_on,
            created_by_id=actor.user_id,
            created_at=now,
            content_hash=content_hash,
        ).model_dump()

    capture = Capture(id=data.id, same={"content_hash": content_hash}, make_row=make_row)
    saved = insert_record_once(session, FollowUpAction, capture, visible_sites=actor.site_ids)
    if saved.created:
        _counts_changed(session, saved.record)
        record_site_event(
            session,
            actor_id=actor.user_id,
            record=saved.record,
            entity="follow_up_action",
            action="create",
            at=now,
            summary=f"source={source.value}",
        )
        site = session.get_one(Site, site_id)
        notify(
            session,
            users={data.owner_id} - {actor.user_id},
            kind=Kind.action_assigned,
            title=f"An action at {site.name} was given to you",
            url="/my/actions",
            source_key=str(saved.record.id),
            now=now,
        )
    return saved


def _check_person(
    session: Session, *, actor: Actor, site_id: uuid.UUID, person_id: uuid.UUID
) -> None:
    try:
        person = org_service.get_person(session, actor=actor, person_id=person_id)
    except NotFound:
        person = None
    if person is None or person.site_id != site_id:
        raise Invalid.one("person_id", "Choose someone supported at this site.")


def _check_theme(session: Session, *, actor: Actor, theme_id: uuid.UUID) -> None:
    try:
        theme_service.get_theme(session, actor=actor, theme_id=theme_id)
    except NotFound:
        raise Invalid.one("theme_id", "Choose one of the learning themes.") from None


def get_action(session: Session, *, actor: Actor, action_id: uuid.UUID) -> FollowUpAction:
    action = session.get(FollowUpAction, action_id)
    if action is None or not _may_see(actor, action):
        raise NotFound()
    return action


def complete_action(
    session: Session, *, actor: Actor, action: FollowUpAction, now: datetime
) -> FollowUpAction:
    """Done: by its owner, or a team lead or manager of the site."""
    return _set_done(session, actor=actor, action=action, done=True, now=now)


def reopen_action(
    session: Session, *, actor: Actor, action: FollowUpAction, now: datetime
) -> FollowUpAction:
    """Undo "done" (marked by mistake): open again, by whoever may close it; the audit log
    keeps both the completion and this."""
    return _set_done(session, actor=actor, action=action, done=False, now=now)


def _set_done(
    session: Session, *, actor: Actor, action: FollowUpAction, done: bool, now: datetime
) -> FollowUpAction:
    if action.owner_id != actor.user_id and not _leads_site(actor, action.site_id):
        raise Forbidden("Only the owner, a team lead or a manager can close this action.")
    if (action.done_at is not None) != done:
        action.done_at, action.done_by_id = (now, actor.user_id) if done else (None, None)
        session.add(action)
        _counts_changed(session, action)
        record_site_event(
            session,
            actor_id=actor.user_id,
            record=action,
            entity="follow_up_action",
            action="complete" if done else "reopen",
            at=now,
        )
    return action


@dataclass(frozen=True)
class ActionFilter:
    site_id: uuid.UUID | None = None
    owner_id: uuid.UUID | None = None
    handover_id: uuid.UUID | None = None
    observation_id: uuid.UUID | None = None
    person_id: uuid.UUID | None = None
    meeting_week: date | None = None
    due_from: date | None = None
    due_to: date | None = None
    open_only: bool = True


def list_actions(
    session: Session, *, actor: Actor, where: ActionFilter, limit: int = 100, offset: int = 0
) -> list[FollowUpAction]:
    """Actions the actor may see, open ones by due date (undated last)."""
    if where.site_id is not None:
        actor.require(SiteCapability.view, where.site_id)
    led = [site_id for site_id in actor.site_ids if _leads_site(actor, site_id)]
    visible = col(FollowUpAction.site_id).in_(led) | (FollowUpAction.owner_id == actor.user_id)
    query = select(FollowUpAction).where(visible, col(FollowUpAction.site_id).in_(actor.site_ids))
    for column, value in (
        (FollowUpAction.site_id, where.site_id),
        (FollowUpAction.owner_id, where.owner_id),
        (FollowUpAction.handover_id, where.handover_id),
        (FollowUpAction.observation_id, where.observation_id),
        (FollowUpAction.person_id, where.person_id),
        (FollowUpAction.meeting_week, where.meeting_week),
    ):
        if value is not None:
            query = query.where(column == value)
    if where.due_from is not None:
        query = query.where(col(FollowUpAction.due_on) >= where.due_from)
    if where.due_to is not None:
        query = query.where(col(FollowUpAction.due_on) <= where.due_to)
    if where.open_only:
        query = query.where(col(FollowUpAction.done_at).is_(None))
    query = query.order_by(
        col(FollowUpAction.due_on).asc().nulls_last(), col(FollowUpAction.created_at)
    )
    return list(session.exec(query.limit(limit).offset(offset)))


def open_actions_at_site(
    session: Session, *, actor: Actor, site_id: uuid.UUID
) -> list[FollowUpAction]:
    """Every open action of a site: what a handover carries forward until it is closed. Everyone
    at the site reads them there, with the handover."""
    actor.require(SiteCapability.view, site_id)
    return list(
        session.exec(
            select(FollowUpAction)
            .where(FollowUpAction.site_id == site_id, col(FollowUpAction.done_at).is_(None))
            .order_by(col(FollowUpAction.due_on).asc().nulls_last(), col(FollowUpAction.created_at))
        )
    )


def overdue_ids(
    session: Session, actions: Iterable[FollowUpAction], *, now: datetime
) -> set[uuid.UUID]:
    """The open actions whose due date has passed, each in its site's time zone. The sites'
    zones are read in one query, however many actions a list shows."""
    dated = [a for a in actions if a.done_at is None and a.due_on is not None]
    if not dated:
        return set()
    zones = dict(
        session.exec(
            select(Site.id, Site.time_zone).where(col(Site.id).in_({a.site_id for a in dated}))
        ).all()
    )
    today = {site_id: now.astimezone(ZoneInfo(zone)).date() for site_id, zone in zones.items()}
    return {a.id for a in dated if a.due_on < today[a.site_id]}


def _may_see(actor: Actor, action: FollowUpAction) -> bool:
    if action.site_id not in actor.site_ids:
        return False
    return action.owner_id == actor.user_id or _leads_site(actor, action.site_id)


def _leads_site(actor: Actor, site_id: uuid.UUID) -> bool:
    return actor.can(SiteCapability.oversee_actions, site_id)


def _counts_changed(session: Session, action: FollowUpAction) -> None:
    """An action counts in the week it is due (on time or not)."""
    if action.due_on is not None:
        records_changed(session, [(action.site_id, action.due_on)])
