"""The lifecycle moved by evidence: proposals the governance check makes, decided by a person.

An embedding theme is proposed as embedded when, at every one of its sites, every shift has had
practice score and explain-why at or above their targets for the criteria's number of
consecutive weeks, with no special-cause concern in either and every shift observed within the criteria's
days (and, when the organisation asks for it, every shift's practice "consistently passing").
An embedded theme is proposed back to embedding when it drifts: a special-cause concern or
practice under target two weeks running at any site. The quality lead confirms (the theme
moves, with the reason and the evidence in its history) or declines, with a reason either way.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from datetime import datetime

from sqlalchemy import update
from sqlmodel import Session, col, select

from app.auth.actor import Actor
from app.auth.permissions import OrgCapability
from app.auth.recipients import holders_in_organisation
from app.errors import Conflict, NotFound
from app.governance.criteria import Criteria
from app.governance.flags import Flag
from app.governance.models import Decision, FlagKind, LifecycleProposal
from app.governance.signals import ThemeSignals
from app.governance.spc import Assurance
from app.inbox.models import Kind
from app.inbox.service import notify
from app.records import Capture, insert_once
from app.theme import service as theme_service
from app.theme.models import LearningTheme, ThemeStatus

DRIFT = (FlagKind.concern, FlagKind.under_target)


def weeks_embedded(signals: ThemeSignals, criteria: Criteria) -> int:
    """Consecutive weeks, back from the last, in which no shift had practice score or
    explain-why under its target. A week a shift was not observed does not break the run, as
    long as no shift goes unobserved for longer than ``observe_every_days``; a week under target
    does."""
    columns = {"practice_score": criteria.practice_target, "explain_why": criteria.explain_target}
    series = [
        ([point.value for point in signals.signal(column, shift).chart.points], target)
        for column, target in columns.items()
        for shift in signals.shifts
    ]
    length = min((len(values) for values, _target in series), default=0)
    longest_gap = criteria.observe_every_days // 7
    gaps = [0] * len(series)
    weeks = 0
    for back in range(1, length + 1):
        values = [each[-back] for each, _target in series]
        gaps = [gap + 1 if value is None else 0 for gap, value in zip(gaps, values, strict=True)]
        under = any(
            value is not None and value < target
            for value, (_each, target) in zip(values, series, strict=True)
        )
        if under or max(gaps, default=0) > longest_gap:
            break
        weeks += 1
    return weeks


# What the criteria judge a theme embedded by. A special-cause concern in the site's engagement
# is a drift alert for every theme there, but it is not this theme's practice: across fifty
# sites, chance alone puts one somewhere most weeks, and no theme could ever embed.
EMBEDDED_BY_PRACTICE = ("practice_score", "explain_why")


def embedding_evidence(
    signals: ThemeSignals, flags: Sequence[Flag], criteria: Criteria
) -> tuple[bool, str]:
    """Whether the criteria for "embedded" hold at one site, and the line saying why (not)."""
    site = signals.site.name
    weeks = weeks_embedded(signals, criteria)
    concerns = [
        flag
        for flag in flags
        if flag.kind is FlagKind.concern and flag.indicator in EMBEDDED_BY_PRACTICE
    ]
    unobserved = [flag.shift for flag in flags if flag.kind is FlagKind.not_observed]
    not_passing = [
        shift
        for shift in signals.shifts
        if criteria.require_passing_assurance
        and (assurance := signals.signal("practice_score", shift).chart.assurance) is not None
        and assurance.kind is not Assurance.passing
    ]
    holds = weeks >= criteria.weeks_to_embed and not concerns and not unobserved and not not_passing
    line = (
        f"{site}: practice ≥ {criteria.practice_target:g} and explain-why ≥ "
        f"{criteria.explain_target:g} on every shift for {weeks} week{'s' * (weeks != 1)} running"
        f" (needed: {criteria.weeks_to_embed})"
    )
    if concerns:
        line += (
            f"; {len(concerns)} special-cause concern{'s' * (len(concerns) != 1)}"
            " in practice or explain-why"
        )
    if unobserved:
        line += f"; not observed for {criteria.observe_every_days} days: {', '.join(unobserved)}"
    if not_passing:
        line += f"; not yet consistently passing: {', '.join(not_passing)}"
    return holds, line


def proposed_move(
    theme: LearningTheme,
    readings: Mapping[uuid.UUID, tuple[ThemeSignals, Sequence[Flag]]],
    criteria: Criteria,
) -> tuple[ThemeStatus, list[str]] | None:
    """The move the evidence supports for the theme, with the lines that show it; or none."""
    if not readings:
        return None
    if theme.status is ThemeStatus.embedding:
        found = [
            embedding_evidence(signals, flags, criteria) for signals, flags in readings.values()
        ]
        if all(holds for holds, _line in found):
            return ThemeStatus.embedded, [line for _holds, line in found]
    if theme.status is ThemeStatus.embedded:
        drift = [
            f"{signals.site.name}: {flag.words}"
            for signals, flags in readings.values()
            for flag in flags
            if flag.kind in DRIFT
        ]
        if drift:
            return ThemeStatus.embedding, drift
    return None


def propose(
    session: Session,
    *,
    theme: LearningTheme,
    readings: Mapping[uuid.UUID, tuple[ThemeSignals, Sequence[Flag]]],
    criteria: Criteria,
    now: datetime,
) -> bool:
    """Propose the move the evidence supports, once while it waits; answers whether a new
    proposal was made."""
    move = proposed_move(theme, readings, criteria)
    if move is None:
        return False
    to_status, evidence = move
    row = {
        "id": uuid.uuid4(),
        "organisation_id": theme.organisation_id,
        "theme_id": theme.id,
        "from_status": theme.status,
        "to_status": to_status,
        "evidence": evidence,
        "proposed_at": now,
        "open_key": f"{theme.id}:{theme.status.value}:{to_status.value}",
        "reason": "",
    }
    [outcome] = insert_once(
        session,
        LifecycleProposal,
        [Capture(id=None, make_row=lambda: row)],
        natural_key=("open_key",),
    )
    created = not isinstance(outcome, Exception) and outcome.created
    if created:
        deciders = holders_in_organisation(
            session, organisation_id=theme.organisation_id, capability=OrgCapability.manage_themes
        )
        notify(
            session,
            users=deciders,
            kind=Kind.lifecycle_proposal,
            title=f"A learning theme is proposed to move from {theme.status.label.lower()} "
            f"to {to_status.label.lower()}",
            url=f"/proposals/{row['id']}",
            source_key=str(row["id"]),
            now=now,
        )
    return created


def open_proposals(session: Session, *, actor: Actor) -> list[LifecycleProposal]:
    if not actor.can_org(OrgCapability.manage_themes):
        return []
    return list(
        session.exec(
            select(LifecycleProposal)
            .where(
                LifecycleProposal.organisation_id == actor.organisation_id,
                col(LifecycleProposal.decided_at).is_(None),
            )
            .order_by(col(LifecycleProposal.proposed_at).desc())
        )
    )


def get_proposal(session: Session, *, actor: Actor, proposal_id: uuid.UUID) -> LifecycleProposal:
    """A proposal about a theme the actor may see (any other id is "not found"), for those who
    decide lifecycle moves."""
    proposal = session.get(LifecycleProposal, proposal_id)
    if proposal is None or proposal.organisation_id != actor.organisation_id:
        raise NotFound()
    theme_service.get_theme(session, actor=actor, theme_id=proposal.theme_id)
    actor.require_org(OrgCapability.manage_themes)
    return proposal


def decide(
    session: Session,
    *,
    actor: Actor,
    proposal: LifecycleProposal,
    decision: Decision,
    reason: str,
    now: datetime,
) -> LifecycleProposal:
    """Confirm (the theme moves, the evidence kept in its history) or decline, with a reason.
    Decided already, or the theme moved meanwhile: refused, nothing changed."""
    actor.require_org(OrgCapability.manage_themes)
    theme = session.get_one(LearningTheme, proposal.theme_id)
    if proposal.is_open and theme.status != proposal.from_status:
        raise Conflict("The theme has moved since this was proposed; nothing was changed.")
    if not _decide_once(
        session, actor=actor, proposal=proposal, decision=decision, reason=reason, now=now
    ):
        raise Conflict("This proposal was already decided; nothing was changed.")
    session.refresh(proposal)
    if decision == Decision.confirmed:
        because = f"{reason} — proposed from the evidence: " + "; ".join(proposal.evidence)
        theme_service.transition_theme(
            session,
            actor=actor,
            theme=theme,
            to_status=proposal.to_status,
            reason=because[:1000],
            now=now,
        )
    return proposal


def waiting_proposals(session: Session, *, theme: LearningTheme) -> list[LifecycleProposal]:
    """The proposals for the theme that wait for a decision on a move it can still make."""
    return list(
        session.exec(
            select(LifecycleProposal).where(
                LifecycleProposal.theme_id == theme.id,
                LifecycleProposal.from_status == theme.status,
                col(LifecycleProposal.decided_at).is_(None),
            )
        )
    )


def settle_by_hand(
    session: Session,
    *,
    actor: Actor,
    theme: LearningTheme,
    to_status: ThemeStatus,
    reason: str,
    now: datetime,
) -> None:
    """A move made by hand decides what waits: the proposal of that same move is confirmed,
    any other declined, each with the reason, so none is left waiting on a move already made
    (and the check may propose again from the new status)."""
    for proposal in waiting_proposals(session, theme=theme):
        _decide_once(
            session,
            actor=actor,
            proposal=proposal,
            decision=Decision.confirmed if proposal.to_status is to_status else Decision.declined,
            reason=f"Moved by hand to {to_status.label.lower()}: {reason}"[:1000],
            now=now,
        )


def _decide_once(
    session: Session,
    *,
    actor: Actor,
    proposal: LifecycleProposal,
    decision: Decision,
    reason: str,
    now: datetime,
) -> bool:
    """Record the decision unless one was recorded meanwhile; answers whether this one was."""
    decided = session.execute(
        update(LifecycleProposal)
        .where(
            col(LifecycleProposal.id) == proposal.id, col(LifecycleProposal.decided_at).is_(None)
        )
        .values(
            decided_at=now,
            decided_by_id=actor.user_id,
            decision=decision,
            reason=reason,
            open_key=None,
        )
    )
    return decided.rowcount == 1  # type: ignore[attr-defined]
