"""Sending one message to one device: encrypted for that device (aes128gcm, RFC 8291) and
signed with the application's VAPID key (RFC 8292), through pywebpush.

Nothing here touches the database or logs: the endpoint is a capability URL and the payload
is meant for the device alone, so neither may reach a log line."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit

import requests
from py_vapid import Vapid
from pywebpush import WebPusher, WebPushException

from app.push.endpoints import PushServices, endpoint_problem
from app.push.models import PushMessage, PushSubscription

SEND_TIMEOUT_SECONDS = 10
# The push service checks ``exp`` against its own clock, so it is set from the real one, not
# the injected ``now``; RFC 8292 allows at most 24 hours, and 12 leaves room for clock skew.
TOKEN_LIFETIME_SECONDS = 12 * 3600


@dataclass(frozen=True)
class Answer:
    """What the push service said. ``status_code`` None: no answer (a network error or a
    timeout), worth another try; ``unusable``: nothing was sent, and no try ever will be
    (keys that cannot encrypt, an endpoint we may not post to)."""

    status_code: int | None
    retry_after_seconds: int | None = None
    unusable: bool = False


def origin_of(endpoint: str) -> str:
    """The JWT ``aud``: the push service's scheme, host and port."""
    parts = urlsplit(endpoint)
    return f"{parts.scheme}://{parts.netloc}"


def payload_of(message: PushMessage) -> bytes:
    """What the service worker shows: fixed wording and a path within the app."""
    return json.dumps(
        {"title": message.title, "body": message.body, "url": message.url, "tag": message.topic}
    ).encode()


@dataclass(frozen=True)
class PushSender:
    """Signs as the application (``contact`` is the VAPID ``sub``) and posts only to
    ``services``."""

    signer: Vapid
    contact: str
    services: PushServices

    @classmethod
    def of(cls, private_key: str, *, contact: str, services: PushServices) -> PushSender:
        """A sender for the application's raw P-256 private key (base64url)."""
        return cls(Vapid.from_raw(private_key.encode()), contact, services)

    def send(self, message: PushMessage, device: PushSubscription, now: datetime) -> Answer:
        """One POST to the device's push service; never raises for the service's or the
        network's failings, which the dispatcher weighs from the answer."""
        if endpoint_problem(device.endpoint, self.services) is not None:
            return Answer(status_code=None, unusable=True)
        claims = {
            "sub": self.contact,
            "aud": origin_of(device.endpoint),
            "exp": int(time.time()) + TOKEN_LIFETIME_SECONDS,
        }
        headers = {**self.signer.sign(claims), "Urgency": message.urgency, "Topic": message.topic}
        keys = {"p256dh": device.p256dh, "auth": device.auth}
        try:
            response = WebPusher({"endpoint": device.endpoint, "keys": keys}).send(
                data=payload_of(message),
                headers=headers,
                ttl=ttl_left(message, now),
                content_encoding="aes128gcm",
                timeout=SEND_TIMEOUT_SECONDS,
            )
        except (WebPushException, ValueError):  # keys that are not a P-256 point and a secret
            return Answer(status_code=None, unusable=True)
        except requests.RequestException:
            return Answer(status_code=None)
        return Answer(response.status_code, _seconds(response.headers.get("Retry-After")))


def ttl_left(message: PushMessage, now: datetime) -> int:
    """The seconds the push service may keep the message for a phone that is offline: what is
    left of its TTL since it was due, so one sent late is not kept for a whole TTL more. Never
    0, which would drop it for a phone that is offline (the dispatcher expires it instead)."""
    waited = int((now - message.due_at).total_seconds())
    return max(message.ttl_seconds - max(waited, 0), 1)


def _seconds(retry_after: str | None) -> int | None:
    """A Retry-After given in seconds; an HTTP date is ignored (the backoff stands)."""
    if retry_after is None or not retry_after.strip().isdigit():
        return None
    return int(retry_after.strip())
