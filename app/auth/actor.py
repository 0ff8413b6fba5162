"""The Actor: who is asking, in which organisation, with which role at which site.

Resolved once per request from the session; every service takes it and filters by it. A site
the actor does not belong to does not exist for them (404); a site they belong to but whose
action their role does not allow is a 403.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from app.auth.models import Role
from app.auth.permissions import (
    ORG_RULES,
    SENIORITY,
    SITE_RULES,
    OrgCapability,
    SiteCapability,
)
from app.errors import Forbidden, NotFound


@dataclass(frozen=True)
class Actor:
    user_id: uuid.UUID
    name: str
    email: str
    organisation_id: uuid.UUID
    organisation_roles: frozenset[Role]
    site_roles: Mapping[uuid.UUID, frozenset[Role]]
    session_id: uuid.UUID | None = None

    @property
    def site_ids(self) -> frozenset[uuid.UUID]:
        return frozenset(self.site_roles)

    @property
    def main_role(self) -> Role | None:
        """The most senior role held anywhere: what the actor is shown as (``/api/v1/me``)."""
        held = set(self.organisation_roles).union(*self.site_roles.values())
        return next((role for role in SENIORITY if role in held), None)

    def roles_at(self, site_id: uuid.UUID) -> frozenset[Role]:
        return self.site_roles.get(site_id, frozenset())

    def role_at(self, site_id: uuid.UUID) -> Role | None:
        roles = self.roles_at(site_id)
        return next((role for role in SENIORITY if role in roles), None)

    def can(self, capability: SiteCapability, site_id: uuid.UUID) -> bool:
        return bool(self.roles_at(site_id) & SITE_RULES[capability])

    def can_org(self, capability: OrgCapability) -> bool:
        return bool(self.organisation_roles & ORG_RULES[capability])

    def require(self, capability: SiteCapability, site_id: uuid.UUID) -> None:
        """Not found for a site outside the actor's scope; forbidden for a role that may not."""
        if site_id not in self.site_roles:
            raise NotFound()
        if not self.can(capability, site_id):
            raise Forbidden()

    def require_org(self, capability: OrgCapability) -> None:
        if not self.can_org(capability):
            raise Forbidden()


def build_actor(
    *,
    user_id: uuid.UUID,
    name: str,
    email: str,
    organisation_id: uuid.UUID,
    memberships: Iterable[tuple[uuid.UUID | None, Role]],
    organisation_site_ids: Iterable[uuid.UUID],
    session_id: uuid.UUID | None = None,
) -> Actor:
    """Expand memberships: an organisation-wide role holds at every site of the organisation."""
    organisation_roles: set[Role] = set()
    site_roles: dict[uuid.UUID, set[Role]] = {}
    for site_id, role in memberships:
        if site_id is None:
            organisation_roles.add(role)
        else:
            site_roles.setdefault(site_id, set()).add(role)
    if organisation_roles:
        for site_id in organisation_site_ids:
            site_roles.setdefault(site_id, set()).update(organisation_roles)
    return Actor(
        user_id=user_id,
        name=name,
        email=email,
        organisation_id=organisation_id,
        organisation_roles=frozenset(organisation_roles),
        site_roles={site_id: frozenset(roles) for site_id, roles in site_roles.items()},
        session_id=session_id,
    )
