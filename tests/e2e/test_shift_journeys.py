"""The three point-of-care jobs on a phone-sized Chromium, from the demo data: a care worker
records a note in three taps, a team lead runs a handover that the care worker acknowledges,
and a manager observes the care worker, who reads the feedback and reflects."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.steps import observe_with_feedback, sign_in, sign_out

pytestmark = pytest.mark.browser


def test_a_care_worker_records_a_note_in_three_taps(phone, server) -> None:  # type: ignore[no-untyped-def]
    sign_in(phone, server, "carer@rosewood.demo")
    phone.get_by_role("link", name="Ada", exact=True).tap()  # 1
    phone.get_by_text("3 Chose and connected").tap()  # 2
    phone.get_by_role("button", name="Save note").tap()  # 3
    phone.wait_for_url(f"{server.url}/home")
    expect(phone.get_by_text("Sent: note for Ada")).to_be_visible()
    expect(phone.get_by_role("link", name="● All sent")).to_be_visible()
    phone.goto(f"{server.url}/home")
    phone.get_by_role("link", name="Ada", exact=True).click()
    phone.goto(phone.url.replace("/notes/new", ""))
    expect(phone.locator("main")).to_contain_text("3 Chose and connected")
    assert phone.console_errors == []


def test_a_lead_runs_a_handover_and_the_care_worker_acknowledges_it(phone, server) -> None:  # type: ignore[no-untyped-def]
    sign_in(phone, server, "lead@rosewood.demo")
    phone.get_by_role("link", name="Run a handover").tap()
    phone.get_by_role("button", name="Start handover").tap()
    phone.wait_for_url("**/handovers/*")
    assert (
        "Baking scones" in phone.locator("main").inner_text()
    )  # built from the last shift's notes
    prompt = phone.locator(".handover-prompt", has_text="meaningful moment")
    prompt.get_by_label("Discussed", exact=True).check()
    prompt.get_by_label("What was said, or why not").fill(
        "Ada chose the recipe; Eli chose the music."
    )
    prompt.get_by_role("button", name="Save answer").tap()
    expect(phone.locator("main")).to_contain_text("Ada chose the recipe")
    phone.get_by_role("button", name="Complete handover").tap()
    expect(phone.locator("main")).to_contain_text("have not been handed over yet")
    phone.get_by_role("button", name="Complete without them").tap()
    expect(phone.locator("main")).to_contain_text("Completed")
    sign_out(phone)

    sign_in(phone, server, "carer@rosewood.demo")
    phone.get_by_role("button", name="I’ve received this handover").tap()
    expect(phone.locator("main")).to_contain_text("You acknowledged the handover at")
    assert phone.console_errors == []


def test_a_manager_observes_and_the_care_worker_reflects(phone, server) -> None:  # type: ignore[no-untyped-def]
    observe_with_feedback(
        phone, server, "Priya Shah · Care worker", "You offered Ada two activities and waited."
    )
    sign_out(phone)

    sign_in(phone, server, "carer@rosewood.demo")
    phone.get_by_role("link", name="Feedback for you").tap()
    expect(phone.locator("main")).to_contain_text("You offered Ada two activities")
    phone.get_by_role("link", name="Proactive engagement").first.tap()
    phone.get_by_label("Your reflection").fill("I will wait longer before helping.")
    phone.get_by_role("button", name="Save reflection").tap()
    expect(phone.locator("main")).to_contain_text("I will wait longer before helping.")
    assert phone.console_errors == []
