"""The governance check: keep the rollups of every watched theme's charted weeks, read its
signals at each of its sites, raise a drift alert for each flag with none open, and propose the
lifecycle move the evidence supports.

Run by ``shift-companion check-drift`` (daily from cron or a timer in a deployment; by
``make run`` after the demo is loaded). Running it twice, or two at once, changes nothing more.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlmodel import Session, col, select

from app.governance import alerts, lifecycle, rollups
from app.governance.criteria import WATCHED, Criteria, criteria_for
from app.governance.families import Scope
from app.governance.flags import Flag, theme_flags
from app.governance.models import DriftAlert
from app.governance.service import site_today
from app.governance.signals import ThemeSignals, charted_weeks, theme_signals
from app.governance.weeks import Placer
from app.org.models import Organisation, Site
from app.theme.models import LearningTheme, ThemeSite


@dataclass
class CheckResult:
    alerts: list[DriftAlert] = field(default_factory=list)
    proposals: int = 0


def check_everywhere(session: Session, *, now: datetime) -> CheckResult:
    result = CheckResult()
    for organisation_id in session.exec(select(Organisation.id)).all():
        found = check_organisation(session, organisation_id=organisation_id, now=now)
        result.alerts += found.alerts
        result.proposals += found.proposals
    return result


def check_organisation(
    session: Session, *, organisation_id: uuid.UUID, now: datetime
) -> CheckResult:
    result = CheckResult()
    criteria = criteria_for(session, organisation_id)
    for theme, sites in _watched(session, organisation_id):
        today = max(site_today(site, now) for site in sites)
        scope = Scope(theme=theme, sites=sites, weeks=charted_weeks(today))
        rollups.keep_weeks(session, Placer(session, sites), scope)
        readings = theme_readings(session, theme=theme, sites=sites, criteria=criteria, now=now)
        for site in sites:
            _signals, flags = readings[site.id]
            result.alerts += alerts.raise_alerts(session, theme, site, flags, now)
        if lifecycle.propose(session, theme=theme, readings=readings, criteria=criteria, now=now):
            result.proposals += 1
    return result


def theme_readings(
    session: Session,
    *,
    theme: LearningTheme,
    sites: Sequence[Site],
    criteria: Criteria,
    now: datetime,
) -> dict[uuid.UUID, tuple[ThemeSignals, list[Flag]]]:
    """The theme's signals and flags at each site, as the check and a manual move read them
    (the sites are ones the caller may read)."""
    today = max(site_today(site, now) for site in sites)
    signals = theme_signals(session, theme=theme, sites=sites, today=today, criteria=criteria)
    return {
        site.id: (
            signals[site.id],
            theme_flags(signals[site.id], today=site_today(site, now), criteria=criteria),
        )
        for site in sites
    }


def _watched(
    session: Session, organisation_id: uuid.UUID
) -> list[tuple[LearningTheme, list[Site]]]:
    rows = session.exec(
        select(LearningTheme, Site)
        .join(ThemeSite, col(ThemeSite.theme_id) == LearningTheme.id)
        .join(Site, col(Site.id) == ThemeSite.site_id)
        .where(
            LearningTheme.organisation_id == organisation_id,
            col(LearningTheme.status).in_(WATCHED),
        )
        .order_by(LearningTheme.title, Site.name)
    )
    by_theme: dict[uuid.UUID, tuple[LearningTheme, list[Site]]] = {}
    for theme, site in rows:
        by_theme.setdefault(theme.id, (theme, []))[1].append(site)
    return list(by_theme.values())
