"""The organisation dashboard: every site side by side, a column per theme being watched.

Each cell is the theme at the site on its worst shift: the verdict and that shift's practice
score, so the row that needs a visit stands out. Sorted by site, or by any theme's column
(the worst first). A row says when each shift was last observed, for any of the themes.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session

from app.auth.actor import Actor
from app.auth.permissions import SiteCapability
from app.db import by_id
from app.errors import Forbidden
from app.governance.criteria import WATCHED, Criteria, criteria_for
from app.governance.dashboard import Figure, ThemeSummary, Verdict, summary_of
from app.governance.service import reading_of, site_today
from app.governance.signals import theme_signals
from app.org.models import Site
from app.theme import service as theme_service
from app.theme.models import LearningTheme

SITE_ORDER = "site"


@dataclass(frozen=True)
class Cell:
    shift: str  # the worst shift
    verdict: Verdict
    practice: Figure
    flags: int


@dataclass(frozen=True)
class SiteRow:
    site: Site
    cells: dict[uuid.UUID, Cell | None]  # by theme; None where the theme is not at the site
    seen_days_ago: dict[str, int | None]  # per shift, for any theme


@dataclass(frozen=True)
class OrganisationDashboard:
    themes: tuple[LearningTheme, ...]
    rows: tuple[SiteRow, ...]
    sorted_by: str


def organisation_dashboard(
    session: Session, *, actor: Actor, now: datetime, sort: str = SITE_ORDER
) -> OrganisationDashboard:
    readable = [
        site_id for site_id in actor.site_ids if actor.can(SiteCapability.read_indicators, site_id)
    ]
    if not readable:
        raise Forbidden()
    sites = sorted(by_id(session, Site, readable).values(), key=lambda site: site.name)
    themes = tuple(
        theme
        for theme in theme_service.list_themes(session, actor=actor)
        if theme.status in WATCHED
    )
    criteria = criteria_for(session, actor.organisation_id)
    summaries = _summaries(session, themes, sites, now, criteria)
    rows = [
        SiteRow(
            site=site,
            cells={theme.id: _cell(summaries.get((site.id, theme.id))) for theme in themes},
            seen_days_ago=_seen(summaries, site, themes),
        )
        for site in sites
    ]
    chosen = sort if any(str(theme.id) == sort for theme in themes) else SITE_ORDER
    return OrganisationDashboard(themes=themes, rows=tuple(_sorted(rows, chosen)), sorted_by=chosen)


def _summaries(
    session: Session,
    themes: tuple[LearningTheme, ...],
    sites: list[Site],
    now: datetime,
    criteria: Criteria,
) -> dict[tuple[uuid.UUID, uuid.UUID], ThemeSummary]:
    """Each theme at each of its sites the reader may read, by (site, theme)."""
    found = {}
    for theme in themes:
        at = set(theme_service.view_theme(session, theme=theme).site_ids)
        theme_sites = [site for site in sites if site.id in at]
        if not theme_sites:
            continue
        today = max(site_today(site, now) for site in theme_sites)
        signals = theme_signals(
            session, theme=theme, sites=theme_sites, today=today, criteria=criteria
        )
        for site in theme_sites:
            local = site_today(site, now)
            reading = reading_of(signals[site.id], today=local, criteria=criteria)
            found[(site.id, theme.id)] = summary_of(reading, local)
    return found


def _cell(summary: ThemeSummary | None) -> Cell | None:
    if summary is None or not summary.lines:
        return None
    worst = max(summary.lines, key=lambda line: line.verdict.severity)
    return Cell(
        shift=worst.shift,
        verdict=worst.verdict,
        practice=worst.practice,
        flags=len(summary.flags),
    )


def _seen(
    summaries: dict[tuple[uuid.UUID, uuid.UUID], ThemeSummary],
    site: Site,
    themes: tuple[LearningTheme, ...],
) -> dict[str, int | None]:
    """Days since each shift was last observed, for any of the themes."""
    days: dict[str, int | None] = {}
    for theme in themes:
        summary = summaries.get((site.id, theme.id))
        for line in summary.lines if summary else ():
            known = [d for d in (days.get(line.shift), line.seen_days_ago) if d is not None]
            days[line.shift] = min(known) if known else None
    return days


def _sorted(rows: list[SiteRow], sort: str) -> list[SiteRow]:
    if sort == SITE_ORDER:
        return rows
    theme_id = uuid.UUID(sort)

    def worst_first(row: SiteRow) -> tuple[int, float]:
        cell = row.cells.get(theme_id)
        if cell is None:
            return (1, 0.0)
        score = cell.practice.value if cell.practice.value is not None else 101.0
        return (-cell.verdict.severity, score)

    return sorted(rows, key=worst_first)
