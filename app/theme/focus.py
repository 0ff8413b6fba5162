"""Telling each site's staff when a theme becomes their learning focus: moved into pilot or
embedding from a stage where it was not, or, while it is in one, revised to take in their site.

The move that made the theme a focus is what they are told of, so each site is told once each
time the theme becomes one: sites it already had are not told again when others are added, nor
is a site removed and added back."""

from __future__ import annotations

import uuid
from collections.abc import Collection
from datetime import datetime

from sqlmodel import Session, col, select

from app.auth.actor import Actor
from app.auth.permissions import SiteCapability
from app.auth.recipients import holders_at_site
from app.inbox.models import Kind
from app.inbox.service import notify
from app.org.models import Site
from app.theme.models import ACTIVE_STATUSES, LearningTheme, ThemeSite, ThemeTransition


def announce_focus(
    session: Session,
    *,
    actor: Actor,
    theme: LearningTheme,
    transition: ThemeTransition,
    now: datetime,
    site_ids: Collection[uuid.UUID] | None = None,
) -> None:
    """Tell the staff of each of the theme's sites (or of ``site_ids``, those just added) there
    is a new learning focus to read."""
    if site_ids is None:
        site_ids = set(
            session.exec(select(ThemeSite.site_id).where(ThemeSite.theme_id == theme.id))
        )
    for site in session.exec(select(Site).where(col(Site.id).in_(site_ids))):
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


def announce_to_added_sites(
    session: Session,
    *,
    actor: Actor,
    theme: LearningTheme,
    site_ids: Collection[uuid.UUID],
    now: datetime,
) -> None:
    """Tell the staff of sites just added to a theme that is already a focus, as its other
    sites were told when it became one. Sites added to a theme not yet active wait for that."""
    if not site_ids or not theme.status.is_active:
        return
    # Every active theme got there by such a move (``transition_theme``).
    became_focus = session.exec(
        select(ThemeTransition)
        .where(
            ThemeTransition.theme_id == theme.id,
            col(ThemeTransition.to_status).in_(ACTIVE_STATUSES),
            col(ThemeTransition.from_status).not_in(ACTIVE_STATUSES),
        )
        .order_by(col(ThemeTransition.at).desc())
        .limit(1)
    ).one()
    announce_focus(
        session, actor=actor, theme=theme, transition=became_focus, now=now, site_ids=site_ids
    )
