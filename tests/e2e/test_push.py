"""Notifications on a phone: turning them on from the account page (the browser's permission
prompt only after the tap), and a push reaching the service worker and showing.

Chromium here has no push service, so the page's ``PushManager`` and ``Notification`` are
stubbed by an init script that answers as a browser would: a subscription whose endpoint is on
this machine (the server runs with local endpoints allowed). A push message is delivered to the
real service worker through the DevTools Protocol, as TESTING.md describes.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import expect
from sqlalchemy import Engine, text

from tests.e2e.conftest import Server
from tests.e2e.steps import sign_in, wait_until
from tests.push.helpers import ANDROID, browser_key

pytestmark = pytest.mark.browser

PUSH_ON = {
    "SHIFT_PUSH_CONTACT": "mailto:care-it@example.org",
    "SHIFT_PUSH_ALLOW_LOCAL_ENDPOINTS": "true",
}
ENDPOINT = "http://127.0.0.1:9/push/phone-1"
# A browser that answers the permission prompt with ``answer`` and subscribes when asked, and
# counts the asking.
BROWSER_PUSH = """(() => {
  Object.defineProperty(Notification, "permission", {
    get: () => sessionStorage.getItem("test-permission") || "default",
  });
  Notification.requestPermission = async () => {
    sessionStorage.setItem("test-asked", String(Number(sessionStorage.getItem("test-asked") || 0) + 1));
    sessionStorage.setItem("test-permission", %(answer)s);
    return %(answer)s;
  };
  const subscription = {
    endpoint: %(endpoint)s,
    expirationTime: null,
    options: { userVisibleOnly: true, applicationServerKey: null },
    toJSON() {
      return { endpoint: this.endpoint, expirationTime: null, keys: %(keys)s };
    },
    async unsubscribe() {
      sessionStorage.removeItem("test-subscribed");
      return true;
    },
  };
  PushManager.prototype.subscribe = async function (options) {
    const asked = { userVisibleOnly: options.userVisibleOnly, keyBytes: options.applicationServerKey.length };
    sessionStorage.setItem("test-subscribed", JSON.stringify(asked));
    return subscription;
  };
  PushManager.prototype.getSubscription = async function () {
    return sessionStorage.getItem("test-subscribed") ? subscription : null;
  };
})();"""
# The notification shown with this title, as the page's worker registration lists it, if any.
SHOWN = """async (title) => (await (await navigator.serviceWorker.ready).getNotifications())
  .map((shown) => ({ title: shown.title, body: shown.body, tag: shown.tag, url: shown.data.url }))
  .find((shown) => shown.title === title)"""
GONE = f"async (title) => !(await ({SHOWN})(title))"
CLICK = """async (tag) => {
  const [shown] = await self.registration.getNotifications({ tag });
  self.dispatchEvent(new NotificationEvent("notificationclick", { notification: shown }));
}"""


@pytest.fixture
def push_server(demo_database: str, tmp_path: Path) -> Iterator[Server]:
    running = Server(demo_database, tmp_path / "server.log", environment=PUSH_ON)
    try:
        running.start()
        yield running
    finally:
        running.close()


def with_browser_push(phone, answer: str) -> None:  # type: ignore[no-untyped-def]
    keys = {"p256dh": browser_key(), "auth": "q1w2e3r4t5y6u7i8o9p0aA"}
    values = {"endpoint": ENDPOINT, "keys": keys, "answer": answer}
    phone.add_init_script(
        BROWSER_PUSH % {name: json.dumps(value) for name, value in values.items()}
    )


def devices(store: Engine) -> list[tuple[str, str, str]]:
    with store.connect() as connection:
        rows = connection.execute(
            text(
                "SELECT u.email, s.endpoint, s.label FROM push_subscription s "
                "JOIN user_account u ON u.id = s.user_id"
            )
        )
        return [tuple(row) for row in rows]


def test_notifications_are_turned_on_only_after_the_tap_and_the_phone_is_listed(
    make_phone, push_server: Server, store: Engine
) -> None:  # type: ignore[no-untyped-def]
    phone = make_phone(user_agent=ANDROID)
    with_browser_push(phone, "granted")
    sign_in(phone, push_server, "carer@rosewood.demo")
    phone.get_by_role("link", name="Priya Shah").click()

    turn_on = phone.get_by_role("button", name="Turn on notifications on this phone")
    expect(turn_on).to_be_visible()
    assert phone.evaluate("sessionStorage.getItem('test-asked')") is None  # no prompt on load
    assert turn_on.bounding_box()["height"] >= 44
    turn_on.click()

    listed = phone.locator(".action-item", has_text="This phone")
    expect(listed).to_contain_text("Android phone")
    expect(phone.get_by_text("Notifications are on for this phone.")).to_be_visible()
    expect(turn_on).to_be_hidden()
    assert phone.evaluate("sessionStorage.getItem('test-asked')") == "1"
    asked = json.loads(phone.evaluate("sessionStorage.getItem('test-subscribed')"))
    assert asked == {"userVisibleOnly": True, "keyBytes": 65}
    assert devices(store) == [("carer@rosewood.demo", ENDPOINT, "Android phone")]

    listed.get_by_role("button", name="Remove").click()
    phone.wait_for_url("**/account?device_removed=this_phone")
    expect(phone.get_by_text("Device removed")).to_be_visible()
    phone.wait_for_function("sessionStorage.getItem('test-subscribed') === null")  # browser forgot
    # ... and that this person turned notifications on here, so no page subscribes it again
    assert phone.evaluate("localStorage.getItem('shift-push-users')") == "[]"
    assert devices(store) == []

    turn_on.click()  # turned on again: the "removed" notice goes with the address that said so
    expect(listed).to_contain_text("Android phone")
    assert phone.url == f"{push_server.url}/account"
    assert phone.console_errors == []


def test_a_refusal_says_how_to_allow_notifications_and_keeps_nothing(
    phone, push_server: Server, store: Engine
) -> None:  # type: ignore[no-untyped-def]
    with_browser_push(phone, "denied")
    sign_in(phone, push_server, "carer@rosewood.demo")
    phone.goto(f"{push_server.url}/account")
    phone.get_by_role("button", name="Turn on notifications on this phone").click()
    expect(phone.get_by_text("Your browser blocked notifications")).to_be_visible()
    phone.reload()  # the refusal stands on every visit, with no prompt
    expect(phone.get_by_text("Your browser blocked notifications")).to_be_visible()
    assert phone.evaluate("sessionStorage.getItem('test-asked')") == "1"
    assert devices(store) == []
    assert phone.console_errors == []


def test_a_push_always_shows_a_notification_that_opens_its_page(phone, push_server: Server) -> None:  # type: ignore[no-untyped-def]
    phone.context.grant_permissions(["notifications"], origin=push_server.url)
    sign_in(phone, push_server, "carer@rosewood.demo")
    phone.evaluate("navigator.serviceWorker.ready.then(() => true)")
    phone.reload()
    phone.wait_for_function("navigator.serviceWorker.controller !== null")

    devtools = phone.context.new_cdp_session(phone)
    registrations: list[str] = []
    devtools.on(
        "ServiceWorker.workerRegistrationUpdated",
        lambda event: registrations.extend(r["registrationId"] for r in event["registrations"]),
    )
    devtools.send("ServiceWorker.enable")
    while not registrations:
        phone.evaluate("1")  # lets Playwright hand over the events that arrived

    def deliver(data: str) -> None:
        devtools.send(
            "ServiceWorker.deliverPushMessage",
            {"origin": push_server.url, "registrationId": registrations[0], "data": data},
        )

    def shown(title: str) -> dict[str, str]:
        return wait_until(phone, SHOWN, title, name=f"a notification titled {title} is shown")

    message = {"title": "A handover is ready", "body": "Late shift", "url": "/my/actions"}
    deliver(json.dumps({**message, "tag": "handover-1"}))
    assert shown("A handover is ready") == {**message, "tag": "handover-1"}
    deliver("this is not JSON")
    assert shown("Shift Companion")["body"].startswith("Something is waiting for you")
    deliver(json.dumps({"title": "Elsewhere", "url": "https://evil.example/", "tag": "away"}))
    assert shown("Elsewhere")["url"] == "/home"  # never another site

    # A tap (dispatched in the worker: Chromium here shows no notification to tap) closes the
    # notification and brings the open window to its page.
    [worker] = phone.context.service_workers
    worker.evaluate(CLICK, "handover-1")
    phone.wait_for_url("**/my/actions")
    wait_until(phone, GONE, "A handover is ready", name="the tapped notification is closed")
    assert phone.console_errors == []


def test_a_subscription_the_browser_dropped_is_made_again_on_the_next_page(
    make_phone, push_server: Server, store: Engine
) -> None:  # type: ignore[no-untyped-def]
    phone = make_phone(user_agent=ANDROID)
    with_browser_push(phone, "granted")
    sign_in(phone, push_server, "carer@rosewood.demo")
    phone.get_by_role("link", name="Priya Shah").click()
    phone.get_by_role("button", name="Turn on notifications on this phone").click()
    expect(phone.get_by_text("Notifications are on for this phone.")).to_be_visible()
    phone.goto(f"{push_server.url}/home")  # kept current in this tab already: nothing to send
    phone.wait_for_load_state("networkidle")

    phone.evaluate("sessionStorage.removeItem('test-subscribed')")  # the browser dropped it
    with store.begin() as connection:
        connection.execute(text("DELETE FROM push_subscription"))
    is_subscribing = lambda response: (  # noqa: E731
        response.url.endswith("/api/v1/push/subscriptions") and response.request.method == "POST"
    )
    with phone.expect_response(is_subscribing) as subscribed:
        phone.goto(f"{push_server.url}/inbox")
    assert subscribed.value.status == 201
    assert phone.evaluate("sessionStorage.getItem('test-subscribed')") is not None
    assert devices(store) == [("carer@rosewood.demo", ENDPOINT, "Android phone")]
    assert phone.console_errors == []
