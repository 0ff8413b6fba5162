"""The home page for each role, scoped to the actor's sites."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Request, Response
from fastapi.responses import RedirectResponse

from app.auth.dependencies import OptionalActorDep, PageActorDep
from app.clock import ClockDep
from app.db import SessionDep
from app.home import service
from app.web import render

router = APIRouter(include_in_schema=False)


@router.get("/", name="home:root")
def root(request: Request, actor: OptionalActorDep) -> Response:
    target = "home:home" if actor is not None else "auth:login_form"
    return RedirectResponse(request.url_for(target), status_code=303)


@router.get("/home", name="home:home")
def home(
    request: Request,
    actor: PageActorDep,
    session: SessionDep,
    clock: ClockDep,
    saved: uuid.UUID | None = None,
) -> Response:
    """The role's home; ``saved`` names a note just recorded, to confirm it with a way back."""
    return render(
        request,
        "home/home.html",
        {
            "home": service.home_for(session, actor=actor, now=clock.now()),
            "saved_note": service.saved_note(session, actor=actor, note_id=saved)
            if saved
            else None,
        },
    )
