"""Request dependencies: the signed-in Actor, the settings, the password hasher."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from app.auth import invitations, service
from app.auth.actor import Actor
from app.auth.models import Invitation
from app.auth.passwords import Passwords
from app.clock import ClockDep
from app.config import Settings
from app.db import SessionDep, write_apart
from app.problems import SignInRequired
from app.security import SESSION_COOKIE


async def get_settings(request: Request) -> Settings:
    """The small dependencies are ``async``: they only read app state, and each plain ``def``
    dependency costs the request a hop to the thread pool."""
    return request.app.state.settings


async def get_passwords(request: Request) -> Passwords:
    return request.app.state.passwords


SettingsDep = Annotated[Settings, Depends(get_settings)]
PasswordsDep = Annotated[Passwords, Depends(get_passwords)]


def get_optional_actor(
    request: Request, session: SessionDep, clock: ClockDep, settings: SettingsDep
) -> Actor | None:
    token = request.cookies.get(SESSION_COOKIE)
    if not token:
        return None
    now = clock.now()
    found = service.resolve_session(session, token=token, now=now, settings=settings)
    if found is None:
        return None
    auth_session, user = found
    if service.due_a_touch(auth_session, now):
        # The touch is a transaction of its own, begun as a write: on SQLite a read that turned
        # into a write would fail with "database is locked" if another write came in between.
        with write_apart(session):
            service.touch_session(session, session_id=auth_session.id, now=now)
    actor = service.load_actor(session, user=user, session_id=auth_session.id)
    request.state.actor = actor
    return actor


OptionalActorDep = Annotated[Actor | None, Depends(get_optional_actor)]


async def get_actor(actor: OptionalActorDep) -> Actor:
    if actor is None:
        raise SignInRequired()
    return actor


ActorDep = Annotated[Actor, Depends(get_actor)]


def get_page_actor(
    request: Request, actor: ActorDep, session: SessionDep, clock: ClockDep
) -> Actor:
    """The actor for a page: also sets the page header (site and current shift) and the count
    of unread notifications on its bell.

    The header is ``org``'s and the count the inbox's: ``create_app`` hands in
    ``org.service.page_header`` as ``app.state.page_header`` and ``inbox.service.unread_count``
    as ``app.state.unread_count``, because both build on ``auth`` and ``auth`` imports neither."""
    header_for = request.app.state.page_header
    request.state.header = header_for(session, actor=actor, now=clock.now())
    request.state.unread = request.app.state.unread_count(session, user_id=actor.user_id)
    return actor


PageActorDep = Annotated[Actor, Depends(get_page_actor)]


def get_open_invitation(
    token: str, session: SessionDep, clock: ClockDep, settings: SettingsDep
) -> Invitation:
    """The invitation a link's token opens: unused, unrevoked and in date, or "not found"."""
    return invitations.find_open_invitation(
        session, token=token, now=clock.now(), settings=settings
    )


OpenInvitationDep = Annotated[Invitation, Depends(get_open_invitation)]
