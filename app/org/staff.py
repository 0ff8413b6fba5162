"""Staff of a site: who works there, in which role, and whether they can still sign in.

Rules:
- Managers look after the staff of the sites they manage; admins look after staff everywhere.
- A new role stays within what the actor may give at the site (``grantable_roles``); nobody
  changes their own role.
- Deactivating stops sign-in and ends every open session at once; the account and everything
  it recorded stay. A manager may deactivate or reactivate only someone whose every membership
  is at a site the manager manages, so one site's manager cannot lock a person out of another
  site; organisation-wide accounts are left to admins. Nobody deactivates themselves.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated

from email_validator import EmailNotValidError, validate_email
from pydantic import StringConstraints, field_validator
from sqlalchemy import ColumnElement
from sqlmodel import Session, col, func, select

from app.audit.service import record_event
from app.auth.actor import Actor
from app.auth.invitations import grantable_roles
from app.auth.models import Membership, Role, User
from app.auth.permissions import OrgCapability, SiteCapability
from app.auth.service import revoke_sessions
from app.errors import Forbidden, Invalid, NotFound
from app.org.models import UsualShift
from app.schemas import SINGLE_LINE, Input


class InvitationInput(Input):
    """What a manager or admin fills in to invite someone."""

    name: Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=1, max_length=120), SINGLE_LINE
    ]
    email: Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=1, max_length=254), SINGLE_LINE
    ]
    role: Role

    @field_validator("email")
    @classmethod
    def _looks_like_email(cls, value: str) -> str:
        try:
            validate_email(value, check_deliverability=False)
        except EmailNotValidError:
            raise ValueError("Enter an email address like name@example.org.") from None
        return value


class RoleChange(Input):
    role: Role


@dataclass(frozen=True)
class StaffMember:
    user_id: uuid.UUID
    name: str
    email: str
    role: Role
    active: bool


def list_site_staff(session: Session, *, actor: Actor, site_id: uuid.UUID) -> list[StaffMember]:
    actor.require(SiteCapability.manage_staff, site_id)
    return _members(session, col(Membership.site_id) == site_id)


def site_team(session: Session, *, actor: Actor, site_id: uuid.UUID) -> list[StaffMember]:
    """The active staff who work at a site: to pick who attended, who owns an action, who was
    observed. Anyone at the site may see their team's names and roles."""
    actor.require(SiteCapability.view, site_id)
    return _members(session, col(Membership.site_id) == site_id, col(User.active).is_(True))


def list_organisation_staff(session: Session, *, actor: Actor) -> list[StaffMember]:
    """Quality leads and admins: the people whose role holds across every site."""
    actor.require_org(OrgCapability.invite_organisation_roles)
    return _members(
        session,
        col(Membership.organisation_id) == actor.organisation_id,
        col(Membership.site_id).is_(None),
    )


def get_site_staff_member(
    session: Session, *, actor: Actor, site_id: uuid.UUID, user_id: uuid.UUID
) -> StaffMember:
    actor.require(SiteCapability.manage_staff, site_id)
    found = _members(
        session, col(Membership.site_id) == site_id, col(Membership.user_id) == user_id
    )
    if not found:
        raise NotFound()
    return found[0]


def count_site_staff(session: Session, *, actor: Actor, site_id: uuid.UUID) -> int:
    """Staff at the site who can sign in."""
    actor.require(SiteCapability.view, site_id)
    query = (
        select(func.count())
        .select_from(Membership)
        .join(User, col(User.id) == Membership.user_id)
        .where(Membership.site_id == site_id, col(User.active).is_(True))
    )
    return session.exec(query).one()


def _members(session: Session, *conditions: ColumnElement[bool]) -> list[StaffMember]:
    rows = session.exec(
        select(User, Membership.role)
        .join(Membership, col(Membership.user_id) == User.id)
        .where(*conditions)
        .order_by(User.name, User.email)
    ).all()
    return [
        StaffMember(
            user_id=user.id, name=user.name, email=user.email, role=role, active=user.active
        )
        for user, role in rows
    ]


def may_change_account(session: Session, *, actor: Actor, user_id: uuid.UUID) -> bool:
    """Whether the actor may deactivate or reactivate this person's account (see the rules)."""
    if user_id == actor.user_id:
        return False
    site_ids = session.exec(select(Membership.site_id).where(Membership.user_id == user_id)).all()
    return all(
        actor.can_org(OrgCapability.invite_organisation_roles)
        if site_id is None
        else actor.can(SiteCapability.manage_staff, site_id)
        for site_id in site_ids
    )


def change_staff_role(
    session: Session,
    *,
    actor: Actor,
    site_id: uuid.UUID,
    user_id: uuid.UUID,
    role: Role,
    now: datetime,
) -> Membership:
    actor.require(SiteCapability.manage_staff, site_id)
    membership = _membership_at(session, site_id=site_id, user_id=user_id)
    if user_id == actor.user_id:
        raise Forbidden("You cannot change your own role. Ask an admin.")
    if role not in grantable_roles(actor, site_id):
        raise Invalid.one("role", "You cannot give this role here.")
    if membership.role == role:
        return membership
    previous, membership.role = membership.role, role
    session.add(membership)
    record_event(
        session,
        organisation_id=actor.organisation_id,
        site_id=site_id,
        actor_id=actor.user_id,
        action="change_role",
        entity="membership",
        entity_id=membership.id,
        at=now,
        summary=f"from={previous.value} to={role.value}",
    )
    return membership


def deactivate_staff(
    session: Session, *, actor: Actor, site_id: uuid.UUID, user_id: uuid.UUID, now: datetime
) -> User:
    """Stop the person signing in, and end the sessions they have open now."""
    user = _account_to_change(session, actor=actor, site_id=site_id, user_id=user_id)
    if user.active:
        user.active = False
        session.add(user)
        revoke_sessions(session, user_id=user.id, now=now)
        _record_account_change(session, actor, "deactivate", user, site_id, now)
    return user


def reactivate_staff(
    session: Session, *, actor: Actor, site_id: uuid.UUID, user_id: uuid.UUID, now: datetime
) -> User:
    user = _account_to_change(session, actor=actor, site_id=site_id, user_id=user_id)
    if not user.active:
        user.active = True
        session.add(user)
        _record_account_change(session, actor, "reactivate", user, site_id, now)
    return user


def _membership_at(session: Session, *, site_id: uuid.UUID, user_id: uuid.UUID) -> Membership:
    membership = session.exec(
        select(Membership).where(Membership.site_id == site_id, Membership.user_id == user_id)
    ).first()
    if membership is None:
        raise NotFound()
    return membership


def _account_to_change(
    session: Session, *, actor: Actor, site_id: uuid.UUID, user_id: uuid.UUID
) -> User:
    actor.require(SiteCapability.manage_staff, site_id)
    _membership_at(session, site_id=site_id, user_id=user_id)
    if user_id == actor.user_id:
        raise Forbidden("You cannot deactivate or reactivate your own account.")
    if not may_change_account(session, actor=actor, user_id=user_id):
        raise Forbidden("This person also works somewhere you do not manage. Ask an admin.")
    return session.get_one(User, user_id)


def _record_account_change(
    session: Session, actor: Actor, action: str, user: User, site_id: uuid.UUID, now: datetime
) -> None:
    record_event(
        session,
        organisation_id=actor.organisation_id,
        site_id=site_id,
        actor_id=actor.user_id,
        action=action,
        entity="user",
        entity_id=user.id,
        at=now,
    )


def on_shift(
    session: Session, *, site_id: uuid.UUID, shift_name: str, staff: set[uuid.UUID]
) -> set[uuid.UUID]:
    """Those of ``staff`` who work this shift at the site: who ticked it among their usual
    shifts there, and who ticked none there (we do not know their shifts, so we leave them
    nothing to miss)."""
    if not staff:
        return set()
    ticked = session.exec(
        select(UsualShift.user_id, UsualShift.shift_name).where(
            UsualShift.site_id == site_id, col(UsualShift.user_id).in_(staff)
        )
    ).all()
    other_shifts_only = {user for user, _ in ticked} - {
        user for user, name in ticked if name == shift_name
    }
    return staff - other_shifts_only
