"""Drift alerts: the flags of every theme being watched, kept as records.

The governance check (``app.governance.check``) raises an alert for each flag that holds and
has no open alert yet; the unique ``open_key`` makes two checks at once raise it
once. An alert stays open, on the dashboards and the site's managers' home, until a manager or
quality lead resolves it saying how; if the drift is still there at the next check after that,
it is raised again.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import update
from sqlmodel import Session, col, select

from app.auth import service as auth_service
from app.auth.actor import Actor
from app.auth.permissions import SiteCapability
from app.auth.recipients import holders_at_site
from app.errors import Conflict, NotFound
from app.governance.flags import Flag
from app.governance.models import DriftAlert, FlagKind
from app.inbox.models import Kind
from app.inbox.service import notify
from app.org.models import Site
from app.records import Capture, insert_once
from app.theme.models import LearningTheme

# What each alert's notification says drifted: fixed words, as a lock screen may show them, so
# a manager told of three alerts at once can tell them apart.
WHAT_DRIFTED = {
    FlagKind.concern: "a learning theme is slipping",
    FlagKind.under_target: "a learning theme is under its target",
    FlagKind.not_observed: "practice has not been observed",
    FlagKind.low_prompt_coverage: "handover prompts are being missed",
    FlagKind.self_report_gap: "notes and observations disagree",
}


def open_key(site_id: uuid.UUID, theme_id: uuid.UUID, flag: Flag) -> str:
    return f"{site_id}:{theme_id}:{flag.kind.value}:{flag.indicator or ''}:{flag.shift}"


def raise_alerts(
    session: Session, theme: LearningTheme, site: Site, flags: list[Flag], now: datetime
) -> list[DriftAlert]:
    def row_for(flag: Flag) -> dict[str, object]:
        return {
            "id": uuid.uuid4(),
            "organisation_id": site.organisation_id,
            "site_id": site.id,
            "theme_id": theme.id,
            "kind": flag.kind,
            "shift": flag.shift,
            "indicator": flag.indicator or "",
            "words": flag.words[:300],
            "raised_at": now,
            "open_key": open_key(site.id, theme.id, flag),
            "resolution": "",
        }

    captures = [Capture(id=None, make_row=lambda flag=flag: row_for(flag)) for flag in flags]
    outcomes = insert_once(session, DriftAlert, captures, natural_key=("open_key",))
    new_ids = [o.record["id"] for o in outcomes if not isinstance(o, Exception) and o.created]
    raised = (
        list(session.exec(select(DriftAlert).where(col(DriftAlert.id).in_(new_ids))))
        if new_ids
        else []
    )
    if raised:
        _tell_responders(session, site, raised, now)
    return raised


def _tell_responders(session: Session, site: Site, raised: list[DriftAlert], now: datetime) -> None:
    """The site's managers and the organisation's quality leads hear of each new alert."""
    responders = holders_at_site(
        session, site_id=site.id, capability=SiteCapability.respond_to_alerts
    )
    for alert in raised:
        shift = f", {alert.shift.lower()} shift" if alert.shift else ""
        notify(
            session,
            users=responders,
            kind=Kind.drift_alert,
            title=f"Drift alert for {site.name}{shift}: {WHAT_DRIFTED[alert.kind]}",
            url=f"/alerts/{alert.id}",
            source_key=str(alert.id),
            now=now,
        )


def open_alerts(session: Session, *, actor: Actor, site_ids: list[uuid.UUID]) -> list[DriftAlert]:
    """The open alerts at those of the sites whose indicators the actor may read, newest first."""
    readable = [s for s in site_ids if actor.can(SiteCapability.read_indicators, s)]
    if not readable:
        return []
    return list(
        session.exec(
            select(DriftAlert)
            .where(col(DriftAlert.site_id).in_(readable), col(DriftAlert.resolved_at).is_(None))
            .order_by(col(DriftAlert.raised_at).desc(), DriftAlert.words)
        )
    )


def open_alert_counts(
    session: Session, *, actor: Actor, site_ids: list[uuid.UUID]
) -> dict[uuid.UUID, int]:
    counts: dict[uuid.UUID, int] = defaultdict(int)
    for alert in open_alerts(session, actor=actor, site_ids=site_ids):
        counts[alert.site_id] += 1
    return counts


def get_alert(session: Session, *, actor: Actor, alert_id: uuid.UUID) -> DriftAlert:
    """An alert at one of the actor's sites; any other id is "not found"."""
    alert = session.get(DriftAlert, alert_id)
    if alert is None or alert.site_id not in actor.site_ids:
        raise NotFound()
    actor.require(SiteCapability.read_indicators, alert.site_id)
    return alert


def mark_seen(session: Session, *, actor: Actor, alert: DriftAlert, now: datetime) -> DriftAlert:
    """The first person to say they have seen it is kept; saying it again changes nothing."""
    actor.require(SiteCapability.respond_to_alerts, alert.site_id)
    _update_if(
        session, alert, col(DriftAlert.seen_at).is_(None), seen_at=now, seen_by_id=actor.user_id
    )
    return alert


def resolve_alert(
    session: Session, *, actor: Actor, alert: DriftAlert, resolution: str, now: datetime
) -> DriftAlert:
    """Resolve an open alert saying how. Two people resolving it at once: the first is kept,
    the second is told it was already resolved (the update is conditional, not read first)."""
    actor.require(SiteCapability.respond_to_alerts, alert.site_id)
    resolved = _update_if(
        session,
        alert,
        col(DriftAlert.resolved_at).is_(None),
        resolved_at=now,
        resolved_by_id=actor.user_id,
        resolution=resolution,
        open_key=None,
    )
    if not resolved:
        raise Conflict("This alert was already resolved; nothing was changed.")
    _update_if(
        session, alert, col(DriftAlert.seen_at).is_(None), seen_at=now, seen_by_id=actor.user_id
    )
    return alert


def _update_if(session: Session, alert: DriftAlert, condition: Any, **values: Any) -> bool:
    """Set ``values`` on the alert if ``condition`` still holds in the store; answers whether
    it did. The alert is read again either way."""
    done = session.execute(
        update(DriftAlert).where(col(DriftAlert.id) == alert.id, condition).values(**values)
    )
    session.refresh(alert)
    return done.rowcount == 1  # type: ignore[attr-defined]


@dataclass(frozen=True)
class AlertAbout:
    """What an alert page names beside the alert: its theme and site, and who responded."""

    theme: LearningTheme
    site: Site
    seen_by: str | None
    resolved_by: str | None


def about(session: Session, *, alert: DriftAlert) -> AlertAbout:
    names = auth_service.user_names(
        session, [i for i in (alert.seen_by_id, alert.resolved_by_id) if i]
    )
    return AlertAbout(
        theme=session.get_one(LearningTheme, alert.theme_id),
        site=session.get_one(Site, alert.site_id),
        seen_by=names.get(alert.seen_by_id) if alert.seen_by_id else None,
        resolved_by=names.get(alert.resolved_by_id) if alert.resolved_by_id else None,
    )
