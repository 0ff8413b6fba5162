"""A newcomer signs in on a phone-sized Chromium as each demo role and sees their home."""

from __future__ import annotations

import pytest

from app.demo import DEMO_PASSWORD

pytestmark = pytest.mark.browser

HOMES = {
    "carer@rosewood.demo": ["Rosewood House", "Today's focus", "Proactive engagement"],
    "lead@rosewood.demo": ["Rosewood House", "Today's focus", "Your tools", "Shift pattern"],
    "manager@rosewood.demo": ["Rosewood House", "Your tools", "Staff and invitations"],
    "carer@beech.demo": ["Beech Court", "Proactive engagement"],
    "quality@demo.demo": ["Your sites", "Learning themes", "Rosewood House", "Beech Court"],
    "admin@demo.demo": ["Sites", "Learning themes", "Quality leads and admins"],
}

FITS_THE_SCREEN = "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
SMALL_TARGETS = """
() => [...document.querySelectorAll('button, input, select, textarea, summary, .link-list a')]
  .filter((element) => element.offsetParent !== null && element.type !== 'hidden')
  // a radio or checkbox is tapped through its whole labelled row
  .map((element) => (element.closest('.choice, .level-choice') || element).getBoundingClientRect())
  .filter((box) => box.height < 44)
  .length
"""


def sign_in(page, server, email: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{server.url}/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{server.url}/home")


@pytest.mark.parametrize("email", list(HOMES))
def test_each_demo_role_signs_in_and_sees_their_own_home(phone, server, email: str) -> None:  # type: ignore[no-untyped-def]
    sign_in(phone, server, email)
    text = phone.locator("body").inner_text().casefold()
    for expected in HOMES[email]:
        assert expected.casefold() in text
    assert phone.evaluate(FITS_THE_SCREEN)
    assert phone.evaluate(SMALL_TARGETS) == 0
    assert phone.evaluate("typeof window.Alpine") == "object"
    assert phone.console_errors == []


def test_a_carer_does_not_see_the_other_site(phone, server) -> None:  # type: ignore[no-untyped-def]
    sign_in(phone, server, "carer@rosewood.demo")
    assert "Beech Court" not in phone.locator("body").inner_text()


def test_what_good_looks_like_opens_with_a_tap(phone, server) -> None:  # type: ignore[no-untyped-def]
    sign_in(phone, server, "carer@rosewood.demo")
    behaviour = phone.get_by_text("Offers a choice before starting an activity")
    assert not behaviour.is_visible()
    phone.get_by_text("What good looks like").first.tap()
    assert behaviour.is_visible()


def test_pages_fit_at_double_text_size(phone, server) -> None:  # type: ignore[no-untyped-def]
    sign_in(phone, server, "manager@rosewood.demo")
    phone.evaluate("document.documentElement.style.fontSize = '225%'")  # CSSOM: allowed by the CSP
    assert phone.evaluate(FITS_THE_SCREEN)


def test_sign_out_returns_to_sign_in_and_home_is_closed(phone, server) -> None:  # type: ignore[no-untyped-def]
    sign_in(phone, server, "lead@rosewood.demo")
    phone.get_by_role("button", name="Sign out").click()
    phone.wait_for_url(f"{server.url}/login")
    phone.goto(f"{server.url}/home")
    assert phone.url.startswith(f"{server.url}/login")
    assert phone.console_errors == []


def test_a_wrong_password_shows_the_message_on_the_page(phone, server) -> None:  # type: ignore[no-untyped-def]
    phone.goto(f"{server.url}/login")
    phone.get_by_label("Email address").fill("carer@rosewood.demo")
    phone.get_by_label("Password").fill("not the password")
    phone.get_by_role("button", name="Sign in").click()
    assert (
        phone.get_by_role("alert").inner_text().startswith("That email and password do not match")
    )
