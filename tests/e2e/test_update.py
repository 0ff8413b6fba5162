"""A new release reaches a phone without pulling a half-filled form from under someone.

The server is really redeployed (stopped, and started again on the same port and store with a
new release label), so the phone's service worker sees a new script, as it would after an upgrade.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.steps import sign_in, wait_until

pytestmark = pytest.mark.browser

SHELL_CACHES = """async () =>
  (await caches.keys()).filter((name) => name.startsWith("shell-")).sort()"""
ONE_SHELL_BUT = """async (old) => {
  const shells = (await caches.keys()).filter((name) => name.startsWith("shell-"));
  return shells.length === 1 && shells[0] !== old;
}"""
# What the browser does on its own after navigations and what the app does when it is opened
# again: ask whether /sw.js has changed.
CHECK_FOR_UPDATE = "navigator.serviceWorker.getRegistration().then((r) => r.update())"


def test_a_new_release_waits_for_update_then_replaces_the_old_shell(phone, server) -> None:  # type: ignore[no-untyped-def]
    sign_in(phone, server, "carer@rosewood.demo")
    phone.evaluate("navigator.serviceWorker.ready.then(() => true)")
    phone.reload()
    phone.wait_for_function("navigator.serviceWorker.controller !== null")
    [old_shell] = phone.evaluate(SHELL_CACHES)

    phone.get_by_role("link", name="Ada", exact=True).click()
    phone.get_by_text("2 Took part").click()
    form_url = phone.url
    server.redeploy(release="second")
    phone.evaluate(CHECK_FOR_UPDATE)

    banner = phone.get_by_text("A new version of Shift Companion is ready.")
    expect(banner).to_be_visible(timeout=15_000)
    assert phone.url == form_url
    expect(phone.locator("#level-2")).to_be_checked()  # nothing reloaded under the form
    shells = phone.evaluate(SHELL_CACHES)  # the new shell is ready; the old one still runs
    assert len(shells) == 2
    assert old_shell in shells

    with phone.expect_event("load"):  # the page loads again under the new release
        phone.get_by_role("button", name="Update").click()
    wait_until(phone, ONE_SHELL_BUT, old_shell, name="only the new release's shell is kept")
    expect(banner).to_be_hidden()
    phone.wait_for_function("navigator.serviceWorker.controller !== null")
