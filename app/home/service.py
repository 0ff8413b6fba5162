"""What each role's home shows.

A care worker sees their site and today's focus (the why and the behaviours of the site's active
themes); a team lead and a manager also see their tools; a quality lead sees their sites and the
themes; an admin sees the management pages.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlmodel import Session

from app.auth.actor import Actor
from app.auth.permissions import OrgCapability, SiteCapability
from app.org import service as org_service
from app.org.models import Role, Site
from app.theme import service as theme_service
from app.theme.service import ThemeView


@dataclass(frozen=True)
class SiteFocus:
    site: Site
    role: Role | None
    themes: list[ThemeView]
    people_count: int
    can_manage: bool


@dataclass(frozen=True)
class Home:
    role: Role | None
    sites: list[SiteFocus] = field(default_factory=list)
    can_manage_themes: bool = False
    can_manage_sites: bool = False
    can_invite_organisation_roles: bool = False


def home_for(session: Session, *, actor: Actor) -> Home:
    sites = [
        SiteFocus(
            site=site,
            role=actor.role_at(site.id),
            themes=theme_service.active_themes_for_site(session, site_id=site.id),
            people_count=len(org_service.list_people(session, actor=actor, site_id=site.id)),
            can_manage=actor.can(SiteCapability.manage_staff, site.id),
        )
        for site in org_service.list_sites(session, actor=actor)
    ]
    return Home(
        role=actor.main_role,
        sites=sites,
        can_manage_themes=actor.can_org(OrgCapability.manage_themes),
        can_manage_sites=actor.can_org(OrgCapability.manage_sites),
        can_invite_organisation_roles=actor.can_org(OrgCapability.invite_organisation_roles),
    )
