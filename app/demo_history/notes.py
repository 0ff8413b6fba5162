"""Engagement notes of a generated history: several per person on each day shift, fewer at
night, their levels following the themes' patterns; restriction now and then, reviewed by the
site's manager a few hours or days later."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlmodel import Session

from app.auth.permissions import SiteCapability
from app.demo_history import phrases
from app.demo_history.context import History, SiteCast, shift_of
from app.demo_history.patterns import engaged_share
from app.engagement.models import (
    EngagementNote,
    EngagementNoteRevision,
    QuickPickKind,
    RestrictivePracticeReview,
    ReviewOutcome,
)
from app.engagement.quick_picks import DEFAULT_QUICK_PICKS
from app.engagement.schemas import EngagementNoteCreate
from app.engagement.service import _content_fields, _revision
from app.org.shifts import ShiftOccurrence
from app.org.staff import StaffMember
from app.records import fingerprint

MOODS = ("low", "settled", "settled", "bright")
STARTED_BY = (None, "staff", "together", "person")
LATE_SHARE = 0.08  # written up later, offline or at the end of a busy shift


def practice_target(cast: SiteCast, history: History, occurrence: ShiftOccurrence) -> float:
    """The weakest practice among the themes that move engagement sets the shift's floor."""
    progress = history.progress(occurrence.start_date)
    targets = [
        pattern.target(progress, occurrence.name)
        for _view, pattern in cast.themes
        if pattern.moves_engagement
    ]
    return min(targets, default=70.0)


def add_shift_notes(
    session: Session, history: History, cast: SiteCast, occurrence: ShiftOccurrence
) -> None:
    writers = [m for m in cast.able(SiteCapability.record_notes) if m not in cast.managers]
    if not writers or not cast.people:
        return
    target = practice_target(cast, history, occurrence)
    night = occurrence.ends.astimezone(cast.zone).date() != occurrence.start_date
    on_shift = history.rng.sample(list(writers), k=min(2, len(writers)))
    for person in cast.people:
        count = int(history.chance(0.7)) if night else history.pick((1, 2, 2, 3))
        for _ in range(count):
            author = history.pick(on_shift)
            _add_note(session, history, cast, occurrence, person.id, author, target, night)


def _add_note(
    session: Session,
    history: History,
    cast: SiteCast,
    occurrence: ShiftOccurrence,
    person_id: Any,
    author: StaffMember,
    target: float,
    night: bool,
) -> None:
    occurred_at = history.moment(
        occurrence.starts + timedelta(minutes=15), occurrence.ends - timedelta(minutes=20)
    )
    restriction = (
        history.pick(phrases.RESTRICTIONS) if history.chance(_restrictive(target)) else None
    )
    level = _level(history, target, restricted=restriction is not None)
    data = EngagementNoteCreate(
        id=history.new_id(),
        person_id=person_id,
        level=level,
        occurred_at=occurred_at,
        started_by=STARTED_BY[level],
        mood=MOODS[level] if history.chance(0.8) else None,
        activity=history.pick((phrases.NIGHT_ACTIVITIES if night else phrases.ACTIVITIES)[level]),
        helped=[history.pick(DEFAULT_QUICK_PICKS[QuickPickKind.helped])]
        if level >= 2 and history.chance(0.5)
        else [],
        hindered=[history.pick(DEFAULT_QUICK_PICKS[QuickPickKind.hindered])]
        if level <= 1 and history.chance(0.4)
        else [],
        restrictive_practice=restriction[0] if restriction else None,
        restrictive_reason=restriction[1] if restriction else "",
        theme_id=_theme_applied(history, cast, level, restricted=restriction is not None),
    )
    recorded_at = _recorded_at(history, occurred_at)
    shift_name, shift_date = shift_of(session, cast.site, occurred_at)
    row: dict[str, Any] = {
        "id": data.id,
        "organisation_id": cast.site.organisation_id,
        "site_id": cast.site.id,
        "person_id": person_id,
        "author_id": author.user_id,
        "occurred_at": occurred_at,
        "recorded_at": recorded_at,
        "shift_name": shift_name,
        "shift_date": shift_date,
        "revision": 1,
        "content_hash": fingerprint(data, author_id=author.user_id),
        "reviewed_at": None,
        "reviewed_by_id": None,
        **_content_fields(data),
    }
    history.add(EngagementNote, row)
    revision = _revision(row, author_id=author.user_id, at=recorded_at, reason="")
    history.add(EngagementNoteRevision, {**revision, "id": history.new_id()})
    if restriction is not None:
        _review(history, cast, row, target)


def _restrictive(target: float) -> float:
    """Restriction is rare where practice is good, and less rare where it slips."""
    return 0.005 + 0.2 * (1 - target / 100) ** 2


def _level(history: History, target: float, *, restricted: bool) -> int:
    if not restricted and history.chance(engaged_share(target)):
        return 3 if history.chance(0.4) else 2
    return 0 if history.chance(0.35) else 1


def _theme_applied(history: History, cast: SiteCast, level: int, *, restricted: bool) -> Any:
    """Staff tag a note with a theme mostly when it went well (their self-report)."""
    if not cast.themes or not history.chance(0.6 if restricted else 0.25 if level >= 2 else 0.06):
        return None
    return history.pick(cast.themes)[0].theme.id


def _recorded_at(history: History, occurred_at: datetime) -> datetime:
    delay = (
        timedelta(minutes=history.rng.randrange(90, 480))
        if history.chance(LATE_SHARE)
        else timedelta(minutes=history.rng.randrange(1, 15))
    )
    return min(occurred_at + delay, history.end)


def _review(history: History, cast: SiteCast, note: dict[str, Any], target: float) -> None:
    """The site's manager reviews the restriction a few hours or days later; the most recent
    ones still wait."""
    managers = cast.managers
    reviewed_at = note["recorded_at"] + timedelta(hours=history.rng.randrange(3, 72))
    if not managers or reviewed_at > history.end:
        return
    reviewer = history.pick(managers)
    avoidable = history.chance(0.6 if target < 70 else 0.2)
    outcome = ReviewOutcome.avoidable if avoidable else ReviewOutcome.justified
    debrief = history.chance(0.8)
    review = RestrictivePracticeReview(
        id=history.new_id(),
        note_id=note["id"],
        organisation_id=note["organisation_id"],
        site_id=note["site_id"],
        reviewer_id=reviewer.user_id,
        reviewed_at=reviewed_at,
        outcome=outcome,
        debrief_held=debrief,
        debrief_with="The shift team" if debrief else "",
        debrief_on=reviewed_at.astimezone(cast.zone).date() if debrief else None,
        changes=history.pick(phrases.REVIEW_CHANGES) if avoidable else "",
    )
    history.add(RestrictivePracticeReview, review.model_dump())
    note["reviewed_at"], note["reviewed_by_id"] = reviewed_at, reviewer.user_id
