"""The note form and the note's content, both ways: what was posted, read into the content the
service checks, and a saved note shown again in the form to amend it.

The note's fields are declared once, in ``EngagementContent``; the form's fields, the phone's
outbox (``static/js/sync.js``) and the form template are derived from it or checked against it
(``tests/engagement/test_note_fields.py``).
"""

from __future__ import annotations

import uuid
from enum import Enum
from typing import Any, get_origin
from zoneinfo import ZoneInfo

from pydantic.fields import FieldInfo
from sqlmodel import Session
from starlette.datastructures import FormData

from app.auth.actor import Actor
from app.engagement import quick_picks
from app.engagement.models import (
    EngagementNote,
    Mood,
    QuickPickKind,
    RestrictivePractice,
    StartedBy,
)
from app.engagement.schemas import EngagementContent
from app.forms import LOCAL_TIME_FORMAT, local_time
from app.theme.service import ThemeView

FIELDS = EngagementContent.model_fields
FORM_MESSAGES = {"level": "Choose how engaged they were."}
# The choice that means "nothing chosen" where it is not the blank "Not sure".
NONE_CHOSEN = "none"
SAYS_NONE = ("restrictive_practice", "theme_id")


def _is_list(field: FieldInfo) -> bool:
    return get_origin(field.annotation) is list


def _is_text(field: FieldInfo) -> bool:
    kind = field.annotation
    return isinstance(kind, type) and issubclass(kind, str) and not issubclass(kind, Enum)


def form_values(form: FormData) -> dict[str, Any]:
    """What was typed, to show the form again."""
    values: dict[str, Any] = {key: form.get(key) for key in form}
    values.update({name: form.getlist(name) for name, field in FIELDS.items() if _is_list(field)})
    return values


def note_values(note: EngagementNote, zone: ZoneInfo) -> dict[str, Any]:
    """A saved note in the form's terms: local time, and the choice that means "none"."""
    values: dict[str, Any] = {}
    for name, field in FIELDS.items():
        value = getattr(note, name)
        if name == "occurred_at":
            values[name] = value.astimezone(zone).strftime(LOCAL_TIME_FORMAT)
        elif _is_list(field) or _is_text(field):
            values[name] = value
        elif value is None:
            values[name] = NONE_CHOSEN if name in SAYS_NONE else ""
        else:
            values[name] = str(value)
    return values


def content_from_form(form: FormData, *, zone: ZoneInfo) -> dict[str, Any]:
    """The note's content from form fields: blanks and "none" mean nothing chosen; a time typed
    on the page is the site's local time."""

    def chosen(name: str) -> str | None:
        value = str(form.get(name, "")).strip()
        return None if value in ("", NONE_CHOSEN) else value

    content: dict[str, Any] = {}
    for name, field in FIELDS.items():
        if name == "occurred_at":
            content[name] = local_time(chosen(name), zone, field=name)
        elif _is_list(field):
            content[name] = form.getlist(name)
        elif _is_text(field):
            content[name] = form.get(name, "")
        else:
            content[name] = chosen(name)
    return content


def options(
    session: Session,
    *,
    actor: Actor,
    site_id: uuid.UUID,
    themes: list[ThemeView],
    values: dict[str, Any],
) -> dict[str, list[tuple[str, str]]]:
    """(value, label) pairs for the note form's optional questions. Picks a note already has
    stay on offer even if the site has since dropped them, so an amendment keeps them."""
    picks = quick_picks.for_site(session, actor=actor, site_id=site_id)
    not_sure = [("", "Not sure")]

    def with_chosen(kind: QuickPickKind, name: str) -> list[tuple[str, str]]:
        labels = picks[kind] + [
            label for label in values.get(name) or [] if label not in picks[kind]
        ]
        return [(label, label) for label in labels]

    return {
        "started_by": not_sure + [(choice.value, choice.label) for choice in StartedBy],
        "mood": not_sure + [(choice.value, choice.label) for choice in Mood],
        "helped": with_chosen(QuickPickKind.helped, "helped"),
        "hindered": with_chosen(QuickPickKind.hindered, "hindered"),
        "restrictive": [(NONE_CHOSEN, "No")]
        + [(choice.value, choice.label) for choice in RestrictivePractice],
        "themes": [(NONE_CHOSEN, "None")]
        + [(str(view.theme.id), view.theme.title) for view in themes],
    }
