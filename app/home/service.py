"""What each role's home shows, as booleans from the permission table (never a role name).

Someone who works a site's shifts sees the site and today's focus (the why and the behaviours of
the site's active themes), the form to record a note if they record notes, and, if they lead
shifts, their tools; someone with an organisation-wide role sees their sites and the themes, and
the management pages they may use.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime

from sqlmodel import Session

from app.action import service as action_service
from app.auth.actor import Actor
from app.auth.permissions import OrgCapability, SiteCapability
from app.engagement import service as engagement_service
from app.engagement.models import EngagementLevel
from app.errors import NotFound
from app.governance import alerts, lifecycle
from app.handover import view as handover_view
from app.handover.view import HandoverForHome
from app.observation.feedback import FeedbackForHome, feedback_for_home
from app.org import service as org_service
from app.org.models import PersonSupported, Site
from app.theme import service as theme_service
from app.theme.service import ThemeView


@dataclass(frozen=True)
class SiteFocus:
    site: Site
    themes: list[ThemeView]
    people: list[PersonSupported]
    can_manage: bool
    can_record: bool
    to_review: int | None
    can_observe: bool
    can_snapshot: bool
    can_lead: bool
    can_read_indicators: bool
    drift_alerts: int | None  # open ones, for a reader of the site's indicators


@dataclass(frozen=True)
class MyActions:
    open: int
    overdue: int


@dataclass(frozen=True)
class Home:
    is_member: bool  # holds a role somewhere; a new account may not yet
    works_shifts: bool  # works a site's shifts: the shift's home, not the organisation's
    sites: list[SiteFocus] = field(default_factory=list)
    my_actions: MyActions = MyActions(open=0, overdue=0)
    feedback: list[FeedbackForHome] = field(default_factory=list)
    handover: HandoverForHome | None = None
    can_manage_themes: bool = False
    can_manage_sites: bool = False
    can_invite_organisation_roles: bool = False
    can_compare_sites: bool = False  # reads the indicators of more than one site
    proposals_to_decide: int = 0


def home_for(session: Session, *, actor: Actor, now: datetime) -> Home:
    alert_counts = alerts.open_alert_counts(session, actor=actor, site_ids=sorted(actor.site_ids))
    sites = [
        SiteFocus(
            site=site,
            themes=theme_service.active_themes_for_site(session, actor=actor, site_id=site.id),
            people=org_service.list_people(session, actor=actor, site_id=site.id),
            can_manage=actor.can(SiteCapability.manage_staff, site.id),
            can_record=actor.can(SiteCapability.record_notes, site.id),
            can_observe=actor.can(SiteCapability.observe_practice, site.id),
            can_snapshot=actor.can(SiteCapability.record_snapshot, site.id),
            can_lead=actor.can(SiteCapability.lead_shift, site.id),
            can_read_indicators=actor.can(SiteCapability.read_indicators, site.id),
            drift_alerts=alert_counts.get(site.id, 0)
            if actor.can(SiteCapability.read_indicators, site.id)
            else None,
            to_review=engagement_service.count_to_review(session, actor=actor, site_id=site.id)
            if actor.can(SiteCapability.review_notes, site.id)
            else None,
        )
        for site in org_service.list_sites(session, actor=actor)
    ]
    return Home(
        is_member=actor.main_role is not None,
        works_shifts=any(actor.can(SiteCapability.work_shifts, f.site.id) for f in sites),
        sites=sites,
        my_actions=_my_actions(session, actor=actor, now=now),
        feedback=feedback_for_home(session, actor=actor),
        handover=handover_view.latest_for_home(session, actor=actor, now=now),
        can_manage_themes=actor.can_org(OrgCapability.manage_themes),
        can_manage_sites=actor.can_org(OrgCapability.manage_sites),
        can_invite_organisation_roles=actor.can_org(OrgCapability.invite_organisation_roles),
        can_compare_sites=sum(focus.can_read_indicators for focus in sites) > 1,
        proposals_to_decide=len(lifecycle.open_proposals(session, actor=actor)),
    )


@dataclass(frozen=True)
class SavedNote:
    id: uuid.UUID
    person: str
    level: str


def saved_note(session: Session, *, actor: Actor, note_id: uuid.UUID) -> SavedNote | None:
    """The note the actor has just saved, for the confirmation on the home screen."""
    try:
        note = engagement_service.get_note(session, actor=actor, note_id=note_id)
    except NotFound:
        return None
    if note.author_id != actor.user_id:
        return None
    person = org_service.get_person(session, actor=actor, person_id=note.person_id)
    level = EngagementLevel(note.level)
    return SavedNote(id=note.id, person=person.preferred_name, level=f"{level.value} {level.label}")


def _my_actions(session: Session, *, actor: Actor, now: datetime) -> MyActions:
    mine = action_service.list_actions(
        session, actor=actor, where=action_service.ActionFilter(owner_id=actor.user_id)
    )
    overdue = action_service.overdue_ids(session, mine, now=now)
    return MyActions(open=len(mine), overdue=len(overdue))
