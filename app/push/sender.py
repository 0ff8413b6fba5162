"""Sending one message to one device: encrypted for that device (aes128gcm, RFC 8291) and
signed with the application's VAPID key (RFC 8292), through pywebpush.

Nothing here touches the database or logs: the endpoint is a capability URL and the payload
is meant for the device alone, so neither may reach a log line."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

import requests
from py_vapid import Vapid
from pywebpush import WebPusher, WebPushException

from app.push.models import PushMessage, PushSubscription

SEND_TIMEOUT_SECONDS = 10
# The push service checks ``exp`` against its own clock, so it is set from the real one, not
# the injected ``now``; RFC 8292 allows at most 24 hours, and 12 leaves room for clock skew.
TOKEN_LIFETIME_SECONDS = 12 * 3600


@dataclass(frozen=True)
class Answer:
    """What the push service said. ``status_code`` None: no answer (a network error or a
    timeout), worth another try; ``keys_unusable``: the device's keys cannot encrypt, so no
    try will ever reach it."""

    status_code: int | None
    retry_after_seconds: int | None = None
    keys_unusable: bool = False


def signer_for(private_key: str) -> Vapid:
    """The VAPID signer for the application's raw P-256 private key (base64url)."""
    return Vapid.from_raw(private_key.encode())


def origin_of(endpoint: str) -> str:
    """The JWT ``aud``: the push service's scheme, host and port."""
    parts = urlsplit(endpoint)
    return f"{parts.scheme}://{parts.netloc}"


def payload_of(message: PushMessage) -> bytes:
    """What the service worker shows: fixed wording and a path within the app."""
    content = {"title": message.title, "body": message.body, "url": message.url}
    return json.dumps({**content, "tag": message.topic}).encode()


def send_push(
    message: PushMessage, device: PushSubscription, *, signer: Vapid, contact: str
) -> Answer:
    """One POST to the device's push service; never raises for the service's or the network's
    failings, which the dispatcher weighs from the answer."""
    claims = {
        "sub": contact,
        "aud": origin_of(device.endpoint),
        "exp": int(time.time()) + TOKEN_LIFETIME_SECONDS,
    }
    headers = {**signer.sign(claims), "Urgency": message.urgency, "Topic": message.topic}
    info = {"endpoint": device.endpoint, "keys": {"p256dh": device.p256dh, "auth": device.auth}}
    try:
        pusher = WebPusher(info)
        response = pusher.send(
            data=payload_of(message),
            headers=headers,
            ttl=max(message.ttl_seconds, 1),  # 0 would drop it for a phone that is offline
            content_encoding="aes128gcm",
            timeout=SEND_TIMEOUT_SECONDS,
        )
    except (WebPushException, ValueError):
        return Answer(status_code=None, keys_unusable=True)
    except requests.RequestException:
        return Answer(status_code=None)
    return Answer(response.status_code, _seconds(response.headers.get("Retry-After")))


def _seconds(retry_after: str | None) -> int | None:
    """A Retry-After given in seconds; an HTTP date is ignored (the backoff stands)."""
    if retry_after is None or not retry_after.strip().isdigit():
        return None
    return int(retry_after.strip())
