"""Telling each site's staff when a theme becomes their learning focus (moved into pilot or
embedding from a stage where it was not)."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, col, select

from app.auth.actor import Actor
from app.auth.permissions import SiteCapability
from app.auth.recipients import holders_at_site
from app.inbox.models import Kind
from app.inbox.service import notify
from app.org.models import Site
from app.theme.models import LearningTheme, ThemeSite, ThemeTransition


def announce_focus(
    session: Session,
    *,
    actor: Actor,
    theme: LearningTheme,
    transition: ThemeTransition,
    now: datetime,
) -> None:
    """Tell the staff of each of the theme's sites there is a new learning focus to read."""
    at_sites = select(ThemeSite.site_id).where(ThemeSite.theme_id == theme.id)
    for site in session.exec(select(Site).where(col(Site.id).in_(at_sites))):
        staff = holders_at_site(session, site_id=site.id, capability=SiteCapability.work_shifts)
        notify(
            session,
            users=staff - {actor.user_id},
            kind=Kind.learning_focus,
            title=f"A new learning focus for {site.name} is ready to read",
            url=f"/themes/{theme.id}",
            source_key=f"{transition.id}:{site.id}",
            now=now,
        )
