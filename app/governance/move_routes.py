"""Moving a learning theme by hand: the theme page's "Move to…" posts here, and the page asking
to confirm the move shows the evidence at each site beside it (``move_evidence``). The API's
move comes here too, so both keep the evidence beside the reason and settle a waiting proposal.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fastapi import APIRouter, Request, Response
from sqlmodel import Session
from starlette.datastructures import URL

from app.auth.actor import Actor
from app.clock import ClockDep
from app.db import SessionDep
from app.errors import Invalid
from app.forms import FormDep, form_page, submit_form, validate
from app.governance import lifecycle
from app.governance.move_evidence import move_evidence, move_theme
from app.org import service as org_service
from app.theme import moves
from app.theme import service as theme_service
from app.theme.dependencies import ApiManagerDep, PageManagerDep, ThemeDep
from app.theme.models import LearningTheme
from app.theme.schemas import ThemeTransitionInput, ThemeTransitionPublic
from app.theme.service import NEXT_STATUSES

router = APIRouter(tags=["governance"], include_in_schema=False)
api_router = APIRouter(prefix="/themes", tags=["themes"])

MOVE_MESSAGES = {
    "to_status": "Choose where this theme goes next.",
    "reason": "Say why in at most 1000 characters: the evidence for this move.",
}
MOVE_EMPTY = {"reason": "Say why: the evidence for this move."}


@router.post("/themes/{theme_id}/move", name="governance:theme_move")
def theme_move(
    request: Request,
    theme: ThemeDep,
    actor: PageManagerDep,
    form: FormDep,
    session: SessionDep,
    clock: ClockDep,
) -> Response:
    """First the page saying what will change, with the evidence at each site; then the move
    itself once that page's form confirms it (``confirm=yes``)."""
    move = {"to_status": str(form.get("to_status") or ""), "reason": str(form.get("reason", ""))}
    now = clock.now()

    def save() -> URL | Response:
        data = validate(
            ThemeTransitionInput,
            {**move, "to_status": move["to_status"] or None},
            messages=MOVE_MESSAGES,
            empty=MOVE_EMPTY,
        )
        if form.get("confirm") != "yes":
            theme_service.check_transition(
                session, actor=actor, theme=theme, to_status=data.to_status, reason=data.reason
            )
            return _move_page(request, session, actor, theme, move=move, now=now)
        move_theme(
            session, actor=actor, theme=theme, to_status=data.to_status, reason=data.reason, now=now
        )
        return request.url_for("theme:detail", theme_id=theme.id)

    return submit_form(
        session,
        save,
        show_again=lambda error: _move_page(
            request, session, actor, theme, move=move, now=now, error=error
        ),
    )


def _move_page(
    request: Request,
    session: Session,
    actor: Actor,
    theme: LearningTheme,
    *,
    move: dict[str, str],
    now: datetime,
    error: Invalid | None = None,
) -> Response:
    """The move to confirm, with what it changes and the evidence beside it; or, when where it
    goes is not a move the theme can make, the choice again with what was wrong."""
    allowed = {status.value: status for status in NEXT_STATUSES[theme.status]}
    to_status = allowed.get(move["to_status"])
    if error is not None and "to_status" in error.by_field():
        to_status = None
    context: dict[str, Any] = {
        "theme": theme,
        "move": move,
        "to_status": to_status,
        "moves": moves.move_choices(theme.status),
    }
    if to_status is not None:
        site_ids = set(theme_service.view_theme(session, theme=theme).site_ids)
        sites = [s.name for s in org_service.list_sites(session, actor=actor) if s.id in site_ids]
        context["changes"] = moves.what_changes(theme.status, to_status, sites)
        context["evidence"] = move_evidence(
            session, actor=actor, theme=theme, to_status=to_status, now=now
        )
        context["waiting"] = lifecycle.waiting_proposals(session, theme=theme)
    return form_page(request, "governance/theme_move.html", context, errors=error)


@api_router.post(
    "/{theme_id}/transitions",
    response_model=ThemeTransitionPublic,
    status_code=201,
    name="governance_api:theme_move",
)
def api_move_theme(
    theme: ThemeDep,
    data: ThemeTransitionInput,
    actor: ApiManagerDep,
    session: SessionDep,
    clock: ClockDep,
) -> ThemeTransitionPublic:
    """Move the theme through its lifecycle, with a reason: the evidence at each site is kept
    beside it in the theme's history, and a proposal waiting on the theme is settled."""
    transition = move_theme(
        session,
        actor=actor,
        theme=theme,
        to_status=data.to_status,
        reason=data.reason,
        now=clock.now(),
    )
    return ThemeTransitionPublic.model_validate(transition)
