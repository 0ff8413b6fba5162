"""Who is told: the active users holding a capability at a site, or in an organisation.

Read from memberships and the permission table, the same way the Actor is built: a role held at
the site counts there, and an organisation-wide role counts at every site of its organisation.
The caller has already checked that the change it tells them of was allowed.
"""

from __future__ import annotations

import uuid

from sqlalchemy import or_
from sqlmodel import Session, col, select

from app.auth.models import Membership, User
from app.auth.permissions import ORG_RULES, SITE_RULES, OrgCapability, SiteCapability
from app.auth.service import ORGANISATION_SITES


def holders_at_site(
    session: Session, *, site_id: uuid.UUID, capability: SiteCapability
) -> set[uuid.UUID]:
    """The active users who hold ``capability`` at the site."""
    organisation = select(ORGANISATION_SITES.c.organisation_id).where(
        ORGANISATION_SITES.c.id == site_id
    )
    held_here = or_(
        Membership.site_id == site_id,
        col(Membership.site_id).is_(None)
        & col(Membership.organisation_id).in_(organisation.scalar_subquery()),
    )
    query = (
        select(Membership.user_id)
        .join(User, col(User.id) == Membership.user_id)
        .where(held_here, col(Membership.role).in_(SITE_RULES[capability]))
        .where(col(User.active).is_(True))
    )
    return set(session.exec(query))


def holders_in_organisation(
    session: Session, *, organisation_id: uuid.UUID, capability: OrgCapability
) -> set[uuid.UUID]:
    """The active users who hold ``capability`` across the organisation."""
    query = (
        select(Membership.user_id)
        .join(User, col(User.id) == Membership.user_id)
        .where(
            Membership.organisation_id == organisation_id,
            col(Membership.site_id).is_(None),
            col(Membership.role).in_(ORG_RULES[capability]),
            col(User.active).is_(True),
        )
    )
    return set(session.exec(query))
