"""The per-person summary a handover starts from: what the outgoing shift's engagement notes say,
in brief. One query for the site's notes in the shift, grouped here, however many people."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlmodel import Session

from app.auth.actor import Actor
from app.engagement import service as engagement_service
from app.engagement.models import EngagementNote
from app.handover.models import Handover
from app.handover.shift_change import outgoing_occurrence

# Far more notes than one site writes in one shift; a bound all the same.
MOST_NOTES = 5000


@dataclass(frozen=True)
class NoteSummary:
    """How many notes, their levels oldest first, whether any had restrictive practice, and the
    latest words said about what the person was doing."""

    note_count: int = 0
    levels: list[int] = field(default_factory=list)
    restrictive_practice: bool = False
    latest_activity: str = ""


def summarise_outgoing_shift(
    session: Session, *, actor: Actor, handover: Handover
) -> dict[uuid.UUID, NoteSummary]:
    """Summaries by person of the notes that occurred during the outgoing shift (voided notes
    left out). People without notes are not in the answer."""
    shift = outgoing_occurrence(session, handover=handover)
    if shift is None:
        return {}
    where = engagement_service.NoteFilter(
        site_id=handover.site_id, occurred_from=shift.starts, occurred_to=shift.ends
    )
    notes = engagement_service.list_notes(session, actor=actor, where=where, limit=MOST_NOTES)
    by_person: defaultdict[uuid.UUID, list[EngagementNote]] = defaultdict(list)
    for note in reversed(notes):  # the service answers newest first
        by_person[note.person_id].append(note)
    return {person_id: summarise(person_notes) for person_id, person_notes in by_person.items()}


def summarise(notes: Sequence[EngagementNote]) -> NoteSummary:
    """``notes`` oldest first."""
    activities = [note.activity for note in notes if note.activity]
    return NoteSummary(
        note_count=len(notes),
        levels=[note.level for note in notes],
        restrictive_practice=any(note.restrictive_practice is not None for note in notes),
        latest_activity=activities[-1] if activities else "",
    )
