"""Governance on a phone, on the demo with its twelve weeks of history and the governance check
run (as ``make run`` leaves it): a manager answers "is it embedded on nights?" and resolves a
drift alert; a quality lead confirms the proposed move. 360 × 740, and at 200 % zoom nothing
scrolls sideways."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import expect
from sqlmodel import Session

from app.auth.passwords import Passwords
from app.db import make_engine
from app.demo import load_demo_data
from app.governance.check import check_everywhere
from tests.conftest import settings_for
from tests.e2e.steps import sign_in
from tests.e2e.test_carer_phone import SMALL_TARGETS
from tests.e2e.test_zoom_and_fields import WIDER_THAN_VIEWPORT, ZOOMED, sideways

pytestmark = pytest.mark.browser


@pytest.fixture
def demo_database(database_url: str) -> str:
    """The demo with twelve weeks of history, then the governance check, as ``make run``."""
    settings = settings_for(database_url, demo_mode=True)
    engine = make_engine(database_url)
    now = datetime.now(UTC)
    with Session(engine) as session:
        load_demo_data(
            session, settings=settings, passwords=Passwords(settings), now=now, history_weeks=12
        )
        check_everywhere(session, now=now)
        session.commit()
    engine.dispose()
    return database_url


def no_sideways_scroll(page) -> None:  # type: ignore[no-untyped-def]
    widths = sideways(page)
    assert widths["scroll"] <= widths["client"], page.evaluate(WIDER_THAN_VIEWPORT)


def test_a_manager_sees_nights_drift_and_resolves_the_alert(phone, server) -> None:  # type: ignore[no-untyped-def]
    sign_in(phone, server, "manager@rosewood.demo")
    phone.get_by_role("link", name="How learning is embedding").tap()
    expect(phone.get_by_role("heading", name="Drift alerts")).to_be_visible()
    night = phone.locator(".shift-line", has_text="Night").first
    expect(night).to_be_visible()
    no_sideways_scroll(phone)

    phone.locator(".flag a").first.tap()
    expect(phone.get_by_role("heading", name="Drift alert")).to_be_visible()
    phone.get_by_role("button", name="I've seen it — we're looking into it").tap()
    expect(phone.get_by_text("by Jo Bennett")).to_be_visible()
    phone.get_by_role("button", name="Resolve the alert").tap()
    expect(phone.get_by_text("Say how it was resolved")).to_be_visible()
    phone.get_by_label("How was it resolved?").fill("Observed two nights; talked it through.")
    phone.get_by_role("button", name="Resolve the alert").tap()
    expect(phone.get_by_text("Observed two nights; talked it through.")).to_be_visible()

    phone.get_by_role("link", name="See the chart").tap()
    expect(phone.locator(".spc-chart").first).to_be_visible()
    phone.set_viewport_size(ZOOMED)
    no_sideways_scroll(phone)
    refused_once = "the server responded with a status of 422"  # the empty resolution, shown again
    assert [error for error in phone.console_errors if refused_once not in error] == []


def test_a_quality_lead_confirms_the_move_the_evidence_supports(phone, server) -> None:  # type: ignore[no-untyped-def]
    sign_in(phone, server, "quality@demo.demo")
    phone.get_by_role("link", name="Learning themes across sites").tap()
    expect(phone.get_by_role("heading", name="Learning themes across sites")).to_be_visible()
    no_sideways_scroll(phone)
    phone.get_by_role("link", name="Proactive engagement: embedding → embedded").tap()
    expect(phone.get_by_role("heading", name="The evidence")).to_be_visible()
    phone.get_by_text("Confirm: move it to embedded").tap()
    phone.get_by_label("Why?").fill("Held on every shift at both sites.")
    phone.get_by_role("button", name="Record the decision").tap()
    expect(phone.get_by_text("Held on every shift at both sites.")).to_be_visible()
    phone.get_by_role("link", name="The theme and its history").tap()
    expect(phone.get_by_text("Embedded").first).to_be_visible()
    assert phone.console_errors == []


def test_the_quality_meeting_records_a_decision_with_an_owner(phone, server) -> None:  # type: ignore[no-untyped-def]
    sign_in(phone, server, "manager@rosewood.demo")
    phone.get_by_role("link", name="Quality meeting").first.tap()
    expect(phone.get_by_role("heading", name="6. Decisions this week")).to_be_visible()
    phone.get_by_role("button", name="Record the decision").tap()
    expect(phone.get_by_text("Say what was decided: what needs doing.").first).to_be_visible()
    phone.get_by_label("What was decided").fill("Observe two night shifts before Friday")
    phone.get_by_label("Who will do it").select_option(label="Jo Bennett (Manager)")
    due = (datetime.now(UTC).date() + timedelta(days=7)).isoformat()
    phone.get_by_label("Due by").fill(due)
    phone.get_by_label("Learning theme (optional)").select_option(label="Proactive engagement")
    phone.get_by_role("button", name="Record the decision").tap()
    expect(phone.get_by_text("Decision recorded: Observe two night shifts")).to_be_visible()
    minutes = phone.locator("section", has=phone.get_by_role("heading", name="6. Decisions"))
    expect(minutes).to_contain_text("Observe two night shifts before Friday")
    expect(minutes).to_contain_text("Proactive engagement")
    assert phone.evaluate(SMALL_TARGETS) == []
    no_sideways_scroll(phone)
    phone.set_viewport_size(ZOOMED)
    no_sideways_scroll(phone)

    phone.goto(f"{server.url}/my/actions")
    expect(phone.get_by_text("Observe two night shifts before Friday", exact=True)).to_be_visible()
    expect(phone.get_by_role("link", name="from the quality meeting").first).to_be_visible()
    refused_once = "the server responded with a status of 422"  # the empty decision, shown again
    assert [error for error in phone.console_errors if refused_once not in error] == []


def test_a_lead_of_several_sites_chooses_the_site_then_its_staff(phone, server) -> None:  # type: ignore[no-untyped-def]
    sign_in(phone, server, "quality@demo.demo")
    phone.goto(f"{server.url}/governance/meeting")
    phone.get_by_label("For which site").select_option(label="Beech Court")
    phone.get_by_role("button", name="Next: who will do it").tap()
    expect(phone.get_by_role("heading", name="Record a decision for Beech Court")).to_be_visible()
    owners = phone.get_by_label("Who will do it").locator("option").all_inner_texts()
    assert "Dana Fox (Manager)" in owners
    assert not any("Jo Bennett" in owner for owner in owners)  # Rosewood's manager
    assert phone.evaluate(SMALL_TARGETS) == []
    no_sideways_scroll(phone)
    phone.get_by_role("link", name="Choose another site").tap()
    expect(phone.get_by_label("For which site")).to_be_visible()
    assert phone.console_errors == []


def test_a_manual_move_shows_the_evidence_beside_it(phone, server) -> None:  # type: ignore[no-untyped-def]
    sign_in(phone, server, "quality@demo.demo")
    phone.goto(f"{server.url}/themes")
    phone.get_by_role("link", name="Proactive engagement").first.tap()
    phone.get_by_text("Embedded: how we do things here").tap()
    phone.get_by_label("Reason").fill("Held on every shift at both sites.")
    phone.get_by_role("button", name="Move theme").tap()
    expect(phone.get_by_role("heading", name="The evidence at each site")).to_be_visible()
    expect(phone.locator(".meeting-item").first).to_contain_text("weeks on target on every shift")
    assert phone.evaluate(SMALL_TARGETS) == []
    no_sideways_scroll(phone)
    phone.get_by_role("button", name="Move to embedded").tap()
    expect(phone.get_by_text("moved with the evidence").first).to_be_visible()
    assert phone.console_errors == []
