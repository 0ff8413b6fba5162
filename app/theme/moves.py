"""What a lifecycle move changes, in words, for the page that asks the quality lead to confirm
it: moving a theme in or out of pilot and embedding changes what staff see on every shift."""

from __future__ import annotations

from app.theme.models import ThemeStatus


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
