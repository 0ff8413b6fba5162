"""What governance readers ask, each answered within the actor's scope.

Readers pass the actor; each function checks it may read the site's indicators before reading.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlmodel import Session

from app.auth.actor import Actor
from app.auth.permissions import SiteCapability
from app.governance.criteria import Criteria, criteria_for
from app.governance.flags import Flag, theme_flags
from app.governance.lifecycle import weeks_embedded
from app.governance.signals import ThemeSignals, theme_signals
from app.org.models import Site
from app.theme.models import LearningTheme


@dataclass(frozen=True)
class ThemeReading:
    signals: ThemeSignals
    flags: tuple[Flag, ...]
    weeks_embedded: int  # weeks running on target on every shift, by the embedding rule


def site_today(site: Site, now: datetime) -> date:
    return now.astimezone(ZoneInfo(site.time_zone)).date()


def read_theme_at_site(
    session: Session, *, actor: Actor, theme: LearningTheme, site: Site, now: datetime
) -> ThemeReading:
    actor.require(SiteCapability.read_indicators, site.id)
    criteria = criteria_for(session, actor.organisation_id)
    today = site_today(site, now)
    signals = theme_signals(session, theme=theme, sites=[site], today=today, criteria=criteria)
    return reading_of(signals[site.id], today=today, criteria=criteria)


def reading_of(signals: ThemeSignals, *, today: date, criteria: Criteria) -> ThemeReading:
    return ThemeReading(
        signals,
        tuple(theme_flags(signals, today=today, criteria=criteria)),
        weeks_embedded(signals, criteria),
    )
