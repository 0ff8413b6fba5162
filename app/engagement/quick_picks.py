"""A site's quick picks: the one-tap answers a note offers for what helped and what got in the
way. Team leads and managers set them; notes keep the words they were saved with."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlmodel import Session, select

from app.audit.service import record_event
from app.auth.actor import Actor
from app.auth.permissions import SiteCapability
from app.engagement.models import QuickPick, QuickPickKind
from app.errors import Invalid
from app.schemas import control_character_problem

MAX_QUICK_PICKS = 12
DEFAULT_QUICK_PICKS = {
    QuickPickKind.helped: [
        "Offered a choice",
        "Their favourite music",
        "Time outdoors",
        "A familiar face",
        "Right amount of help",
    ],
    QuickPickKind.hindered: [
        "Not enough staff",
        "Noise or busy room",
        "Tired or unwell",
        "Rushed routine",
        "Activity not right for them",
    ],
}


def for_site(
    session: Session, *, actor: Actor, site_id: uuid.UUID
) -> dict[QuickPickKind, list[str]]:
    """The site's one-tap answers for what helped and what got in the way (defaults if none)."""
    actor.require(SiteCapability.view, site_id)
    rows = session.exec(
        select(QuickPick).where(QuickPick.site_id == site_id).order_by(QuickPick.position)
    ).all()
    picks: dict[QuickPickKind, list[str]] = {kind: [] for kind in QuickPickKind}
    for row in rows:
        picks[row.kind].append(row.label)
    return {kind: labels or DEFAULT_QUICK_PICKS[kind] for kind, labels in picks.items()}


def replace_for_site(
    session: Session,
    *,
    actor: Actor,
    site_id: uuid.UUID,
    picks: dict[QuickPickKind, list[str]],
    now: datetime,
) -> None:
    """Replace a site's quick picks. Notes keep the words they were saved with."""
    actor.require(SiteCapability.manage_quick_picks, site_id)
    for kind, labels in picks.items():
        cleaned = list(dict.fromkeys(label.strip() for label in labels if label.strip()))
        if len(cleaned) > MAX_QUICK_PICKS:
            raise Invalid.one(kind.value, f"Offer at most {MAX_QUICK_PICKS} quick picks.")
        if any(len(label) > 60 for label in cleaned):
            raise Invalid.one(kind.value, "Keep each quick pick to 60 characters.")
        for label in cleaned:
            if problem := control_character_problem(label):
                raise Invalid.one(kind.value, problem)
        for row in session.exec(
            select(QuickPick).where(QuickPick.site_id == site_id, QuickPick.kind == kind)
        ):
            session.delete(row)
        session.flush()
        session.add_all(
            QuickPick(site_id=site_id, kind=kind, label=label, position=position)
            for position, label in enumerate(cleaned)
        )
    record_event(
        session,
        organisation_id=actor.organisation_id,
        site_id=site_id,
        actor_id=actor.user_id,
        action="set_quick_picks",
        entity="site",
        entity_id=site_id,
        at=now,
    )
