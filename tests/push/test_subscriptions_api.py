"""The push API a browser uses: the key to subscribe with, keeping this browser's subscription
for the signed-in person and this sign-in, and forgetting it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import Session, col, select
from starlette.testclient import TestClient

from app.auth.models import AuthSession, User
from app.config import Settings
from app.main import create_app
from app.push.keys import b64url_decode
from app.push.models import PushSubscription, VapidKeys
from app.security import MAX_BODY_BYTES
from tests.conftest import ORIGIN, settings_for
from tests.push.conftest import CONTACT
from tests.push.helpers import ANDROID, browser_key, subscription
from tests.support import World, api_sign_in


@pytest.fixture
def settings(database_url: str) -> Settings:
    """A service as deployed: push on, endpoints on this machine refused."""
    return settings_for(database_url, push_contact=CONTACT)


KEY_URL = "/api/v1/push/vapid-public-key"
SUBSCRIPTIONS = "/api/v1/push/subscriptions"


def devices(session: Session) -> list[PushSubscription]:
    """What the store holds now (the test's own transaction ends, so it sees the latest)."""
    session.rollback()
    return list(session.exec(select(PushSubscription).order_by(col(PushSubscription.created_at))))


def session_ids(session: Session, user: User) -> list[Any]:
    found = select(AuthSession.id).where(AuthSession.user_id == user.id)
    return list(session.exec(found.order_by(col(AuthSession.created_at))))


def test_the_key_to_subscribe_with_is_made_once_and_kept(
    client: TestClient, world: World, session: Session
) -> None:
    api_sign_in(client, world.carer)
    first = client.get(KEY_URL)
    assert first.status_code == 200
    key = first.json()["public_key"]
    assert len(b64url_decode(key)) == 65
    assert client.get(KEY_URL).json() == {"public_key": key}
    session.rollback()
    assert session.get_one(VapidKeys, 1).public_key == key


def test_push_routes_are_not_found_while_push_is_off(
    database_url: str, world: World, tmp_path: Path
) -> None:
    with TestClient(create_app(settings_for(database_url)), headers={"Origin": ORIGIN}) as push_off:
        api_sign_in(push_off, world.carer)
        for response in (push_off.get(KEY_URL), push_off.post(SUBSCRIPTIONS, json=subscription())):
            assert response.status_code == 404
            assert response.json()["detail"].startswith("Notifications are not turned on")


def test_signed_out_callers_are_asked_to_sign_in(client: TestClient) -> None:
    assert client.get(KEY_URL).status_code == 401
    assert client.post(SUBSCRIPTIONS, json=subscription()).status_code == 401
    removal = client.request("DELETE", SUBSCRIPTIONS, json={"endpoint": "https://a.example/1"})
    assert removal.status_code == 401


def test_subscribing_keeps_the_device_for_this_person_and_sign_in(
    client: TestClient, world: World, session: Session
) -> None:
    api_sign_in(client, world.carer)
    body = subscription()
    response = client.post(SUBSCRIPTIONS, json=body, headers={"User-Agent": ANDROID})
    assert response.status_code == 201
    assert response.json()["label"] == "Android phone"
    assert response.json()["this_sign_in"] is True
    assert "endpoint" not in response.json()
    [device] = devices(session)
    assert (device.user_id, device.endpoint, device.p256dh) == (
        world.carer.id,
        body["endpoint"],
        body["keys"]["p256dh"],
    )
    assert device.session_id == session_ids(session, world.carer)[-1]


def test_subscribing_again_brings_the_same_row_up_to_date(
    client: TestClient, make_client: Callable[[], TestClient], world: World, session: Session
) -> None:
    api_sign_in(client, world.carer)
    body = subscription(label="Ward phone")
    assert client.post(SUBSCRIPTIONS, json=body).status_code == 201
    renewed = {**body, "keys": {**body["keys"], "p256dh": browser_key()}}
    renewed.pop("label")
    again = client.post(SUBSCRIPTIONS, json=renewed)
    assert again.status_code == 200
    assert again.json()["label"] == "Ward phone"  # a label given once stays
    [device] = devices(session)
    assert device.p256dh == renewed["keys"]["p256dh"]
    # The shared phone, handed to a colleague who turns notifications on: still one row, theirs.
    colleague = api_sign_in(make_client(), world.colleague)
    assert colleague.post(SUBSCRIPTIONS, json=renewed).status_code == 200
    [device] = devices(session)
    assert device.user_id == world.colleague.id
    assert device.session_id == session_ids(session, world.colleague)[-1]


LONG_ENDPOINT = "https://fcm.googleapis.com/" + "a" * 1000
BAD = {
    "http endpoint": ({"endpoint": "http://fcm.googleapis.com/send/1"}, "endpoint"),
    "credentials": ({"endpoint": "https://me:pw@fcm.googleapis.com/send/1"}, "endpoint"),
    "loopback": ({"endpoint": "https://127.0.0.1/push"}, "endpoint"),
    "private": ({"endpoint": "https://192.168.0.2/push"}, "endpoint"),
    "link-local": ({"endpoint": "https://169.254.169.254/latest"}, "endpoint"),
    "localhost": ({"endpoint": "https://localhost:8443/push"}, "endpoint"),
    "not a push service": ({"endpoint": "https://evil.example/x"}, "endpoint"),
    "under another name": ({"endpoint": "https://fcm.googleapis.com.evil.example/x"}, "endpoint"),
    "too long": ({"endpoint": LONG_ENDPOINT}, "endpoint"),
    "no endpoint": ({"endpoint": None}, "endpoint"),
    "key off the curve": ({"keys": {"p256dh": "BA" + "E" * 85, "auth": "A" * 22}}, "keys.p256dh"),
    "key too short": ({"keys": {"p256dh": "BAAA", "auth": "A" * 22}}, "keys.p256dh"),
    "auth too short": ({"keys": {"p256dh": browser_key(), "auth": "AAAA"}}, "keys.auth"),
    "no keys": ({"keys": None}, "keys"),
    "label with a line break": ({"label": "My\nphone"}, "label"),
}


@pytest.mark.parametrize("bad", BAD.values(), ids=BAD.keys())
def test_bad_input_is_refused_by_field_and_nothing_is_kept(
    client: TestClient, world: World, session: Session, bad: tuple[dict[str, Any], str]
) -> None:
    change, field = bad
    api_sign_in(client, world.carer)
    body = {key: value for key, value in {**subscription(), **change}.items() if value is not None}
    response = client.post(SUBSCRIPTIONS, json=body)
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    assert field in [error["field"] for error in response.json()["errors"]]
    assert all(error["reason"] for error in response.json()["errors"])
    assert devices(session) == []


def test_local_push_services_are_taken_when_allowed(
    database_url: str, world: World, session: Session
) -> None:
    settings = settings_for(database_url, push_contact=CONTACT, push_allow_local_endpoints=True)
    with TestClient(create_app(settings), headers={"Origin": ORIGIN}) as local:
        api_sign_in(local, world.carer)
        response = local.post(SUBSCRIPTIONS, json=subscription("http://127.0.0.1:9/push/1"))
    assert response.status_code == 201
    assert [device.endpoint for device in devices(session)] == ["http://127.0.0.1:9/push/1"]


def test_a_huge_body_is_refused_before_it_is_read(
    client: TestClient, world: World, session: Session
) -> None:
    api_sign_in(client, world.carer)
    huge = subscription(label="x" * MAX_BODY_BYTES)
    assert client.post(SUBSCRIPTIONS, json=huge).status_code == 413
    assert devices(session) == []


def test_a_subscription_from_another_site_s_page_is_refused(
    client: TestClient, world: World, session: Session
) -> None:
    api_sign_in(client, world.carer)
    response = client.post(
        SUBSCRIPTIONS, json=subscription(), headers={"Origin": "https://evil.example"}
    )
    assert response.status_code == 403
    assert devices(session) == []


def test_a_person_forgets_their_own_subscription_only(
    client: TestClient, make_client: Callable[[], TestClient], world: World, session: Session
) -> None:
    mine, theirs = subscription(), subscription()
    api_sign_in(client, world.carer)
    colleague = api_sign_in(make_client(), world.colleague)
    assert client.post(SUBSCRIPTIONS, json=mine).status_code == 201
    assert colleague.post(SUBSCRIPTIONS, json=theirs).status_code == 201
    refused = client.request("DELETE", SUBSCRIPTIONS, json={"endpoint": theirs["endpoint"]})
    assert refused.status_code == 404
    removed = client.request("DELETE", SUBSCRIPTIONS, json={"endpoint": mine["endpoint"]})
    assert removed.status_code == 204
    assert [device.endpoint for device in devices(session)] == [theirs["endpoint"]]


def test_signing_out_forgets_the_devices_of_that_sign_in_only(
    client: TestClient, make_client: Callable[[], TestClient], world: World, session: Session
) -> None:
    """The same person on a ward phone and at home: signing out at the ward phone stops its
    notifications; home still gets them."""
    ward, home = subscription(), subscription()
    api_sign_in(client, world.carer)
    at_home = api_sign_in(make_client(), world.carer)
    assert client.post(SUBSCRIPTIONS, json=ward).status_code == 201
    assert at_home.post(SUBSCRIPTIONS, json=home).status_code == 201
    assert client.post("/api/v1/auth/logout").status_code == 204
    assert [device.endpoint for device in devices(session)] == [home["endpoint"]]
    assert at_home.post("/logout").status_code == 303  # the page's sign-out too
    assert devices(session) == []
