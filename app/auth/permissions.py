"""Who may do what: the one table of capabilities by role.

Every decision about what a role may do is a row here. Services check it (``actor.require``,
``actor.can``), pages receive booleans computed from it, and the route matrix test reads it to
know which role each route lets in. No other module names a set of roles.

Site capabilities apply at a site where the actor holds one of the roles (organisation-wide
roles hold at every site of the organisation). Organisation capabilities need an
organisation-wide role. Some rules also let in the person a record is about or by, whatever
their role: the author of a note changes it, the observer voids their own observation, the lead
who ran a handover amends it, the owner of an action completes it. The ``…_any_…``
capabilities below are for everyone else's.
"""

from __future__ import annotations

from enum import StrEnum

from app.auth.models import Role

EVERYONE = frozenset(Role)
SITE_STAFF = frozenset({Role.care_worker, Role.team_lead, Role.manager})
LEADERS = frozenset({Role.manager, Role.admin})
SHIFT_LEADS = frozenset({Role.team_lead, Role.manager})
MANAGER = frozenset({Role.manager})
# The roles whose presence at a handover counts as "a manager at handover" (leadership
# visibility, SCALES.md): the handover page's tick and the governance indicator alike.
MANAGER_AT_HANDOVER = frozenset({Role.manager})


class SiteCapability(StrEnum):
    view = "view"
    manage_people = "manage_people"
    manage_shifts = "manage_shifts"
    manage_staff = "manage_staff"
    edit_site = "edit_site"
    work_shifts = "work_shifts"
    record_notes = "record_notes"
    change_any_note = "change_any_note"
    review_notes = "review_notes"
    manage_quick_picks = "manage_quick_picks"
    lead_shift = "lead_shift"
    amend_any_handover = "amend_any_handover"
    oversee_actions = "oversee_actions"
    observe_practice = "observe_practice"
    read_observations = "read_observations"
    void_any_observation = "void_any_observation"
    read_indicators = "read_indicators"
    respond_to_alerts = "respond_to_alerts"
    record_meeting_decisions = "record_meeting_decisions"
    record_snapshot = "record_snapshot"
    read_snapshots = "read_snapshots"


class OrgCapability(StrEnum):
    manage_sites = "manage_sites"
    manage_themes = "manage_themes"
    invite_organisation_roles = "invite_organisation_roles"


SITE_RULES: dict[SiteCapability, frozenset[Role]] = {
    # Read the site: its people, shifts, themes, notes, handovers.
    SiteCapability.view: EVERYONE,
    SiteCapability.manage_people: LEADERS,
    SiteCapability.manage_shifts: LEADERS,
    SiteCapability.manage_staff: LEADERS,
    SiteCapability.edit_site: frozenset({Role.admin}),
    # Work the site's shifts: acknowledge its handovers, see the shift's home.
    SiteCapability.work_shifts: SITE_STAFF,
    SiteCapability.record_notes: SITE_STAFF,
    # Amend or void a note someone else wrote.
    SiteCapability.change_any_note: MANAGER,
    # Review notes that record restrictive practice.
    SiteCapability.review_notes: MANAGER,
    SiteCapability.manage_quick_picks: LEADERS,
    SiteCapability.lead_shift: SHIFT_LEADS,
    # Amend a completed handover someone else led.
    SiteCapability.amend_any_handover: MANAGER,
    # See and close every action at the site, not only one's own.
    SiteCapability.oversee_actions: frozenset(
        {Role.team_lead, Role.manager, Role.quality_lead, Role.admin}
    ),
    SiteCapability.observe_practice: frozenset({Role.manager, Role.quality_lead}),
    # Read every observation at the site, not only those one made or was the subject of.
    SiteCapability.read_observations: frozenset({Role.manager, Role.quality_lead, Role.admin}),
    # Void an observation someone else made.
    SiteCapability.void_any_observation: MANAGER,
    # Read the governance indicators of the site's learning themes.
    SiteCapability.read_indicators: frozenset({Role.manager, Role.quality_lead, Role.admin}),
    # Say a drift alert was seen, and resolve it saying how.
    SiteCapability.respond_to_alerts: frozenset({Role.manager, Role.quality_lead}),
    # Record what the quality meeting decided about the site, as an action with an owner:
    # whoever reads the site's indicators at the meeting.
    SiteCapability.record_meeting_decisions: frozenset(
        {Role.manager, Role.quality_lead, Role.admin}
    ),
    # Tally the interactions seen in a room on a walk round (an interaction snapshot).
    SiteCapability.record_snapshot: frozenset({Role.manager, Role.quality_lead}),
    # Read every snapshot taken at the site, not only one's own.
    SiteCapability.read_snapshots: frozenset({Role.manager, Role.quality_lead, Role.admin}),
}

ORG_RULES: dict[OrgCapability, frozenset[Role]] = {
    OrgCapability.manage_sites: frozenset({Role.admin}),
    OrgCapability.manage_themes: frozenset({Role.quality_lead, Role.admin}),
    OrgCapability.invite_organisation_roles: frozenset({Role.admin}),
}

SITE_ROLES = (Role.care_worker, Role.team_lead, Role.manager)
ORGANISATION_ROLES = (Role.quality_lead, Role.admin)

# The most senior first: the role an actor is shown as (``Actor.main_role``, ``role_at``).
SENIORITY = (Role.admin, Role.quality_lead, Role.manager, Role.team_lead, Role.care_worker)

# Which roles someone holding the capability to manage staff may hand out at a site.
GRANTABLE_AT_SITE: dict[Role, tuple[Role, ...]] = {
    Role.manager: SITE_ROLES,
    Role.admin: SITE_ROLES,
}
