"""The JSON API for learning themes: the same rules as the pages, in ``app.theme.service``."""

from __future__ import annotations

import uuid

from fastapi import APIRouter

from app.auth.actor import Actor
from app.auth.dependencies import ActorDep
from app.clock import ClockDep
from app.db import SessionDep
from app.theme import history, service
from app.theme.dependencies import ApiManagerDep, ThemeDep
from app.theme.models import ThemeStatus
from app.theme.schemas import (
    ThemeInput,
    ThemePublic,
    ThemeTransitionPublic,
)
from app.theme.service import ThemeView

api_router = APIRouter(prefix="/themes", tags=["themes"])


@api_router.get("", response_model=list[ThemePublic], name="theme_api:list")
def api_list_themes(
    actor: ActorDep,
    session: SessionDep,
    status: ThemeStatus | None = None,
    site_id: uuid.UUID | None = None,
) -> list[ThemePublic]:
    """The themes you may see: every theme of the organisation for quality leads and admins,
    otherwise those of your sites that have left draft."""
    themes = service.list_themes(session, actor=actor, status=status, site_id=site_id)
    return [_public(view, actor) for view in service.view_themes(session, themes=themes)]


@api_router.post("", response_model=ThemePublic, status_code=201, name="theme_api:create")
def api_create_theme(
    data: ThemeInput, actor: ApiManagerDep, session: SessionDep, clock: ClockDep
) -> ThemePublic:
    """Create a theme in draft: revision 1."""
    theme = service.create_theme(session, actor=actor, data=data, now=clock.now())
    return _public(service.view_theme(session, theme=theme), actor)


@api_router.get("/{theme_id}", response_model=ThemePublic, name="theme_api:get")
def api_get_theme(actor: ActorDep, theme: ThemeDep, session: SessionDep) -> ThemePublic:
    return _public(service.view_theme(session, theme=theme), actor)


@api_router.put("/{theme_id}", response_model=ThemePublic, name="theme_api:update")
def api_update_theme(
    theme: ThemeDep, data: ThemeInput, actor: ApiManagerDep, session: SessionDep, clock: ClockDep
) -> ThemePublic:
    """Replace the theme's content: saved as a new revision; the earlier wording is kept."""
    service.revise_theme(session, actor=actor, theme=theme, data=data, now=clock.now())
    return _public(service.view_theme(session, theme=theme), actor)


@api_router.get(
    "/{theme_id}/transitions",
    response_model=list[ThemeTransitionPublic],
    name="theme_api:transitions",
)
def api_list_transitions(theme: ThemeDep, session: SessionDep) -> list[ThemeTransitionPublic]:
    """The theme's lifecycle moves, newest first."""
    return [
        ThemeTransitionPublic.model_validate(transition)
        for transition in history.list_transitions(session, theme=theme)
    ]


def _public(view: ThemeView, actor: Actor) -> ThemePublic:
    theme = view.theme
    return ThemePublic.model_validate(
        {
            **theme.model_dump(),
            "site_ids": [site_id for site_id in view.site_ids if site_id in actor.site_ids],
            "behaviours": view.behaviours,
            "prompts": view.prompts,
        }
    )
