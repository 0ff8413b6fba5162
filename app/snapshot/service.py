"""Recording and reading interaction snapshots.

Rules:
- Managers and quality leads take snapshots at their sites; nobody else does.
- A snapshot counts at least one interaction, each count at most 999, over 1 to 60 minutes.
  It names a room at most, never a person.
- ``started_at`` may be earlier than now but not more than a few minutes ahead, nor older than a
  month; the shift is derived from it. A theme, when given, is one active at the site.
- Who reads a snapshot: whoever took it, and the managers, quality leads and admins of the site.
  Other staff of the site are refused; everyone outside the site gets "not found".
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlmodel import Session

from app.audit.service import record_site_event
from app.auth.actor import Actor
from app.auth.permissions import SiteCapability
from app.errors import Forbidden, Invalid, NotFound
from app.org import service as org_service
from app.record_weeks import days_of, records_changed
from app.records import Capture, Stored, fingerprint, insert_record_once
from app.snapshot.models import InteractionKind, InteractionSnapshot
from app.snapshot.schemas import SnapshotCreate
from app.theme import service as theme_service

FUTURE_TOLERANCE = timedelta(minutes=5)
OLDEST_ACCEPTED = timedelta(days=31)
COUNTED = "counts"  # the field named when nothing was counted
CONTENT_FIELDS = {"minutes", "location", "theme_id", *(kind.value for kind in InteractionKind)}


def record_interaction_snapshot(
    session: Session, *, actor: Actor, data: SnapshotCreate, now: datetime
) -> Stored[InteractionSnapshot]:
    """The one way a snapshot is created: from the page, the API and the offline sync."""
    site = org_service.get_site(
        session, actor=actor, site_id=data.site_id, capability=SiteCapability.record_snapshot
    )
    content_hash = fingerprint(data, author_id=actor.user_id)

    def make_row() -> dict[str, Any]:
        if sum(getattr(data, kind.value) for kind in InteractionKind) == 0:
            raise Invalid.one(COUNTED, "Tap at least one interaction before saving.")
        started_at = _check_start(data, now=now)
        if data.theme_id is not None:
            active = theme_service.active_themes_for_site(session, actor=actor, site_id=site.id)
            if data.theme_id not in {view.theme.id for view in active}:
                raise Invalid.one("theme_id", "Choose a learning theme active at this site.")
        occurrence = org_service.current_shift(session, site=site, now=started_at)
        return InteractionSnapshot(
            id=data.id,
            organisation_id=site.organisation_id,
            site_id=site.id,
            observer_id=actor.user_id,
            started_at=started_at,
            shift_name=occurrence.name if occurrence else None,
            shift_date=occurrence.start_date if occurrence else None,
            recorded_at=now,
            content_hash=content_hash,
            **data.model_dump(include=CONTENT_FIELDS),
        ).model_dump()

    capture = Capture(id=data.id, same={"content_hash": content_hash}, make_row=make_row)
    saved = insert_record_once(session, InteractionSnapshot, capture, visible_sites=actor.site_ids)
    if saved.created:
        snapshot = saved.record
        records_changed(
            session,
            [(snapshot.site_id, d) for d in days_of(snapshot.shift_date, snapshot.started_at)],
        )
        counts = " ".join(f"{kind.value}={saved.record.count(kind)}" for kind in InteractionKind)
        record_site_event(
            session,
            actor_id=actor.user_id,
            record=saved.record,
            entity="interaction_snapshot",
            action="create",
            at=now,
            summary=f"minutes={saved.record.minutes} {counts}",
        )
    return saved


def _check_start(data: SnapshotCreate, *, now: datetime) -> datetime:
    started_at = data.started_at or now - timedelta(minutes=data.minutes)
    if started_at > now + FUTURE_TOLERANCE:
        raise Invalid.one("started_at", "This time is in the future. Check the date and time.")
    if started_at < now - OLDEST_ACCEPTED:
        raise Invalid.one("started_at", "Snapshots more than a month old cannot be added.")
    return started_at


def get_snapshot(session: Session, *, actor: Actor, snapshot_id: uuid.UUID) -> InteractionSnapshot:
    """A snapshot the actor may read; one outside their sites is "not found", and one at their
    site that is not theirs to read is refused (it names nobody, so its being there is no
    secret)."""
    snapshot = session.get(InteractionSnapshot, snapshot_id)
    if snapshot is None or snapshot.site_id not in actor.site_ids:
        raise NotFound()
    if snapshot.observer_id != actor.user_id and not actor.can(
        SiteCapability.read_snapshots, snapshot.site_id
    ):
        raise Forbidden("Snapshots at this site are read by its managers and quality leads.")
    return snapshot


@dataclass(frozen=True)
class Share:
    """One kind's part of a snapshot: its count, its whole percentage, and its width on the
    bar in steps of 5% (``width``, 0 to 100), both shared out so that they add up to 100."""

    kind: InteractionKind
    count: int
    percent: int
    width: int


def shares(snapshot: InteractionSnapshot) -> list[Share]:
    """The proportions of a snapshot, in the tally's order."""
    counts = [snapshot.count(kind) for kind in InteractionKind]
    percents = _share_out(counts, 100)
    widths = _share_out(counts, 20)
    return [
        Share(kind=kind, count=count, percent=percent, width=5 * width)
        for kind, count, percent, width in zip(
            InteractionKind, counts, percents, widths, strict=True
        )
    ]


def _share_out(counts: list[int], units: int) -> list[int]:
    """``units`` shared in proportion to ``counts`` by largest remainder, so the parts add up
    to ``units`` exactly (no 33 + 33 + 33 = 99)."""
    total = sum(counts)
    if total == 0:
        return [0 for _ in counts]
    exact = [count * units / total for count in counts]
    parts = [int(value) for value in exact]
    # Remainders rounded, so that equal shares tie (not by float noise) and go in the tally's order.
    by_remainder = sorted(range(len(counts)), key=lambda i: -round(exact[i] - parts[i], 9))
    for index in by_remainder[: units - sum(parts)]:
        parts[index] += 1
    return parts
