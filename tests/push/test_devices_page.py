"""The account page's "Notifications on this phone": the button, the person's devices with
"This phone" marked, and Remove."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlmodel import Session, select
from starlette.testclient import TestClient

from app.main import create_app
from app.push.models import PushSubscription
from app.push.service import device_label
from tests.conftest import ORIGIN, settings_for
from tests.push.helpers import ANDROID, subscription
from tests.support import World, api_sign_in, sign_in

SUBSCRIPTIONS = "/api/v1/push/subscriptions"


def device_ids(session: Session) -> set[object]:
    session.rollback()
    return set(session.exec(select(PushSubscription.id)))


def test_the_account_page_offers_notifications_and_lists_this_phone(
    client: TestClient, make_client: Callable[[], TestClient], world: World
) -> None:
    sign_in(client, world.carer)
    client.post(SUBSCRIPTIONS, json=subscription(), headers={"User-Agent": ANDROID})
    at_home = api_sign_in(make_client(), world.carer)
    at_home.post(SUBSCRIPTIONS, json=subscription(label="Home laptop"))
    page = client.get("/account").text
    assert "Notifications on this phone" in page
    assert "Turn on notifications on this phone" in page
    assert 'x-data="pushDevice"' in page
    assert 'Android phone <span class="tag">This phone</span>' in page
    assert "Home laptop</p>" in page
    assert page.count('name="device_id"') == 2


def test_the_section_is_hidden_while_push_is_off(database_url: str, world: World) -> None:
    push_off = create_app(settings_for(database_url))
    with TestClient(push_off, headers={"Origin": ORIGIN}, follow_redirects=False) as off:
        sign_in(off, world.carer)
        page = off.get("/account")
    assert page.status_code == 200
    assert "Change your password" in page.text
    assert "Notifications on this phone" not in page.text


def test_removing_a_device_says_so_and_it_is_gone(
    client: TestClient, make_client: Callable[[], TestClient], world: World, session: Session
) -> None:
    sign_in(client, world.carer)
    at_home = api_sign_in(make_client(), world.carer)
    laptop = at_home.post(SUBSCRIPTIONS, json=subscription(label="Home laptop")).json()
    removed = client.post("/account/devices/remove", data={"device_id": laptop["id"]})
    assert removed.status_code == 303
    assert removed.headers["location"].endswith("/account?device_removed=1")
    assert device_ids(session) == set()
    page = client.get(removed.headers["location"]).text
    assert "Device removed" in page
    assert 'data-forget="no"' in page  # this phone keeps its own subscription


def test_removing_this_phone_has_its_browser_forget_it_too(
    client: TestClient, world: World, session: Session
) -> None:
    """The page Remove returns to tells this phone's browser to drop its subscription, so its
    next page does not quietly make it again: a tap before the page's scripts ran included."""
    sign_in(client, world.carer)
    device = client.post(SUBSCRIPTIONS, json=subscription()).json()
    removed = client.post("/account/devices/remove", data={"device_id": device["id"]})
    assert removed.headers["location"].endswith("/account?device_removed=this_phone")
    assert device_ids(session) == set()
    page = client.get(removed.headers["location"]).text
    assert "Device removed" in page
    assert 'data-on="no" data-forget="yes"' in page


def test_nobody_removes_another_person_s_device(
    client: TestClient, make_client: Callable[[], TestClient], world: World, session: Session
) -> None:
    colleague = api_sign_in(make_client(), world.colleague)
    theirs = colleague.post(SUBSCRIPTIONS, json=subscription()).json()
    sign_in(client, world.carer)
    refused = client.post("/account/devices/remove", data={"device_id": theirs["id"]})
    assert refused.status_code == 404
    assert {str(found) for found in device_ids(session)} == {theirs["id"]}


def test_a_remove_form_without_a_device_shows_the_page_again(
    client: TestClient, world: World
) -> None:
    sign_in(client, world.carer)
    response = client.post("/account/devices/remove", data={"device_id": "nonsense"})
    assert response.status_code == 422
    assert "There is a problem" in response.text


def test_removing_is_refused_from_another_site_s_page(
    client: TestClient, world: World, session: Session
) -> None:
    sign_in(client, world.carer)
    device = client.post(SUBSCRIPTIONS, json=subscription()).json()
    refused = client.post(
        "/account/devices/remove",
        data={"device_id": device["id"]},
        headers={"Origin": "https://evil.example"},
    )
    assert refused.status_code == 403
    assert {str(found) for found in device_ids(session)} == {device["id"]}


@pytest.mark.parametrize(
    ("user_agent", "label"),
    [
        (
            "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) Mobile/15E148 Safari/604.1",
            "iPhone",
        ),
        ("Mozilla/5.0 (iPad; CPU OS 17_5 like Mac OS X) Mobile/15E148 Safari/604.1", "iPad"),
        (ANDROID, "Android phone"),
        (
            "Mozilla/5.0 (Linux; Android 14; SM-X710) AppleWebKit/537.36 Chrome/131.0 Safari/537.36",
            "Android tablet",
        ),
        ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) Gecko/20100101 Firefox/133.0", "Computer"),
        ("", "Computer"),
    ],
)
def test_a_device_is_named_shortly_from_its_browser(user_agent: str, label: str) -> None:
    assert device_label(user_agent) == label
