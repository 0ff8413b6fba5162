"""A manager on a walk round takes a snapshot of a room on a phone with no signal: taps the
tally, undoes a slip, saves twice in a hurry; back in signal, the snapshot arrives once.

Real Chromium at 360×740, a real server, the real service worker and IndexedDB outbox.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect
from sqlalchemy import Engine, text

from tests.e2e.steps import sign_in, wait_until

pytestmark = pytest.mark.browser

TALLY_KEPT = """async () => {
  const cache = await caches.open("pages");
  return (await cache.keys()).some((request) => request.url.includes("/snapshots/new"));
}"""


def demo_snapshots(store: Engine) -> set[object]:
    with store.connect() as connection:
        return set(connection.execute(text("SELECT id FROM interaction_snapshot")).scalars())


def snapshots(store: Engine, *, besides: set[object]) -> list[tuple[object, ...]]:
    """The snapshots taken in the test: all but the demo's."""
    with store.connect() as connection:
        rows = connection.execute(
            text(
                "SELECT id, location, positive_social, positive_care, neutral,"
                " protective_restrictive, restrictive, minutes FROM interaction_snapshot"
            )
        )
        return [tuple(row)[1:] for row in rows if row.id not in besides]


def tap(page, kind: str, times: int = 1) -> None:  # type: ignore[no-untyped-def]
    for _ in range(times):
        page.locator(f'[data-kind="{kind}"]').click()


def test_a_snapshot_taken_offline_arrives_once(phone, server, store) -> None:  # type: ignore[no-untyped-def]
    demo = demo_snapshots(store)
    sign_in(phone, server, "manager@rosewood.demo")
    phone.evaluate("navigator.serviceWorker.ready.then(() => true)")
    phone.reload()
    phone.wait_for_function("navigator.serviceWorker.controller !== null")
    wait_until(phone, TALLY_KEPT, name="the snapshot tally is kept for no signal")
    phone.context.set_offline(True)

    phone.get_by_role("link", name="Snapshot of a room").click()
    expect(phone.get_by_role("heading", name="Snapshot of a room")).to_be_visible()
    save = phone.get_by_role("button", name="Save snapshot")
    expect(save).to_be_disabled()
    tap(phone, "positive_social", 3)
    tap(phone, "neutral")
    tap(phone, "restrictive")
    phone.get_by_role("button", name="Undo last tap").click()  # the last tap was a slip
    expect(phone.locator('[data-kind="positive_social"] .tally__count')).to_have_text("3")
    expect(phone.locator('[data-kind="restrictive"] .tally__count')).to_have_text("0")
    expect(phone.get_by_role("timer")).to_contain_text("Watching for 0:")
    box = phone.locator('[data-kind="neutral"]').bounding_box()
    assert box["height"] >= 44
    assert box["width"] >= 300
    phone.get_by_label("Room (optional)").fill("Lounge")
    save.dblclick()
    expect(phone.get_by_text("Saved on this phone: snapshot at Rosewood House")).to_be_visible()
    assert snapshots(store, besides=demo) == []

    phone.context.set_offline(False)
    expect(phone.get_by_role("link", name="● All sent")).to_be_visible(timeout=15_000)
    assert snapshots(store, besides=demo) == [("Lounge", 3, 0, 1, 0, 0, 1)]
    no_signal = "ERR_INTERNET_DISCONNECTED"  # what the phone tried while offline, as expected
    assert [error for error in phone.console_errors if no_signal not in error] == []


def test_with_signal_the_snapshot_shows_its_proportions(phone, server, store) -> None:  # type: ignore[no-untyped-def]
    demo = demo_snapshots(store)
    sign_in(phone, server, "manager@rosewood.demo")
    phone.get_by_role("link", name="Snapshot of a room").click()
    tap(phone, "positive_care", 3)
    tap(phone, "protective_restrictive")
    phone.get_by_role("button", name="Save snapshot").click()
    expect(phone.get_by_text("Snapshot saved.")).to_be_visible()
    expect(phone.locator("main")).to_contain_text("75% (3 of 4)")
    bar = phone.locator(".share-bar__part").first.bounding_box()
    assert bar["width"] > 100  # three quarters of the bar, drawn by its class alone
    assert snapshots(store, besides=demo) == [("", 0, 3, 0, 1, 0, 1)]
    assert phone.console_errors == []
