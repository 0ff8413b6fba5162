"""Pages a manager uses, at 200 % zoom on a 360 px phone (a 180 px wide viewport): nothing
scrolls sideways, and the shift pattern's time boxes show their whole time."""

from __future__ import annotations

import pytest

from tests.e2e.steps import sign_in

pytestmark = pytest.mark.browser

ZOOMED = {"width": 180, "height": 370}  # 360 × 740 at 200 %
WIDER_THAN_VIEWPORT = """() => [...document.querySelectorAll('body *')]
  .filter((el) => el.getBoundingClientRect().right > document.documentElement.clientWidth + 0.5)
  .map((el) => el.tagName + '.' + el.className + '#' + el.id + ' ' + Math.round(el.getBoundingClientRect().right))"""


def sideways(page) -> dict:  # type: ignore[no-untyped-def]
    return page.evaluate(
        "() => ({scroll: document.documentElement.scrollWidth,"
        " client: document.documentElement.clientWidth})"
    )


def test_the_observation_form_does_not_scroll_sideways_at_200_percent(phone, server) -> None:  # type: ignore[no-untyped-def]
    sign_in(phone, server, "manager@rosewood.demo")
    phone.get_by_role("link", name="Observe practice").tap()
    phone.get_by_label("Proactive engagement").check()
    phone.get_by_role("button", name="Start observing").tap()
    phone.wait_for_url("**/observations/new?*")
    phone.set_viewport_size(ZOOMED)
    widths = sideways(phone)
    assert widths["scroll"] <= widths["client"], phone.evaluate(WIDER_THAN_VIEWPORT)
    assert phone.console_errors == []


CLIPPED_TIME_BOXES = """() => [...document.querySelectorAll('input[type=time]')].filter((box) => {
  const whole = box.cloneNode();  // a time box sized to its own content shows all of it
  whole.style.width = 'auto';
  whole.style.display = 'inline-block';
  box.parentElement.appendChild(whole);
  const needed = whole.getBoundingClientRect().width;
  whole.remove();
  return box.getBoundingClientRect().width + 0.5 < needed;
}).map((box) => box.id)"""


def test_the_shift_patterns_time_boxes_show_the_whole_time(phone, server) -> None:  # type: ignore[no-untyped-def]
    sign_in(phone, server, "manager@rosewood.demo")
    phone.get_by_role("link", name="Shift pattern").tap()
    phone.wait_for_url("**/shifts")
    assert phone.locator("input[type=time]").count() > 0
    assert phone.evaluate(CLIPPED_TIME_BOXES) == []


TARGETS_UNDER_44 = """() => [...document.querySelectorAll('main a, main input, main button')]
  .filter((el) => el.getClientRects().length && el.getBoundingClientRect().height < 44)
  .map((el) => el.tagName + '#' + el.id + ' ' + Math.round(el.getBoundingClientRect().height))"""


def test_a_manager_sets_the_handover_reminder_on_a_phone(phone, server) -> None:  # type: ignore[no-untyped-def]
    """The field and its button are big enough to tap, saving says so, and at 200 % zoom
    nothing scrolls sideways; the strict CSP refuses nothing on the page."""
    sign_in(phone, server, "manager@rosewood.demo")
    phone.get_by_role("link", name="Shift pattern").tap()
    phone.wait_for_url("**/shifts")
    phone.get_by_role("link", name="Handover reminders").tap()
    phone.wait_for_url("**/reminders")
    assert phone.evaluate(TARGETS_UNDER_44) == []
    phone.get_by_label("Remind staff of their handover this many minutes before it starts").fill(
        "45"
    )
    phone.get_by_role("button", name="Save").tap()
    phone.wait_for_url("**/reminders?saved=true")
    saved = "Saved. Staff at Rosewood House are reminded 45 minutes before each handover."
    assert phone.get_by_role("status").filter(has_text=saved).is_visible()
    phone.set_viewport_size(ZOOMED)
    widths = sideways(phone)
    assert widths["scroll"] <= widths["client"], phone.evaluate(WIDER_THAN_VIEWPORT)
    assert phone.console_errors == []
