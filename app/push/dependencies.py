"""What the push routes stand on: push turned on for this service (``SHIFT_PUSH_CONTACT``), and
the key browsers subscribe with."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from app.auth.dependencies import ActorDep, SettingsDep
from app.clock import ClockDep
from app.config import Settings
from app.db import SessionDep, write_apart
from app.errors import NotFound
from app.push.keys import vapid_keys
from app.push.models import VapidKeys

PUSH_OFF = "Notifications are not turned on for this service: the inbox keeps everything."


async def get_push_settings(settings: SettingsDep) -> Settings:
    """The settings, when push is on; otherwise push's routes are "not found"."""
    if settings.push_contact is None:
        raise NotFound(PUSH_OFF)
    return settings


PushSettingsDep = Annotated[Settings, Depends(get_push_settings)]


def get_public_key(
    _actor: ActorDep, session: SessionDep, settings: PushSettingsDep, clock: ClockDep
) -> str:
    """The ``applicationServerKey``. A GET keeps nothing it writes, so the first request to
    need a key pair makes it in a write transaction of its own, committed before the key is
    handed out (as ``auth`` touches a session): a browser subscribed with a key that was then
    lost would refuse every push signed with the one made after it."""
    if settings.vapid_private_key is None and session.get(VapidKeys, 1) is None:
        with write_apart(session):
            vapid_keys(session, settings, now=clock.now())
    return vapid_keys(session, settings, now=clock.now()).public_key


PublicKeyDep = Annotated[str, Depends(get_public_key)]
