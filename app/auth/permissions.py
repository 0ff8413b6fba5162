"""Who may do what: the one table of capabilities by role.

Site capabilities apply at a site where the actor holds one of the roles (organisation-wide
roles hold at every site of the organisation). Organisation capabilities need an
organisation-wide role.
"""

from __future__ import annotations

from enum import StrEnum

from app.auth.models import Role

EVERYONE = frozenset(Role)
LEADERS = frozenset({Role.manager, Role.admin})


class SiteCapability(StrEnum):
    view = "view"
    manage_people = "manage_people"
    manage_shifts = "manage_shifts"
    manage_staff = "manage_staff"
    edit_site = "edit_site"
    record_notes = "record_notes"
    review_notes = "review_notes"
    manage_quick_picks = "manage_quick_picks"
    lead_shift = "lead_shift"
    oversee_actions = "oversee_actions"
    observe_practice = "observe_practice"


class OrgCapability(StrEnum):
    manage_sites = "manage_sites"
    manage_themes = "manage_themes"
    invite_organisation_roles = "invite_organisation_roles"


SITE_RULES: dict[SiteCapability, frozenset[Role]] = {
    SiteCapability.view: EVERYONE,
    SiteCapability.manage_people: LEADERS,
    SiteCapability.manage_shifts: LEADERS,
    SiteCapability.manage_staff: LEADERS,
    SiteCapability.edit_site: frozenset({Role.admin}),
    SiteCapability.record_notes: frozenset({Role.care_worker, Role.team_lead, Role.manager}),
    SiteCapability.review_notes: frozenset({Role.manager}),
    SiteCapability.manage_quick_picks: LEADERS,
    SiteCapability.lead_shift: frozenset({Role.team_lead, Role.manager}),
    SiteCapability.oversee_actions: frozenset(
        {Role.team_lead, Role.manager, Role.quality_lead, Role.admin}
    ),
    SiteCapability.observe_practice: frozenset({Role.manager, Role.quality_lead}),
}

ORG_RULES: dict[OrgCapability, frozenset[Role]] = {
    OrgCapability.manage_sites: frozenset({Role.admin}),
    OrgCapability.manage_themes: frozenset({Role.quality_lead, Role.admin}),
    OrgCapability.invite_organisation_roles: frozenset({Role.admin}),
}

SITE_ROLES = (Role.care_worker, Role.team_lead, Role.manager)
ORGANISATION_ROLES = (Role.quality_lead, Role.admin)

# Which roles someone holding the capability to manage staff may hand out at a site.
GRANTABLE_AT_SITE: dict[Role, tuple[Role, ...]] = {
    Role.manager: SITE_ROLES,
    Role.admin: SITE_ROLES,
}
