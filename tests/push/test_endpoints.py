"""Which push addresses the service will send to: https on the push services browsers use
(or those the settings name), unless tests or development allow this machine's fake push
service."""

from __future__ import annotations

import pytest

from app.config import PUSH_SERVICE_HOSTS, Settings
from app.push.endpoints import (
    NOT_A_PUSH_SERVICE,
    PushServices,
    auth_problem,
    endpoint_problem,
    p256dh_problem,
)
from app.push.keys import b64url
from tests.push.helpers import browser_key

DEPLOYED = PushServices(PUSH_SERVICE_HOSTS)
TESTING = PushServices(PUSH_SERVICE_HOSTS, allow_local=True)

BROWSERS = [
    "https://fcm.googleapis.com/fcm/send/abc:def",  # Chrome, Android, Samsung Internet, Opera
    "https://updates.push.services.mozilla.com/wpush/v2/gAAAA",  # Firefox
    "https://push.services.mozilla.com/wpush/v2/gAAAA",
    "https://web.push.apple.com/QGuQyavXutnMH",  # Safari, iOS home-screen apps
    "https://wns2-par02p.notify.windows.com/w/?token=BQYAAA",  # Edge on Windows
    "https://db3.notify.windows.com/?token=AgUAAA",
    "https://FCM.googleapis.com/fcm/send/abc",  # host names are not case-sensitive
]
NOT_PUSH_SERVICES = [
    "https://evil.example/x",
    "https://fcm.googleapis.com.evil.example/x",
    "https://evilfcm.googleapis.com/x",  # no dot before the push service's name
    "https://googleapis.com/fcm/send/abc",
    "https://notify.windows.com.evil.example/x",
    "https://8.8.8.8/push",
    "https://[2001:4860:4860::8888]/push",
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


@pytest.mark.parametrize("url", BROWSERS)
def test_the_push_services_browsers_use_are_taken(url: str) -> None:
    assert endpoint_problem(url, DEPLOYED) is None


@pytest.mark.parametrize("url", NOT_PUSH_SERVICES)
def test_any_other_host_is_refused_even_where_local_is_allowed(url: str) -> None:
    """A public name could resolve to a private address: only the push services are asked."""
    for services in (DEPLOYED, TESTING):
        assert endpoint_problem(url, services) == NOT_A_PUSH_SERVICE


def test_the_setting_replaces_the_list_and_naming_the_defaults_extends_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    own = "https://push.example.org/send/1"
    monkeypatch.setenv("SHIFT_PUSH_SERVICE_HOSTS", "Push.Example.org")
    replaced = PushServices.of(Settings())
    assert replaced.hosts == ("push.example.org",)
    assert endpoint_problem(own, replaced) is None
    assert endpoint_problem("https://eu.push.example.org/send/1", replaced) is None
    assert endpoint_problem(BROWSERS[0], replaced) == NOT_A_PUSH_SERVICE

    monkeypatch.setenv(
        "SHIFT_PUSH_SERVICE_HOSTS", ",".join([*PUSH_SERVICE_HOSTS, "push.example.org"])
    )
    extended = PushServices.of(Settings())
    for url in [own, *BROWSERS]:
        assert endpoint_problem(url, extended) is None, url


@pytest.mark.parametrize(
    "hosts", ["", " , ", "https://push.example.org", "push", "push.example.org/x"]
)
def test_the_setting_takes_only_host_names(hosts: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SHIFT_PUSH_SERVICE_HOSTS", hosts)
    with pytest.raises(ValueError, match="SHIFT_PUSH_SERVICE_HOSTS"):
        Settings()


@pytest.mark.parametrize(("url", "reason"), REFUSED_ANYWHERE.items())
def test_a_malformed_or_unsafe_address_is_refused_with_its_reason(url: str, reason: str) -> None:
    for services in (DEPLOYED, TESTING):
        problem = endpoint_problem(url, services)
        assert problem is not None
        assert reason in problem


@pytest.mark.parametrize("url", LOCAL)
def test_this_machine_and_private_networks_are_refused_unless_allowed(url: str) -> None:
    assert "private or local" in (endpoint_problem(url, DEPLOYED) or "")
    assert endpoint_problem(url, TESTING) is None


def test_plain_http_is_allowed_only_to_this_machine_when_local_is_allowed() -> None:
    assert endpoint_problem("http://127.0.0.1:8123/push/1", TESTING) is None
    assert endpoint_problem("http://127.0.0.1:8123/push/1", DEPLOYED) is not None
    assert endpoint_problem("http://fcm.googleapis.com/send/1", TESTING) is not None


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
