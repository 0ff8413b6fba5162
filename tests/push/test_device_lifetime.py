"""How long a device keeps getting a person's notifications: until its sign-in ends (signing
out, a password change on another device, deactivation), and among the person's latest ten."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlmodel import Session, col, select
from starlette.testclient import TestClient

from app.config import Settings
from app.push.models import PushSubscription
from app.push.service import MAX_DEVICES
from tests.conftest import settings_for
from tests.push.conftest import CONTACT
from tests.push.helpers import subscription
from tests.support import PASSWORD, FrozenClock, World, api_sign_in, sign_in

SUBSCRIPTIONS = "/api/v1/push/subscriptions"


@pytest.fixture
def settings(database_url: str) -> Settings:
    return settings_for(database_url, push_contact=CONTACT)


def endpoints(session: Session) -> set[str]:
    session.rollback()
    return set(session.exec(select(PushSubscription.endpoint)))


def test_changing_the_password_keeps_this_phone_and_forgets_the_others_at_once(
    client: TestClient, make_client: Callable[[], TestClient], world: World, session: Session
) -> None:
    """A phone left signed in somewhere stops showing the carer's notifications the moment they
    change their password on the phone in their hand, which goes on getting them."""
    this_phone, left_behind = subscription(), subscription()
    sign_in(client, world.carer)
    assert client.post(SUBSCRIPTIONS, json=this_phone).status_code == 201
    other = api_sign_in(make_client(), world.carer)
    assert other.post(SUBSCRIPTIONS, json=left_behind).status_code == 201

    changed = client.post(
        "/account/password",
        data={"current_password": PASSWORD, "new_password": "granite lantern orchard 42"},
    )

    assert changed.status_code == 200
    assert endpoints(session) == {this_phone["endpoint"]}
    assert "This phone" in client.get("/account").text  # still this sign-in's device
    assert other.get("/api/v1/me").status_code == 401


def test_deactivating_someone_forgets_all_their_devices_at_once(
    client: TestClient, make_client: Callable[[], TestClient], world: World, session: Session
) -> None:
    carer_phone = subscription()
    carer = api_sign_in(make_client(), world.carer)
    assert carer.post(SUBSCRIPTIONS, json=carer_phone).status_code == 201
    manager_phone = subscription()
    api_sign_in(client, world.manager)
    assert client.post(SUBSCRIPTIONS, json=manager_phone).status_code == 201

    deactivated = client.post(f"/sites/{world.site.id}/staff/{world.carer.id}/deactivate")

    assert deactivated.status_code == 303
    assert endpoints(session) == {manager_phone["endpoint"]}


def test_a_person_keeps_their_latest_devices_and_the_oldest_goes(
    client: TestClient, world: World, session: Session, clock: FrozenClock
) -> None:
    api_sign_in(client, world.carer)
    sent = []
    for _ in range(MAX_DEVICES + 2):
        clock.advance(minutes=1)
        device = subscription()
        assert client.post(SUBSCRIPTIONS, json=device).status_code == 201
        sent.append(device["endpoint"])
    session.rollback()
    kept = session.exec(
        select(PushSubscription.endpoint).order_by(col(PushSubscription.last_used_at))
    ).all()
    assert kept == sent[2:]
