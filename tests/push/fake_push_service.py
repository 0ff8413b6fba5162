"""A push service for tests, speaking the real protocol: behind a real uvicorn on a loopback
port, it checks each request's VAPID token (RFC 8292) against the application's public key and
decrypts its aes128gcm body (RFC 8291) with the device's own private key, as a browser vendor's
push service and the phone between them would. The browsers' services cannot run here; this
stands in for them and nothing else."""

from __future__ import annotations

import json
import os
import re
import secrets
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import http_ece
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature
from sqlmodel import Session
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from app.push.keys import b64url, b64url_decode
from app.push.models import PushSubscription
from tests.http_server import served

AUTHORIZATION = re.compile(r"^vapid t=(?P<token>[^,\s]+),\s*k=(?P<key>[^,\s]+)$")
DAY_SECONDS = 24 * 3600


@dataclass(frozen=True)
class Received:
    """One push as the device would see it."""

    path: str
    ttl: int
    urgency: str | None
    topic: str | None
    payload: dict[str, Any]


@dataclass(frozen=True)
class Scripted:
    status: int
    retry_after: int | None = None


@dataclass
class FakePushService:
    """Receives pushes for the devices it made. ``answer(device, 410)`` scripts a device's
    answers from now on; ``rejected`` lists what failed the checks (it should stay empty)."""

    app_public_key: str
    contact: str
    origin: str = ""
    received: list[Received] = field(default_factory=list)
    rejected: list[str] = field(default_factory=list)
    _device_keys: dict[str, tuple[ec.EllipticCurvePrivateKey, bytes]] = field(default_factory=dict)
    _scripted: dict[str, Scripted] = field(default_factory=dict)

    def new_endpoint(self) -> tuple[str, str, str]:
        """A fresh device: its endpoint here, its P-256 public key and its 16-byte auth
        secret, the three a browser's ``PushSubscription`` carries."""
        path = f"/push/{secrets.token_urlsafe(16)}"
        key = ec.generate_private_key(ec.SECP256R1())
        auth = os.urandom(16)
        self._device_keys[path] = (key, auth)
        point = key.public_key().public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
        )
        return f"{self.origin}{path}", b64url(point), b64url(auth)

    def answer(self, device: PushSubscription, status: int, retry_after: int | None = None) -> None:
        self._scripted[_path_of(device)] = Scripted(status, retry_after)

    def received_by(self, device: PushSubscription) -> list[Received]:
        return [push for push in self.received if push.path == _path_of(device)]

    async def receive(self, request: Request) -> Response:
        body = await request.body()
        path = request.url.path
        problem = self._problem(request, path)
        if problem is not None:
            self.rejected.append(problem)
            return Response(problem, status_code=400 if "body" in problem else 401)
        scripted = self._scripted.get(path, Scripted(201))
        if scripted.status == 201:
            key, auth = self._device_keys[path]
            plain = http_ece.decrypt(body, private_key=key, auth_secret=auth, version="aes128gcm")
            push = Received(
                path=path,
                ttl=int(request.headers["ttl"]),
                urgency=request.headers.get("urgency"),
                topic=request.headers.get("topic"),
                payload=json.loads(plain),
            )
            self.received.append(push)
        headers = {} if scripted.retry_after is None else {"Retry-After": str(scripted.retry_after)}
        return Response(status_code=scripted.status, headers=headers)

    def _problem(self, request: Request, path: str) -> str | None:
        """Why a push service would refuse this request, or None."""
        if path not in self._device_keys:
            return "unknown endpoint"
        if request.headers.get("content-encoding") != "aes128gcm":
            return "body is not aes128gcm"
        found = AUTHORIZATION.match(request.headers.get("authorization", ""))
        if found is None:
            return "no vapid authorization"
        if found["key"] != self.app_public_key:
            return "signed with another key"
        claims = _verified_claims(found["token"], found["key"])
        if claims is None:
            return "bad signature"
        now = time.time()
        if claims.get("aud") != self.origin or claims.get("sub") != self.contact:
            return f"wrong claims {claims.get('aud')!r} {claims.get('sub')!r}"
        if not now < claims.get("exp", 0) <= now + DAY_SECONDS:
            return "expired, or valid for more than a day"
        return None


def _verified_claims(token: str, key: str) -> dict[str, Any] | None:
    """The JWT's claims when its ES256 signature holds for ``key``."""
    header, claims, signature = token.split(".")
    raw = b64url_decode(signature)
    der = encode_dss_signature(int.from_bytes(raw[:32]), int.from_bytes(raw[32:]))
    public = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), b64url_decode(key))
    try:
        public.verify(der, f"{header}.{claims}".encode(), ec.ECDSA(hashes.SHA256()))
    except InvalidSignature:
        return None
    return json.loads(b64url_decode(claims))


def _path_of(device: PushSubscription) -> str:
    return "/push/" + device.endpoint.rsplit("/push/", 1)[1]


@contextmanager
def fake_push_service(app_public_key: str, contact: str) -> Iterator[FakePushService]:
    service = FakePushService(app_public_key=app_public_key, contact=contact)
    app = Starlette(routes=[Route("/push/{token}", service.receive, methods=["POST"])])
    with served(app) as origin:
        service.origin = origin
        yield service


def subscribe(
    session: Session,
    service: FakePushService,
    user_id: uuid.UUID,
    *,
    now: datetime,
    session_id: uuid.UUID | None = None,
) -> PushSubscription:
    """A device of ``user_id`` subscribed at the fake service, stored as the subscription API
    would store it."""
    endpoint, p256dh, auth = service.new_endpoint()
    device = PushSubscription(
        user_id=user_id,
        session_id=session_id,
        endpoint=endpoint,
        p256dh=p256dh,
        auth=auth,
        label="Test phone",
        created_at=now,
        last_used_at=now,
    )
    session.add(device)
    session.commit()
    return device
