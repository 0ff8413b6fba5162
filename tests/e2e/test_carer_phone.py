"""What a new care worker met on a 360 × 740 phone, each fixed: a double tap, signing out with
no signal, changing a note just saved, the people below the fold, the level screen under the
Save bar, small targets, a restrictive practice without its reason, the outbox page offline.

Real Chromium, a real server and service worker; no signal is Playwright's offline mode.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import Engine, text

from tests.e2e.steps import (
    notes_by_carer_since_demo,
    ready_for_no_signal,
    record,
    sign_in,
    wait_until,
)

NO_PAGES_KEPT = "async () => !(await caches.keys()).includes('pages')"

pytestmark = pytest.mark.browser

SCREEN_HEIGHT = 740
SMALL_TARGETS = """() => {
  const small = [];
  for (const element of document.querySelectorAll("a[href], button, input, select, textarea, label")) {
    if (element.type === "hidden" || element.closest("template")) continue;
    if (element.tagName === "LABEL" && !["radio", "checkbox"].includes(element.control?.type)) continue;
    if (["radio", "checkbox"].includes(element.type)) continue;  // their label is the target
    const box = element.getBoundingClientRect();
    const shown = box.width > 1 && box.height > 1 && box.right > 0 && box.left < innerWidth;
    if (shown && (box.width < 44 || box.height < 44)) {
      const name = (element.innerText || element.name || "").trim().slice(0, 40);
      small.push(`${element.tagName.toLowerCase()} "${name}" ${Math.round(box.width)}×${Math.round(box.height)}`);
    }
  }
  return small;
}"""
SAME_SITE_PATHS = "all => all.filter((a) => a.origin === location.origin).map((a) => a.pathname)"
OPEN_FOLDS = "document.querySelectorAll('details').forEach((fold) => (fold.open = true))"
ONE_OF_EACH = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def notes_for(store: Engine, person: str) -> list[tuple[int, int]]:
    """(level, revision) of each note for ``person`` written in the test (demo notes have an
    activity)."""
    with store.connect() as connection:
        rows = connection.execute(
            text(
                "SELECT n.level, n.revision FROM engagement_note n "
                "JOIN person_supported p ON p.id = n.person_id "
                "WHERE n.activity = '' AND p.preferred_name = :name"
            ),
            {"name": person},
        )
        return [tuple(row) for row in rows]


def test_a_double_tap_on_save_is_one_note(phone, server, store) -> None:  # type: ignore[no-untyped-def]
    sign_in(phone, server, "carer@rosewood.demo")
    phone.get_by_role("link", name="Ada", exact=True).click()
    phone.get_by_text("3 Chose and connected").click()
    phone.get_by_role("button", name="Save note").dblclick()
    phone.wait_for_url(f"{server.url}/home")
    expect(phone.get_by_role("link", name="● All sent")).to_be_visible(timeout=15_000)
    assert notes_by_carer_since_demo(store) == ["Ada"]


def test_signing_out_with_no_signal_ends_the_session_on_this_phone(phone, server, store) -> None:  # type: ignore[no-untyped-def]
    sign_in(phone, server, "carer@rosewood.demo")
    ready_for_no_signal(phone, server)
    phone.context.set_offline(True)
    phone.get_by_role("button", name="Sign out").click()
    phone.wait_for_url("**/login")
    expect(phone.get_by_role("heading", name="Sign in")).to_be_visible()

    phone.goto(f"{server.url}/home")  # the next person picks up the phone: still no signal
    phone.wait_for_url("**/login")
    expect(phone.get_by_role("heading", name="Sign in")).to_be_visible()
    assert "Ada" not in phone.locator("body").inner_text()
    kept = phone.evaluate("caches.keys()")
    assert "pages" not in kept

    phone.context.set_offline(False)  # signal again: the server is told before anything else
    phone.goto(f"{server.url}/home")
    phone.wait_for_url("**/login*")
    with store.connect() as connection:
        open_sessions = connection.execute(
            text(
                "SELECT count(*) FROM auth_session s JOIN user_account u ON u.id = s.user_id "
                "WHERE u.email = 'carer@rosewood.demo' AND s.revoked_at IS NULL"
            )
        ).scalar_one()
    assert open_sessions == 0
    assert [
        error for error in phone.console_errors if "ERR_INTERNET_DISCONNECTED" not in error
    ] == []


def test_a_sign_in_ended_behind_the_phone_s_back_leaves_no_page_kept(phone, server) -> None:  # type: ignore[no-untyped-def]
    """The sign-out form sent as it is when tapped before the page's scripts run: the server ends
    the sign-in, and the sign-in page it shows has the worker forget the pages kept for it (as
    after a sign-in timed out, or one ended by a password change elsewhere)."""
    sign_in(phone, server, "carer@rosewood.demo")
    ready_for_no_signal(phone, server)  # Ada's note form among the pages kept
    adas_form = phone.get_by_role("link", name="Ada", exact=True).get_attribute("href")
    phone.evaluate("document.querySelector('form[action$=\"/logout\"]').submit()")
    phone.wait_for_url("**/login")
    wait_until(phone, NO_PAGES_KEPT, name="the pages kept for the carer are forgotten")

    phone.context.set_offline(True)  # the next person picks up the phone, with no signal
    phone.goto(adas_form)
    expect(phone.get_by_role("heading", level=1)).not_to_contain_text("Ada")
    assert "Ada" not in phone.locator("body").inner_text()


def test_signing_out_with_unsent_notes_asks_first(phone, server, store) -> None:  # type: ignore[no-untyped-def]
    sign_in(phone, server, "carer@rosewood.demo")
    ready_for_no_signal(phone, server)
    phone.context.set_offline(True)
    record(phone, "Ben", "2 Took part")
    # Answered as it opens: a question left open holds the page, and with it the tap itself.
    phone.once("dialog", lambda dialog: dialog.dismiss())  # "Cancel": they stay signed in
    with phone.expect_event("dialog") as asked:
        phone.get_by_role("button", name="Sign out").click()
    assert "1 record is not sent yet" in asked.value.message
    expect(phone.get_by_role("button", name="Sign out")).to_be_enabled()
    phone.context.set_offline(False)  # they chose to stay: the note goes when there is signal
    expect(phone.get_by_role("link", name="● All sent")).to_be_visible(timeout=15_000)
    assert notes_by_carer_since_demo(store) == ["Ben"]


def test_a_note_still_on_the_phone_is_changed_in_place(phone, server, store) -> None:  # type: ignore[no-untyped-def]
    sign_in(phone, server, "carer@rosewood.demo")
    ready_for_no_signal(phone, server)
    phone.context.set_offline(True)
    record(phone, "Cath", "3 Chose")
    phone.get_by_role("link", name="Change it").click()
    expect(phone.locator("#level-3")).to_be_checked()
    phone.get_by_text("1 Done for").click()
    phone.get_by_role("button", name="Save note").click()
    expect(phone.get_by_text("Saved on this phone: note for Cath")).to_be_visible()
    expect(
        phone.get_by_role("link", name="◐ 1 waiting — will send when there's signal")
    ).to_be_visible()
    phone.context.set_offline(False)
    expect(phone.get_by_role("link", name="● All sent")).to_be_visible(timeout=15_000)
    assert notes_for(store, "Cath") == [(1, 1)]


def test_a_sent_note_is_amended_with_a_reason_from_my_notes_today(phone, server, store) -> None:  # type: ignore[no-untyped-def]
    sign_in(phone, server, "carer@rosewood.demo")
    record(phone, "Dev", "2 Took part")
    expect(phone.get_by_text("Sent: note for Dev")).to_be_visible()
    expect(phone.get_by_role("link", name="Change it")).to_have_attribute(
        "href", re.compile(r"^/notes/[0-9a-f-]+/amend$")
    )
    phone.get_by_role("link", name="My notes today").click()
    newest = phone.locator(".my-note").first  # the demo has an older note of hers for Dev
    expect(newest).to_contain_text("Dev")
    newest.get_by_role("link", name="Change it").click()
    phone.get_by_text("3 Chose and connected").click()
    phone.get_by_label("Why are you changing this note?").fill("Tapped the wrong level.")
    phone.get_by_role("button", name="Save changes").click()
    expect(phone.locator("main")).to_contain_text("Reason: Tapped the wrong level.")
    assert notes_for(store, "Dev") == [(3, 2)]


def test_the_main_task_is_above_the_fold(phone, server) -> None:  # type: ignore[no-untyped-def]
    sign_in(phone, server, "carer@rosewood.demo")
    last_chip = phone.locator(".person-chip").last.bounding_box()
    assert last_chip["y"] + last_chip["height"] <= SCREEN_HEIGHT
    phone.get_by_role("button", name="Sign out").click()
    phone.wait_for_url("**/login")
    sign_in(phone, server, "manager@rosewood.demo")
    observe = phone.get_by_role("link", name="Observe practice").bounding_box()
    assert observe["y"] + observe["height"] <= SCREEN_HEIGHT


def test_all_four_levels_and_save_show_together(phone, server) -> None:  # type: ignore[no-untyped-def]
    sign_in(phone, server, "carer@rosewood.demo")
    phone.get_by_role("link", name="Ada", exact=True).click()
    save = phone.get_by_role("button", name="Save note").bounding_box()
    assert save["y"] + save["height"] <= SCREEN_HEIGHT
    for choice in phone.locator(".level-choice__label").all():
        box = choice.bounding_box()
        assert box["y"] >= 0
        assert box["y"] + box["height"] <= save["y"] - 8, choice.inner_text()


def test_restrictive_practice_asks_for_its_reason_before_saving(phone, server, store) -> None:  # type: ignore[no-untyped-def]
    sign_in(phone, server, "carer@rosewood.demo")
    phone.get_by_role("link", name="Eli", exact=True).click()
    phone.get_by_text("1 Done for").click()
    phone.get_by_text("Restrictive practice", exact=True).click()
    phone.get_by_label("Kept apart from others").check()
    reason = phone.get_by_label("Why was it needed?")
    expect(reason).to_have_attribute("required", "")
    phone.get_by_role("button", name="Save note").click()
    expect(phone.locator("#restrictive_reason-error")).to_contain_text(
        "Say briefly why restrictive practice was used."
    )
    expect(reason).to_be_focused()
    expect(phone.get_by_role("link", name="● All sent")).to_be_visible()
    reason.fill("Eli was frightened by the fire alarm test.")
    phone.get_by_role("button", name="Save note").click()
    expect(phone.get_by_text("Sent: note for Eli")).to_be_visible(timeout=15_000)
    assert notes_by_carer_since_demo(store) == ["Eli"]


def test_the_outbox_page_opens_with_no_signal_without_being_opened_before(phone, server) -> None:  # type: ignore[no-untyped-def]
    sign_in(phone, server, "carer@rosewood.demo")
    ready_for_no_signal(phone, server)
    phone.context.set_offline(True)
    record(phone, "Fay", "2 Took part")
    phone.get_by_role("link", name="◐ 1 waiting — will send when there's signal").click()
    expect(phone.get_by_role("heading", name="Sending from this phone")).to_be_visible()
    expect(phone.locator("main")).to_contain_text("note for Fay")


def small_targets_on_every_page(page, server) -> dict[str, list[str]]:  # type: ignore[no-untyped-def]
    """Follow every link from home (one page of each kind), folds open, and list the targets
    smaller than 44 × 44 px on each."""
    seen: set[str] = set()
    to_visit = ["/home"]
    small = {}
    while to_visit:
        path = to_visit.pop(0)
        kind = ONE_OF_EACH.sub("*", path)
        if kind in seen:
            continue
        seen.add(kind)
        page.goto(f"{server.url}{path}")
        page.evaluate(OPEN_FOLDS)
        if found := page.evaluate(SMALL_TARGETS):
            small[kind] = found
        for href in page.eval_on_selector_all("a[href]", SAME_SITE_PATHS):
            if not href.startswith(("/static/", "/api/")):
                to_visit.append(href)
    assert len(seen) > 4, seen
    return small


@pytest.mark.parametrize("email", ["carer@rosewood.demo", "manager@rosewood.demo"])
def test_every_target_is_at_least_44_px(make_phone, server, email) -> None:  # type: ignore[no-untyped-def]
    phone = make_phone(service_workers="block")
    sign_in(phone, server, email)
    assert small_targets_on_every_page(phone, server) == {}


def test_the_observation_form_targets_are_at_least_44_px(make_phone, server) -> None:  # type: ignore[no-untyped-def]
    phone = make_phone(service_workers="block")
    sign_in(phone, server, "manager@rosewood.demo")
    phone.get_by_role("link", name="Observe practice").click()
    phone.get_by_label("Proactive engagement").check()
    phone.get_by_role("button", name="Start observing").click()
    phone.wait_for_url("**/observations/new?*")
    phone.evaluate(OPEN_FOLDS)
    assert phone.evaluate(SMALL_TARGETS) == []
