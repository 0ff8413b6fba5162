"""The evidence beside a lifecycle move made by hand.

The quality lead may move a theme without waiting for a proposal; the page asking them to
confirm shows what the governance check would read at each of the theme's sites (weeks on target
on every shift against the weeks the criteria need, the flags raised, the alerts still open) and
whether the evidence supports the move. The evidence judges two moves, embedding → embedded and
embedded → embedding, by the same rule the check proposes them by (``lifecycle.proposed_move``);
a move against it still needs only a reason, and the theme's history keeps the evidence beside
that reason, as a confirmed proposal's does. A proposal waiting on the theme is decided by the
move (``lifecycle.settle_by_hand``).

The theme domain cannot read governance, so this page lives here and moves the theme through
the theme service's one ``transition_theme``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session

from app.auth.actor import Actor
from app.auth.permissions import SiteCapability
from app.db import by_id
from app.governance import alerts, lifecycle
from app.governance.check import theme_readings
from app.governance.criteria import WATCHED, Criteria, criteria_for
from app.governance.models import FlagKind
from app.org.models import Site
from app.theme import service as theme_service
from app.theme.models import LearningTheme, ThemeStatus, ThemeTransition

REASON_LENGTH = 1000  # what the theme's history keeps of a reason
JUDGED = {
    (ThemeStatus.embedding, ThemeStatus.embedded),
    (ThemeStatus.embedded, ThemeStatus.embedding),
}


@dataclass(frozen=True)
class SiteEvidence:
    site: Site
    weeks_embedded: int  # weeks running on target on every shift
    holds: bool  # the criteria for "embedded" hold here
    line: str  # the evidence line a proposal would carry
    flags: tuple[str, ...]  # drift and "not observed", in words
    open_alerts: int  # drift alerts of this theme still open at the site


@dataclass(frozen=True)
class MoveEvidence:
    from_status: ThemeStatus
    to_status: ThemeStatus
    criteria: Criteria
    sites: tuple[SiteEvidence, ...]
    supported: ThemeStatus | None  # the move the evidence supports now, if any

    @property
    def judged(self) -> bool:
        """Whether the evidence rule judges this move at all."""
        return (self.from_status, self.to_status) in JUDGED and bool(self.sites)

    @property
    def against(self) -> bool:
        return self.judged and self.supported is not self.to_status

    def kept_with(self, reason: str) -> str:
        """The reason as the theme's history keeps it: with the evidence, when it judges."""
        if not self.judged:
            return reason
        lines = (
            [s.line for s in self.sites]
            if self.to_status is ThemeStatus.embedded
            else [f"{s.site.name}: {flag}" for s in self.sites for flag in s.flags]
            or [s.line for s in self.sites]
        )
        said = "moved against the evidence" if self.against else "moved with the evidence"
        return f"{reason} — {said}: {'; '.join(lines)}"[:REASON_LENGTH]


def move_evidence(
    session: Session, *, actor: Actor, theme: LearningTheme, to_status: ThemeStatus, now: datetime
) -> MoveEvidence:
    """What the check would read of the theme at each of its sites the actor may read."""
    criteria = criteria_for(session, actor.organisation_id)
    readable = [
        site_id
        for site_id in theme_service.view_theme(session, theme=theme).site_ids
        if actor.can(SiteCapability.read_indicators, site_id)
    ]
    sites = sorted(by_id(session, Site, readable).values(), key=lambda site: site.name)
    if theme.status not in WATCHED or not sites:
        return MoveEvidence(theme.status, to_status, criteria, (), None)
    readings = theme_readings(session, theme=theme, sites=sites, criteria=criteria, now=now)
    still_open = [
        a
        for a in alerts.open_alerts(session, actor=actor, site_ids=readable)
        if a.theme_id == theme.id
    ]
    found = []
    for site in sites:
        signals, flags = readings[site.id]
        holds, line = lifecycle.embedding_evidence(signals, flags, criteria)
        found.append(
            SiteEvidence(
                site=site,
                weeks_embedded=lifecycle.weeks_embedded(signals, criteria),
                holds=holds,
                line=line,
                flags=tuple(
                    flag.words
                    for flag in flags
                    if flag.kind in (*lifecycle.DRIFT, FlagKind.not_observed)
                ),
                open_alerts=sum(1 for a in still_open if a.site_id == site.id),
            )
        )
    move = lifecycle.proposed_move(theme, readings, criteria)
    supported = move[0] if move is not None else None
    return MoveEvidence(theme.status, to_status, criteria, tuple(found), supported)


def move_theme(
    session: Session,
    *,
    actor: Actor,
    theme: LearningTheme,
    to_status: ThemeStatus,
    reason: str,
    now: datetime,
) -> ThemeTransition:
    """Move the theme by hand, the evidence read now kept beside the reason in its history.
    A move the lifecycle refuses is refused before any evidence is read."""
    theme_service.check_transition(
        session, actor=actor, theme=theme, to_status=to_status, reason=reason
    )
    evidence = move_evidence(session, actor=actor, theme=theme, to_status=to_status, now=now)
    lifecycle.settle_by_hand(
        session, actor=actor, theme=theme, to_status=to_status, reason=reason.strip(), now=now
    )
    return theme_service.transition_theme(
        session,
        actor=actor,
        theme=theme,
        to_status=to_status,
        reason=evidence.kept_with(reason.strip()),
        now=now,
    )
