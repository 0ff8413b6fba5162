"""Pages for interaction snapshots: the tally a manager taps while watching a room, and the
snapshot as proportions, in words and as a bar.

The tally page works with no signal: saved with no signal, the snapshot waits in the phone's
outbox (``static/js/sync.js``) and reaches ``POST /api/v1/sync``; with signal the form is posted
here and the page shows the snapshot saved.
"""

from __future__ import annotations

import uuid
from typing import Any
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Request, Response
from sqlmodel import Session
from starlette.datastructures import URL, FormData

from app.auth import service as auth_service
from app.auth.actor import Actor
from app.auth.dependencies import PageActorDep
from app.clock import ClockDep
from app.db import SessionDep
from app.errors import Invalid
from app.forms import FormDep, form_page, submit_form, validate
from app.org import service as org_service
from app.org.models import Site
from app.snapshot import service
from app.snapshot.dependencies import SiteToSnapshotDep, SnapshotDep
from app.snapshot.models import MAX_COUNT, InteractionKind
from app.snapshot.schemas import SnapshotCreate
from app.theme import service as theme_service
from app.web import render

router = APIRouter(tags=["snapshot"], include_in_schema=False)

TEXT_FIELDS = ("id", "theme_id", "started_at", "minutes", "location")
COUNT_MESSAGE = f"Each count is a whole number from 0 to {MAX_COUNT}."
FORM_MESSAGES = {
    "theme_id": "Choose a learning theme active at this site, or none.",
    "started_at": "Start the tally again: the time it began was not understood.",
    "minutes": "Watch for 1 to 60 minutes.",
    **{kind.value: COUNT_MESSAGE for kind in InteractionKind},
}


@router.get("/sites/{site_id}/snapshots/new", name="snapshot:new")
def new_snapshot(
    request: Request, actor: PageActorDep, site: SiteToSnapshotDep, session: SessionDep
) -> Response:
    values = {"id": str(uuid.uuid4()), **{kind.value: 0 for kind in InteractionKind}}
    return _render_form(request, session, actor=actor, site=site, values=values)


@router.post("/sites/{site_id}/snapshots", name="snapshot:create")
def create_snapshot(
    request: Request,
    actor: PageActorDep,
    site: SiteToSnapshotDep,
    form: FormDep,
    session: SessionDep,
    clock: ClockDep,
) -> Response:
    def save() -> URL:
        data = validate(SnapshotCreate, _data_from_form(form, site=site), messages=FORM_MESSAGES)
        saved = service.record_interaction_snapshot(
            session, actor=actor, data=data, now=clock.now()
        )
        target = request.url_for("snapshot:detail", snapshot_id=saved.record.id)
        return target.include_query_params(saved="1")

    return submit_form(
        session,
        save,
        show_again=lambda error: _render_form(
            request,
            session,
            actor=actor,
            site=site,
            values={key: form.get(key) for key in form},
            errors=_errors_on_page(error),
        ),
    )


@router.get("/snapshots/{snapshot_id}", name="snapshot:detail")
def snapshot_detail(
    request: Request,
    actor: PageActorDep,
    snapshot: SnapshotDep,
    session: SessionDep,
    saved: bool = False,
) -> Response:
    site = org_service.get_site(session, actor=actor, site_id=snapshot.site_id)
    theme_ids = [snapshot.theme_id] if snapshot.theme_id else []
    return render(
        request,
        "snapshot/detail.html",
        {
            "snapshot": snapshot,
            "site": site,
            "shares": service.shares(snapshot),
            "theme": theme_service.theme_titles(session, theme_ids=theme_ids).get(
                snapshot.theme_id, ""
            ),
            "observer": auth_service.user_names(session, [snapshot.observer_id]).get(
                snapshot.observer_id, "Former staff"
            ),
            "zone": ZoneInfo(site.time_zone),
            "saved": saved,
        },
    )


def _render_form(
    request: Request,
    session: Session,
    *,
    actor: Actor,
    site: Site,
    values: dict[str, Any],
    errors: dict[str, str] | None = None,
) -> Response:
    themes = theme_service.active_themes_for_site(session, actor=actor, site_id=site.id)
    return form_page(
        request,
        "snapshot/form.html",
        {
            "site": site,
            "values": values,
            "kinds": list(InteractionKind),
            "themes": [("", "No theme")] + [(str(v.theme.id), v.theme.title) for v in themes],
        },
        errors=errors,
    )


def _errors_on_page(error: Invalid) -> dict[str, str]:
    """Errors named after what the page shows: the counts are one tally, and the start and the
    length of the watch are one timer."""
    on_page = {kind.value: service.COUNTED for kind in InteractionKind} | {"started_at": "minutes"}
    found: dict[str, str] = {}
    for field_error in error.errors:
        found.setdefault(on_page.get(field_error.field, field_error.field), field_error.reason)
    return found


def _data_from_form(form: FormData, *, site: Site) -> dict[str, Any]:
    """The form's text as the schema reads it: a blank choice or time is left out."""
    text = {name: str(form.get(name, "")).strip() for name in TEXT_FIELDS}
    counts = {kind.value: str(form.get(kind.value, "")).strip() or "0" for kind in InteractionKind}
    return {
        **{name: value for name, value in text.items() if value},
        "location": text["location"],
        "site_id": site.id,
        **counts,
    }
