"""On a phone: a manager records an observation of the demo's team lead; the lead signs in,
sees the count on the bell, opens the inbox and taps the notification to land on the feedback."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.steps import observe_with_feedback, sign_in, sign_out

pytestmark = pytest.mark.browser

UNREAD = re.compile(r"Notifications, (\d+) unread")


def unread_on_the_bell(phone) -> int:  # type: ignore[no-untyped-def]
    bell = phone.locator(".app-header__bell")
    expect(bell).to_have_attribute("aria-label", UNREAD)
    found = UNREAD.fullmatch(bell.get_attribute("aria-label") or "")
    assert found
    return int(found[1])


def test_the_lead_is_told_of_feedback_and_opens_it_from_the_inbox(phone, server) -> None:  # type: ignore[no-untyped-def]
    observe_with_feedback(
        phone, server, "Sam Okafor · Team lead", "You asked Ada what she wanted to do first."
    )
    sign_out(phone)

    sign_in(phone, server, "lead@rosewood.demo")
    before = unread_on_the_bell(phone)
    box = phone.locator(".app-header__bell").bounding_box()
    assert box is not None
    assert min(box["width"], box["height"]) >= 44
    phone.locator(".app-header__bell").tap()
    phone.wait_for_url(f"{server.url}/inbox")
    phone.get_by_role("link", name=re.compile("Feedback on your practice is ready")).first.tap()

    phone.wait_for_url(re.compile(r".*/observations/[0-9a-f-]+$"))
    expect(phone.locator("main")).to_contain_text("You asked Ada what she wanted to do first.")
    now_unread = f"Notifications, {before - 1} unread" if before > 1 else "Notifications"
    expect(phone.locator(".app-header__bell")).to_have_attribute("aria-label", now_unread)
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    assert phone.console_errors == []
