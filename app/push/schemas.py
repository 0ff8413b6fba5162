"""What a browser sends to subscribe (its ``PushSubscription.toJSON()``, with an optional label)
or unsubscribe, the account page's Remove button, and what the API returns."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import datetime
from typing import Annotated

from pydantic import AfterValidator, BaseModel, StringConstraints
from pydantic_core import PydanticCustomError

from app.auth.actor import Actor
from app.push.endpoints import auth_problem, p256dh_problem
from app.push.models import MAX_ENDPOINT, PushSubscription
from app.schemas import SINGLE_LINE, Input


def _refused_by(problem: Callable[[str], str | None], kind: str) -> AfterValidator:
    def check(value: str) -> str:
        reason = problem(value)
        if reason is not None:
            raise PydanticCustomError(kind, reason)
        return value

    return AfterValidator(check)


Endpoint = Annotated[str, StringConstraints(min_length=1, max_length=MAX_ENDPOINT), SINGLE_LINE]
P256dh = Annotated[
    str,
    StringConstraints(min_length=1, max_length=100),
    SINGLE_LINE,
    _refused_by(p256dh_problem, "p256dh"),
]
AuthSecret = Annotated[
    str,
    StringConstraints(min_length=1, max_length=40),
    SINGLE_LINE,
    _refused_by(auth_problem, "auth_secret"),
]
DeviceLabel = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=60), SINGLE_LINE
]


class SubscriptionKeys(Input):
    p256dh: P256dh
    auth: AuthSecret


class SubscriptionCreate(Input):
    """A browser's subscription; ``label`` names the device in your list (by default, from the
    browser: "Android phone", "iPhone", "Computer")."""

    endpoint: Endpoint
    keys: SubscriptionKeys
    label: DeviceLabel | None = None


class SubscriptionRemoval(Input):
    endpoint: Endpoint


class DeviceRemoval(Input):
    device_id: uuid.UUID


class PublicKey(BaseModel):
    """The key a browser subscribes with (``applicationServerKey``), base64url."""

    public_key: str


class DevicePublic(BaseModel):
    """A device that gets your notifications; its push address is never shown back."""

    id: uuid.UUID
    label: str
    created_at: datetime
    last_used_at: datetime
    this_sign_in: bool

    @classmethod
    def of(cls, device: PushSubscription, *, actor: Actor) -> DevicePublic:
        this_sign_in = device.session_id is not None and device.session_id == actor.session_id
        return cls.model_validate({**device.model_dump(), "this_sign_in": this_sign_in})
