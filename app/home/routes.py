"""The home page for each role, scoped to the actor's sites."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from fastapi.responses import RedirectResponse

from app.auth.dependencies import OptionalActorDep, PageActorDep
from app.db import SessionDep
from app.home import service
from app.web import render

router = APIRouter(include_in_schema=False)


@router.get("/", name="home:root")
def root(request: Request, actor: OptionalActorDep) -> Response:
    target = "home:home" if actor is not None else "auth:login_form"
    return RedirectResponse(request.url_for(target), status_code=303)


@router.get("/home", name="home:home")
def home(request: Request, actor: PageActorDep, session: SessionDep) -> Response:
    return render(request, "home/home.html", {"home": service.home_for(session, actor=actor)})
