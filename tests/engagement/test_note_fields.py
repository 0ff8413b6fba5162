"""An engagement note's fields are declared once, in ``EngagementContent``. The form's reading
and filling (``app/engagement/note_form.py``) is derived from it; the table, the phone's outbox
(``static/js/sync.js``) and the form template are checked against it here, so a field added to
the schema and forgotten elsewhere fails."""

from __future__ import annotations

import re
from pathlib import Path

from app.engagement.models import EngagementNote
from app.engagement.schemas import EngagementContent, EngagementNoteAmend, EngagementNoteCreate

ROOT = Path(__file__).resolve().parents[2]
CONTENT = set(EngagementContent.model_fields)


def outbox_payload_fields() -> set[str]:
    """The keys of the object ``PAYLOADS.engagement_note`` returns in ``sync.js``."""
    script = (ROOT / "static/js/sync.js").read_text()
    body = re.search(r"engagement_note\(form\) \{.*?return \{(.*?)\};", script, re.DOTALL)
    assert body, "sync.js builds an engagement_note payload"
    return set(re.findall(r"^\s*(\w+):", body.group(1), re.MULTILINE))


def form_template_fields() -> set[str]:
    """Every field the note form posts: plain inputs and the form macros' first argument."""
    template = (ROOT / "templates/engagement/form.html").read_text()
    plain = re.findall(r'\bname="(\w+)"', template)
    macros = re.findall(r"forms\.\w+\(\s*'(\w+)'", template)
    return set(plain) | set(macros)


def test_the_table_holds_every_field_of_the_content() -> None:
    assert CONTENT - set(EngagementNote.model_fields) == set()


def test_the_outbox_sends_exactly_the_fields_of_a_new_note() -> None:
    # The note's id is the outbox item's own id; the person comes from the form's data.
    assert outbox_payload_fields() == set(EngagementNoteCreate.model_fields) - {"id"}


def test_the_form_posts_exactly_the_content_and_its_id_or_reason() -> None:
    # ``id`` when the note is new, ``reason`` when it is amended; the person is in the URL.
    extra = (
        set(EngagementNoteCreate.model_fields) | set(EngagementNoteAmend.model_fields)
    ) - CONTENT
    assert extra == {"id", "person_id", "reason"}
    assert form_template_fields() == CONTENT | {"id", "reason"}
