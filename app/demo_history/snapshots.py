"""Interaction snapshots of a generated history: on walk rounds, a manager or quality lead
tallies a room for a few minutes, a few times a week, mostly by day and now and then at night.
The tally is what a manager sees, so it follows the shift's weakest practice among the site's
patterned themes (as observations do, not only the themes that move the notes): where practice
slips, fewer interactions are positive and more are restrictive."""

from __future__ import annotations

from collections import defaultdict
from datetime import timedelta

from sqlmodel import Session

from app.auth.permissions import SiteCapability
from app.demo_history import phrases
from app.demo_history.context import History, SiteCast, shift_of
from app.org.shifts import ShiftOccurrence
from app.org.staff import StaffMember
from app.records import fingerprint
from app.snapshot.models import InteractionKind, InteractionSnapshot
from app.snapshot.schemas import SnapshotCreate
from app.snapshot.service import CONTENT_FIELDS

NIGHT_ROUND_SHARE = 0.2  # a walk round at night, now and then: nights are seen too
MINUTES = (5, 8, 10, 10, 15)
FOR_A_THEME_SHARE = 0.5  # half the rounds are taken for one of the site's themes


def add_snapshots(
    session: Session,
    history: History,
    cast: SiteCast,
    shifts: list[ShiftOccurrence],
    per_week: int,
) -> None:
    """``per_week`` snapshots in each week of the range, each on a shift of that week."""
    takers = cast.able(SiteCapability.record_snapshot)
    if per_week <= 0 or not takers:
        return
    by_week: defaultdict[int, tuple[list[ShiftOccurrence], list[ShiftOccurrence]]] = defaultdict(
        lambda: ([], [])
    )
    for occurrence in shifts:
        days, nights = by_week[(occurrence.start_date - history.first_day).days // 7]
        (nights if _is_night(cast, occurrence) else days).append(occurrence)
    for week in sorted(by_week):
        days, nights = by_week[week]
        for _ in range(per_week):
            pool = nights if nights and history.chance(NIGHT_ROUND_SHARE) else days or nights
            _snapshot(session, history, cast, history.pick(pool), history.pick(takers))


def _is_night(cast: SiteCast, occurrence: ShiftOccurrence) -> bool:
    return occurrence.ends.astimezone(cast.zone).date() != occurrence.start_date


def _snapshot(
    session: Session,
    history: History,
    cast: SiteCast,
    occurrence: ShiftOccurrence,
    observer: StaffMember,
) -> None:
    started_at = history.moment(
        occurrence.starts + timedelta(minutes=30), occurrence.ends - timedelta(minutes=60)
    )
    minutes = history.pick(MINUTES)
    counts = _tally(history, _seen_practice(cast, history, occurrence), minutes)
    theme_id = (
        history.pick(cast.themes)[0].theme.id
        if cast.themes and history.chance(FOR_A_THEME_SHARE)
        else None
    )
    data = SnapshotCreate(
        id=history.new_id(),
        site_id=cast.site.id,
        theme_id=theme_id,
        started_at=started_at,
        minutes=minutes,
        location=history.pick(phrases.LOCATIONS),
        **{kind.value: count for kind, count in counts.items()},
    )
    recorded_at = min(
        started_at + timedelta(minutes=minutes + history.rng.randrange(0, 6)), history.end
    )
    shift_name, shift_date = shift_of(session, cast.site, started_at)
    row = InteractionSnapshot(
        id=data.id,
        organisation_id=cast.site.organisation_id,
        site_id=cast.site.id,
        observer_id=observer.user_id,
        started_at=started_at,
        shift_name=shift_name,
        shift_date=shift_date,
        recorded_at=recorded_at,
        content_hash=fingerprint(data, author_id=observer.user_id),
        **data.model_dump(include=CONTENT_FIELDS),
    ).model_dump()
    history.add(InteractionSnapshot, row)


def _seen_practice(cast: SiteCast, history: History, occurrence: ShiftOccurrence) -> float:
    progress = history.progress(occurrence.start_date)
    targets = [pattern.target(progress, occurrence.name) for _view, pattern in cast.themes]
    return min(targets, default=70.0)


def _tally(history: History, target: float, minutes: int) -> dict[InteractionKind, int]:
    """About one and a half interactions a minute, shared out as practice at ``target`` (0–100)
    makes them: positive mostly where practice is good, restrictive more where it slips."""
    slip = 1 - target / 100
    positive = 0.25 + 0.6 * target / 100
    protective = 0.02 + 0.2 * slip**2
    restrictive = 0.01 + 0.3 * slip**2
    counts = dict.fromkeys(InteractionKind, 0)
    for _ in range(max(1, round(minutes * history.rng.uniform(1.0, 2.0)))):
        roll = history.rng.random()
        if roll < positive:
            social = history.chance(0.55)
            counts[
                InteractionKind.positive_social if social else InteractionKind.positive_care
            ] += 1
        elif roll < positive + protective:
            counts[InteractionKind.protective_restrictive] += 1
        elif roll < positive + protective + restrictive:
            counts[InteractionKind.restrictive] += 1
        else:
            counts[InteractionKind.neutral] += 1
    return counts
