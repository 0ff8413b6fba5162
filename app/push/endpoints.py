"""Which push endpoints the service will send to, and which keys a subscription may carry.

A browser hands us its push service's URL, and the sender later POSTs to it from inside our
network: an endpoint anyone with an account could choose would let them make the server call
its own neighbours, even through a public host name that resolves to a private address. So an
endpoint is an ``https`` URL on one of the push services browsers use (``push_service_hosts``:
a host that is an entry or ends in "." and an entry), with no user name or password in it; no
DNS is asked, and none is needed. Only tests and development (``push_allow_local_endpoints``)
may also name this machine, where a fake push service listens. The sender checks again before
every post, so a subscription kept before its host left the list is never posted to.
"""

from __future__ import annotations

import binascii
import ipaddress
import re
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

from cryptography.hazmat.primitives.asymmetric import ec

from app.config import LOCAL_HOSTS, LOCAL_SUFFIXES, Settings
from app.push.keys import b64url_decode
from app.push.models import MAX_ENDPOINT

HOST_NAME = re.compile(r"[a-z0-9.-]+\Z")
BASE64URL = re.compile(r"[A-Za-z0-9_-]+={0,2}\Z")
POINT_BYTES = 65  # an uncompressed P-256 point: 0x04, then x and y of 32 bytes each
AUTH_BYTES = 16


NOT_A_PUSH_SERVICE = (
    "We only send to the push services browsers use; this address is not one of them."
)


@dataclass(frozen=True)
class PushServices:
    """Where the service may post: the push services' hosts, and this machine when allowed."""

    hosts: tuple[str, ...]
    allow_local: bool = False

    @classmethod
    def of(cls, settings: Settings) -> PushServices:
        return cls(settings.push_service_hosts, settings.push_allow_local_endpoints)

    def serves(self, host: str) -> bool:
        """Whether ``host`` is one of the hosts or under one: ``wns2-par02p.notify.windows.com``
        is under ``notify.windows.com``; ``evilfcm.googleapis.com`` is not under
        ``fcm.googleapis.com``."""
        return any(host == entry or host.endswith("." + entry) for entry in self.hosts)


def endpoint_problem(url: str, services: PushServices) -> str | None:
    """Why ``url`` cannot be a push endpoint, in words for the person or client; ``None`` if it
    can."""
    if len(url) > MAX_ENDPOINT:
        return f"Use at most {MAX_ENDPOINT} characters."
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
        parts.port  # noqa: B018 - reading it checks the port is a number in range
    except ValueError:
        return "This is not a web address."
    if parts.username is not None or parts.password is not None:
        return "A push address carries no user name or password."
    if not host:
        return "This is not a web address: it names no host."
    local = _is_local(host)
    if local is None:
        return "This is not a web address: its host name has characters no host name has."
    if local and not services.allow_local:
        return "A push address must be on the internet, not a private or local address."
    if not local and not services.serves(host):
        return NOT_A_PUSH_SERVICE
    if parts.scheme != "https" and not (parts.scheme == "http" and local and services.allow_local):
        return "A push address starts with https://."
    return None


def _is_local(host: str) -> bool | None:
    """Whether ``host`` is this machine or a private network; ``None`` when it is no host."""
    address = _ip_literal(host)
    if address is not None:
        return not address.is_global or address.is_multicast
    if not HOST_NAME.match(host):
        return None
    return host in LOCAL_HOSTS or host.endswith(LOCAL_SUFFIXES) or "." not in host


def _ip_literal(host: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    """The address a literal host names, in any form a client would read: ``[::1]``, and the
    old IPv4 shorthands (``127.1``, ``2130706433``, ``0x7f.0.0.1``) that HTTP clients accept."""
    try:
        address = ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        if not re.fullmatch(r"[0-9a-fx.]+", host):
            return None
        try:
            return ipaddress.IPv4Address(socket.inet_aton(host))
        except OSError:
            return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


def _decoded(text: str) -> bytes | None:
    if not BASE64URL.match(text):
        return None
    try:
        return b64url_decode(text.rstrip("="))
    except (binascii.Error, ValueError):
        return None


def p256dh_problem(text: str) -> str | None:
    """The browser's public key must be a P-256 point, or nothing sent to it could be read."""
    raw = _decoded(text)
    if raw is None or len(raw) != POINT_BYTES or raw[0] != 4:
        return "Send the browser's p256dh key: 65 bytes in base64url (an uncompressed P-256 point)."
    try:
        ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), raw)
    except ValueError:
        return "This p256dh key is not a point on the P-256 curve."
    return None


def auth_problem(text: str) -> str | None:
    raw = _decoded(text)
    if raw is None or len(raw) != AUTH_BYTES:
        return "Send the browser's auth secret: 16 bytes in base64url."
    return None
