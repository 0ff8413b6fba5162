"""The sign-in throttle: per account and per client address with their own limits, a
``Retry-After`` on every 429, and client addresses taken from proxy headers only when they come
from the configured proxy."""

from __future__ import annotations

from pathlib import Path

import httpx
from starlette.testclient import TestClient

from tests.e2e.conftest import Server
from tests.support import PASSWORD, FrozenClock, World

WRONG = "not the password at all"


def fail_for(client: TestClient, email: str, times: int) -> None:
    for _ in range(times):
        assert client.post("/login", data={"email": email, "password": WRONG}).status_code == 401


def test_a_care_home_sharing_one_wifi_is_not_locked_out_by_a_few_mistakes(
    client: TestClient, world: World
) -> None:
    for number in range(30):  # three shifts' worth of mistyped passwords, all one address
        fail_for(client, f"someone{number}@example.org", 1)
    fail_for(client, world.colleague.email, 9)
    assert (
        client.post("/login", data={"email": world.carer.email, "password": PASSWORD}).status_code
        == 303
    )


def test_the_account_limit_holds_whatever_the_address(
    client: TestClient, make_client, world: World
) -> None:  # type: ignore[no-untyped-def]
    fail_for(client, world.carer.email, 10)
    elsewhere = make_client()
    refused = elsewhere.post("/login", data={"email": world.carer.email, "password": PASSWORD})
    assert refused.status_code == 429
    assert (
        elsewhere.post(
            "/login", data={"email": world.colleague.email, "password": PASSWORD}
        ).status_code
        == 303
    )


def test_a_refused_sign_in_page_says_when_to_try_again(
    client: TestClient, world: World, clock: FrozenClock
) -> None:
    fail_for(client, world.carer.email, 10)
    refused = client.post("/login", data={"email": world.carer.email, "password": PASSWORD})
    assert refused.status_code == 429
    assert refused.headers["retry-after"] == "300"
    assert "Wait 5 minutes" in refused.text
    clock.advance(minutes=4)
    later = client.post("/login", data={"email": world.carer.email, "password": PASSWORD})
    assert later.headers["retry-after"] == "60"
    assert "Wait 1 minute " in later.text
    clock.advance(seconds=60)
    assert (
        client.post("/login", data={"email": world.carer.email, "password": PASSWORD}).status_code
        == 303
    )


def test_a_refused_api_sign_in_says_when_to_try_again(
    client: TestClient, world: World, clock: FrozenClock
) -> None:
    fail_for(client, world.carer.email, 6)
    clock.advance(minutes=2)
    fail_for(client, world.carer.email, 4)
    refused = client.post(
        "/api/v1/auth/login", json={"email": world.carer.email, "password": PASSWORD}
    )
    assert refused.status_code == 429
    assert refused.headers["content-type"] == "application/problem+json"
    # The window frees the account when the tenth-newest failure (two minutes old) ages out.
    assert refused.headers["retry-after"] == "180"


def rotating_guesses(url: str, times: int) -> list[int]:
    """Failed sign-ins, each claiming another client address in X-Forwarded-For."""
    with httpx.Client(base_url=url, headers={"Origin": url}) as http:
        return [
            http.post(
                "/api/v1/auth/login",
                json={"email": f"guess{number}@example.org", "password": WRONG},
                headers={"X-Forwarded-For": f"203.0.113.{number}"},
            ).status_code
            for number in range(times)
        ]


def test_forwarded_addresses_are_believed_only_from_the_configured_proxy(
    database_url: str, tmp_path: Path
) -> None:
    proxy_elsewhere = Server(
        database_url,
        tmp_path / "elsewhere.log",
        arguments=["--proxy-headers"],
        environment={
            "SHIFT_FORWARDED_ALLOW_IPS": "192.0.2.1",
            "SHIFT_LOGIN_MAX_FAILURES_PER_ADDRESS": "3",
        },
    )
    try:
        proxy_elsewhere.start()
        # A client that is not the proxy cannot rotate its way past the address limit.
        assert rotating_guesses(proxy_elsewhere.url, 4) == [401, 401, 401, 429]
    finally:
        proxy_elsewhere.close()
    behind_proxy = Server(
        database_url,
        tmp_path / "proxy.log",
        arguments=["--proxy-headers"],
        environment={"SHIFT_LOGIN_MAX_FAILURES_PER_ADDRESS": "3"},  # 127.0.0.1 is the proxy
    )
    try:
        behind_proxy.start()
        # From the proxy, each forwarded client address counts on its own.
        assert rotating_guesses(behind_proxy.url, 4) == [401, 401, 401, 401]
    finally:
        behind_proxy.close()
