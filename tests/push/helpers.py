"""A browser's push subscription as ``PushSubscription.toJSON()`` gives it, with real keys."""

from __future__ import annotations

import os
import uuid
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from app.push.keys import b64url

ANDROID = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 Chrome/131.0 Mobile Safari/537.36"
)


def browser_key() -> str:
    point = (
        ec.generate_private_key(ec.SECP256R1())
        .public_key()
        .public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
    )
    return b64url(point)


def subscription(endpoint: str | None = None, **overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "endpoint": endpoint or f"https://fcm.googleapis.com/fcm/send/{uuid.uuid4()}",
        "expirationTime": None,
        "keys": {"p256dh": browser_key(), "auth": b64url(os.urandom(16))},
    }
    body.update(overrides)
    return body
