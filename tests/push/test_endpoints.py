"""Which push addresses the service will send to: public https hosts only, unless tests or
development allow this machine's fake push service."""

from __future__ import annotations

import pytest

from app.push.endpoints import auth_problem, endpoint_problem, p256dh_problem
from app.push.keys import b64url
from tests.push.helpers import browser_key

PUBLIC = [
    "https://fcm.googleapis.com/fcm/send/abc:def",
    "https://updates.push.services.mozilla.com/wpush/v2/gAAAA",
    "https://web.push.apple.com/QGuQyavXutnMH",
    "https://wns2-par02p.notify.windows.com/w/?token=BQYAAA",
    "https://8.8.8.8/push",
]
REFUSED_ANYWHERE = {
    "https://user:secret@fcm.googleapis.com/send/1": "user name or password",
    "https://user@fcm.googleapis.com/send/1": "user name or password",
    "ftp://fcm.googleapis.com/send/1": "https://",
    "http://fcm.googleapis.com/send/1": "https://",
    "https:///send/1": "names no host",
    "not a url": "names no host",
    "https://fcm.googleapis.com:99999/send": "not a web address",
    "https://exa mple.com/send": "characters no host name has",
    "https://" + "a" * 1020 + ".com/": "at most 1024",
}
LOCAL = [
    "https://localhost/push",
    "https://push.localhost/push",
    "https://127.0.0.1/push",
    "https://127.1/push",
    "https://2130706433/push",
    "https://0x7f.0.0.1/push",
    "https://10.1.2.3/push",
    "https://172.16.0.1/push",
    "https://192.168.1.10/push",
    "https://169.254.169.254/latest/meta-data",
    "https://100.64.0.1/push",
    "https://0.0.0.0/push",
    "https://240.0.0.1/push",
    "https://[::1]/push",
    "https://[fe80::1]/push",
    "https://[fd00::1]/push",
    "https://[::ffff:127.0.0.1]/push",
    "https://224.0.0.1/push",
    "https://intranet/push",
    "https://printer.local/push",
    "https://db.internal/push",
]


@pytest.mark.parametrize("url", PUBLIC)
def test_a_public_https_push_service_is_taken(url: str) -> None:
    assert endpoint_problem(url, allow_local=False) is None


@pytest.mark.parametrize(("url", "reason"), REFUSED_ANYWHERE.items())
def test_a_malformed_or_unsafe_address_is_refused_with_its_reason(url: str, reason: str) -> None:
    for allow_local in (False, True):
        problem = endpoint_problem(url, allow_local=allow_local)
        assert problem is not None
        assert reason in problem


@pytest.mark.parametrize("url", LOCAL)
def test_this_machine_and_private_networks_are_refused_unless_allowed(url: str) -> None:
    assert "private or local" in (endpoint_problem(url, allow_local=False) or "")
    assert endpoint_problem(url, allow_local=True) is None


def test_plain_http_is_allowed_only_to_this_machine_when_local_is_allowed() -> None:
    assert endpoint_problem("http://127.0.0.1:8123/push/1", allow_local=True) is None
    assert endpoint_problem("http://127.0.0.1:8123/push/1", allow_local=False) is not None
    assert endpoint_problem("http://fcm.googleapis.com/send/1", allow_local=True) is not None


def test_a_browser_key_must_be_a_point_on_the_p256_curve() -> None:
    good = browser_key()
    assert p256dh_problem(good) is None
    assert p256dh_problem(good + "==") is None  # padded base64url is the same key
    off_curve = b64url(b"\x04" + b"\x01" * 64)
    compressed = b64url(b"\x02" + b"\x01" * 32)
    for bad in (off_curve, compressed, good[:-4], "not*base64", "+" + good[1:]):
        assert p256dh_problem(bad) is not None, bad


def test_the_auth_secret_must_be_sixteen_bytes() -> None:
    assert auth_problem(b64url(bytes(16))) is None
    for bad in (b64url(bytes(15)), b64url(bytes(17)), "!!!!", ""):
        assert auth_problem(bad) is not None, bad
