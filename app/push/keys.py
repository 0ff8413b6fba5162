"""The VAPID key pair: from settings, or made at first start and kept in the central store.

Every app process and worker must sign with the same key, or a browser subscribed through one
process would refuse pushes signed by another; so the first process to start makes the pair
and the store's single-row table keeps whichever was inserted first."""

from __future__ import annotations

import base64
from datetime import datetime

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from sqlmodel import Session

from app.config import Settings
from app.db import insert_on_conflict
from app.push.models import VapidKeys


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def b64url_decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def public_key_of(private_raw: str) -> str:
    """The uncompressed public point (the browser's ``applicationServerKey``) of a raw key."""
    key = ec.derive_private_key(int.from_bytes(b64url_decode(private_raw)), ec.SECP256R1())
    point = key.public_key().public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    return b64url(point)


def new_private_key() -> str:
    key = ec.generate_private_key(ec.SECP256R1())
    return b64url(key.private_numbers().private_value.to_bytes(32, "big"))


def vapid_keys(session: Session, settings: Settings, *, now: datetime) -> VapidKeys:
    """The application's key pair, made and kept on first use when settings give none."""
    if settings.vapid_private_key is not None:
        private = settings.vapid_private_key.get_secret_value()
        return VapidKeys(private_key=private, public_key=public_key_of(private), created_at=now)
    stored = session.get(VapidKeys, 1)
    if stored is not None:
        return stored
    private = new_private_key()
    table = VapidKeys.__table__
    session.execute(
        insert_on_conflict(session, table)
        .values(id=1, private_key=private, public_key=public_key_of(private), created_at=now)
        .on_conflict_do_nothing(index_elements=[table.c.id])
    )
    return session.get_one(VapidKeys, 1)
