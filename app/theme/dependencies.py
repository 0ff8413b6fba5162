"""The theme a page or API route is about: one of the actor's, or "not found"; and the actor of
a page that changes themes."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import Depends

from app.auth.actor import Actor
from app.auth.dependencies import ActorDep, PageActorDep
from app.auth.permissions import OrgCapability
from app.db import SessionDep
from app.theme import service
from app.theme.models import LearningTheme


def _load_theme(theme_id: uuid.UUID, actor: ActorDep, session: SessionDep) -> LearningTheme:
    return service.get_theme(session, actor=actor, theme_id=theme_id)


# Routes take the theme before any role check, so a theme the actor may not see (another
# organisation's, another site's, a draft) is "not found" first.
ThemeDep = Annotated[LearningTheme, Depends(_load_theme)]


def _page_theme_manager(actor: PageActorDep) -> Actor:
    actor.require_org(OrgCapability.manage_themes)
    return actor


# Pages take the theme (ThemeDep) before the manager check: "not found" comes first.
PageManagerDep = Annotated[Actor, Depends(_page_theme_manager)]


def _api_theme_manager(actor: ActorDep) -> Actor:
    actor.require_org(OrgCapability.manage_themes)
    return actor


# Routes take the theme (ThemeDep) before the manager check: "not found" comes first.
ApiManagerDep = Annotated[Actor, Depends(_api_theme_manager)]
