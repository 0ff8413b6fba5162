"""Invitations: how staff get an account.

A manager invites staff to their own site as care worker, team lead or manager; an admin may
also invite quality leads and admins across the organisation. The link is single-use, expires
after ``invitation_days`` and sets the new account's password. Only the keyed hash of the token
is stored, so the link is shown once, to the person who made it.
"""

from __future__ import annotations

import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session, col, select, update

from app.audit.service import record_event
from app.auth.actor import Actor
from app.auth.models import Invitation, Role, User
from app.auth.passwords import Passwords, check_new_password
from app.auth.permissions import (
    GRANTABLE_AT_SITE,
    ORGANISATION_ROLES,
    OrgCapability,
    SiteCapability,
)
from app.auth.service import create_account, keyed_hash, normalise_email
from app.config import Settings
from app.errors import Forbidden, Invalid, NotFound


@dataclass(frozen=True)
class NewInvitation:
    invitation: Invitation
    token: str


def grantable_roles(actor: Actor, site_id: uuid.UUID | None) -> tuple[Role, ...]:
    """The roles the actor may hand out at a site, or across the organisation (``None``)."""
    if site_id is None:
        return ORGANISATION_ROLES if actor.can_org(OrgCapability.invite_organisation_roles) else ()
    if not actor.can(SiteCapability.manage_staff, site_id):
        return ()
    granted: list[Role] = []
    for role in actor.roles_at(site_id):
        granted.extend(r for r in GRANTABLE_AT_SITE.get(role, ()) if r not in granted)
    return tuple(granted)


def invite_staff(
    session: Session,
    *,
    actor: Actor,
    email: str,
    name: str,
    site_id: uuid.UUID | None,
    role: Role,
    now: datetime,
    settings: Settings,
) -> NewInvitation:
    if site_id is not None:
        actor.require(SiteCapability.manage_staff, site_id)
    elif not actor.can_org(OrgCapability.invite_organisation_roles):
        raise Forbidden()
    if role not in grantable_roles(actor, site_id):
        raise Invalid.one("role", "You cannot give this role here.")
    email = normalise_email(email)
    if session.exec(select(User.id).where(User.email == email)).first() is not None:
        raise Invalid.one("email", "Someone already has an account with this email.")
    _revoke_open_invitations(
        session, organisation_id=actor.organisation_id, site_id=site_id, email=email, now=now
    )
    token = secrets.token_urlsafe(32)
    invitation = Invitation(
        organisation_id=actor.organisation_id,
        site_id=site_id,
        role=role,
        email=email,
        name=name.strip(),
        token_hash=keyed_hash(settings, token),
        invited_by_id=actor.user_id,
        created_at=now,
        expires_at=now + timedelta(days=settings.invitation_days),
    )
    session.add(invitation)
    session.flush()
    record_event(
        session,
        organisation_id=actor.organisation_id,
        site_id=site_id,
        actor_id=actor.user_id,
        action="invite",
        entity="invitation",
        entity_id=invitation.id,
        at=now,
        summary=f"role={role.value}",
    )
    return NewInvitation(invitation=invitation, token=token)


def _revoke_open_invitations(
    session: Session,
    *,
    organisation_id: uuid.UUID,
    site_id: uuid.UUID | None,
    email: str,
    now: datetime,
) -> None:
    """A new invitation replaces the open one for the same email at the same site (or across the
    organisation); another site's invitation is another manager's, and stays."""
    session.exec(
        update(Invitation)
        .where(
            Invitation.organisation_id == organisation_id,
            col(Invitation.site_id).is_(None) if site_id is None else Invitation.site_id == site_id,
            Invitation.email == email,
            col(Invitation.accepted_at).is_(None),
            col(Invitation.revoked_at).is_(None),
        )
        .values(revoked_at=now)
    )


def find_open_invitation(
    session: Session, *, token: str, now: datetime, settings: Settings
) -> Invitation:
    invitation = session.exec(
        select(Invitation).where(Invitation.token_hash == keyed_hash(settings, token))
    ).first()
    if (
        invitation is None
        or invitation.accepted_at is not None
        or invitation.revoked_at is not None
        or now >= invitation.expires_at
    ):
        raise NotFound(
            "This invitation link has expired or has already been used. Ask your manager for a new one."
        )
    return invitation


def accept_invitation(
    session: Session,
    *,
    invitation: Invitation,
    password: str,
    confirm_password: str,
    now: datetime,
    passwords: Passwords,
) -> User:
    """Create the account and its membership; the invitation cannot be used again."""
    check_new_password(password, hints=[invitation.email, invitation.name])
    if password != confirm_password:
        raise Invalid.one("confirm_password", "The two passwords are not the same.")
    if session.exec(select(User.id).where(User.email == invitation.email)).first() is not None:
        raise NotFound("This invitation has already been used.")
    user = create_account(
        session,
        organisation_id=invitation.organisation_id,
        email=invitation.email,
        name=invitation.name,
        password_hash=passwords.hash(password),
        site_id=invitation.site_id,
        role=invitation.role,
        now=now,
    )
    invitation.accepted_at = now
    session.add(invitation)
    record_event(
        session,
        organisation_id=invitation.organisation_id,
        site_id=invitation.site_id,
        actor_id=user.id,
        action="accept_invitation",
        entity="invitation",
        entity_id=invitation.id,
        at=now,
        summary=f"role={invitation.role.value}",
    )
    return user


def list_open_invitations(
    session: Session, *, actor: Actor, site_id: uuid.UUID | None, now: datetime
) -> list[Invitation]:
    if site_id is not None:
        actor.require(SiteCapability.manage_staff, site_id)
    elif not actor.can_org(OrgCapability.invite_organisation_roles):
        raise Forbidden()
    return list(
        session.exec(
            select(Invitation)
            .where(
                Invitation.organisation_id == actor.organisation_id,
                Invitation.site_id == site_id,
                col(Invitation.accepted_at).is_(None),
                col(Invitation.revoked_at).is_(None),
                col(Invitation.expires_at) > now,
            )
            .order_by(col(Invitation.created_at).desc())
        )
    )
