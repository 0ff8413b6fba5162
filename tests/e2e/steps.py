"""What a person does on the phone in several journeys: sign in, sign out, get ready for no
signal, record a note; and what the store then holds."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import expect
from sqlalchemy import Engine, text

from app.demo import DEMO_PASSWORD

# Polls an async check in the page (or a worker) until it gives something truthy, and gives that.
# Playwright's wait_for_function cannot: it takes the promise an async check returns as truthy
# at once, and so waits for nothing.
UNTIL = """async ({{ arg, timeout }}) => {{
  const check = {check};
  const deadline = Date.now() + timeout;
  for (;;) {{
    const value = await check(arg);
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`still not so after ${{timeout}} ms: {name}`);
    await new Promise((settle) => setTimeout(settle, 25));
  }}
}}"""

PAGES_KEPT = """async (count) => {
  const cache = await caches.open("pages");
  return (await cache.keys()).filter((request) => request.url.includes("/notes/new")).length >= count;
}"""


def wait_until(
    where: Any, check: str, arg: object = None, *, name: str, timeout: int = 30_000
) -> Any:
    """Wait until the async JavaScript ``check`` holds in ``where`` (a page or a service
    worker), and give what it returned."""
    polling = UNTIL.format(check=check, name=name.replace("`", "'"))
    return where.evaluate(polling, {"arg": arg, "timeout": timeout})


def ready_for_no_signal(page, server) -> None:  # type: ignore[no-untyped-def]
    """Wait until the service worker controls the page and has kept the note forms."""
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.reload()
    page.wait_for_function("navigator.serviceWorker.controller !== null")
    wait_until(page, PAGES_KEPT, 8, name="the note forms are kept for no signal")


def record(page, person: str, level: str) -> None:  # type: ignore[no-untyped-def]
    page.get_by_role("link", name=person, exact=True).click()
    page.get_by_text(level).click()
    page.get_by_role("button", name="Save note").click()
    expect(page.get_by_text(f"note for {person}")).to_be_visible()


def notes_by_carer_since_demo(store: Engine) -> list[str]:
    """Notes the care worker recorded in the test (the demo's six came first)."""
    with store.connect() as connection:
        rows = connection.execute(
            text(
                "SELECT p.preferred_name FROM engagement_note n "
                "JOIN person_supported p ON p.id = n.person_id "
                "WHERE n.activity = '' ORDER BY p.preferred_name"
            )
        )
        return [row[0] for row in rows]


def sign_in(page, server, email: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{server.url}/login")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{server.url}/home")


def sign_out(page) -> None:  # type: ignore[no-untyped-def]
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/login")


def observe_with_feedback(page, server, staff: str, went_well: str) -> None:  # type: ignore[no-untyped-def]
    """A manager observes ``staff`` (as the staff list names them) on proactive engagement,
    everything seen, and saves the feedback."""
    sign_in(page, server, "manager@rosewood.demo")
    page.get_by_role("link", name="Observe practice").tap()
    page.get_by_label("Proactive engagement").check()
    page.get_by_label("Staff observed (optional)").select_option(label=staff)
    page.get_by_role("button", name="Start observing").tap()
    page.wait_for_url("**/observations/new?*")
    for behaviour in page.locator(".rating-choices").all():
        behaviour.get_by_label("Seen", exact=True).check()
    page.get_by_label("Yes", exact=True).check()
    page.get_by_label("What went well").fill(went_well)
    page.get_by_label("One next step").fill("Let Ada start the next step herself.")
    page.get_by_role("button", name="Save observation").tap()
    expect(page.locator("main")).to_contain_text("100%")
