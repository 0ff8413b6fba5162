"""What each lifecycle stage means and what a move changes, in words, for the theme page and
the page that asks the quality lead to confirm a move: moving a theme in or out of pilot and
embedding changes what staff see on every shift."""

from __future__ import annotations

from app.theme.models import ThemeStatus
from app.theme.service import NEXT_STATUSES

STATUS_MEANINGS = {
    ThemeStatus.draft: "Being written. Only quality leads and admins can see it.",
    ThemeStatus.pilot: "Being tried at the chosen sites first: there it is today's focus.",
    ThemeStatus.embedding: "Being embedded: it is today's focus and its prompts are raised at handover.",
    ThemeStatus.embedded: "How we do things here. It is no longer today's focus.",
    ThemeStatus.retired: "No longer in use. It is kept for the record.",
}

MOVE_MEANINGS = {
    ThemeStatus.draft: "stop the pilot and rework it",
    ThemeStatus.pilot: "try it at the chosen sites first",
    ThemeStatus.embedding: "roll it out: today's focus and handover prompts at its sites",
    ThemeStatus.embedded: "how we do things here",
    ThemeStatus.retired: "no longer in use; kept for the record",
}


def move_meaning(current: ThemeStatus, target: ThemeStatus) -> str:
    """The choice of a move, in words, as the theme page offers it."""
    if current == ThemeStatus.embedded and target == ThemeStatus.embedding:
        return "back to embedding when practice drifts"
    return MOVE_MEANINGS[target]


def move_choices(current: ThemeStatus) -> list[tuple[str, str]]:
    """The moves a theme can make next, as (value, words) choices for a form."""
    return [
        (status.value, f"{status.label}: {move_meaning(current, status)}")
        for status in NEXT_STATUSES[current]
    ]


def what_changes(from_status: ThemeStatus, to_status: ThemeStatus, sites: list[str]) -> list[str]:
    """Sentences saying what staff at the theme's sites will see differently after the move."""
    where = _listed(sites) or "its sites"
    changes: list[str] = []
    if to_status.is_active and not from_status.is_active:
        changes.append(
            f"It becomes today's focus at {where}: care workers see it on their home screen, "
            "its handover prompts are raised at every handover there, and managers observe "
            "practice against it."
        )
    elif to_status.is_active:
        changes.append(
            f"It stays today's focus at {where}, and its handover prompts are still raised at "
            "every handover there."
        )
    elif from_status.is_active:
        changes.append(
            f"It stops being today's focus at {where}: its handover prompts stop appearing at "
            "handovers there."
        )
    changes.append(
        {
            ThemeStatus.draft: "Only quality leads and admins will see it, until it moves again.",
            ThemeStatus.pilot: "It is tried at these sites first.",
            ThemeStatus.embedding: "Managers watch for drift on every shift.",
            ThemeStatus.embedded: "It is shown as how we do things here. If practice drifts, "
            "move it back to embedding.",
            ThemeStatus.retired: "It is kept for the record and cannot move again.",
        }[to_status]
    )
    return changes


def _listed(names: list[str]) -> str:
    if len(names) <= 1:
        return "".join(names)
    return f"{', '.join(names[:-1])} and {names[-1]}"
