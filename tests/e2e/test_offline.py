"""Walk into a room with no signal, record, walk out: everything arrives once.

Real Chromium at a phone's size, a real server, the real service worker and IndexedDB outbox.
Network trouble is made with Playwright (offline mode, and a sync endpoint that fails or drops
the connection after the server has committed); waiting is on conditions, never on time.
"""

from __future__ import annotations

import uuid

import pytest
from playwright.sync_api import Route, expect
from sqlalchemy import Engine, text

from tests.e2e.steps import notes_by_carer_since_demo, ready_for_no_signal, record, sign_in

pytestmark = pytest.mark.browser

NO_SYNC_MANAGER = "delete window.SyncManager; delete ServiceWorkerRegistration.prototype.sync;"


def test_three_notes_offline_survive_a_reload_and_arrive_once(phone, server, store) -> None:  # type: ignore[no-untyped-def]
    sign_in(phone, server, "carer@rosewood.demo")
    ready_for_no_signal(phone, server)
    phone.context.set_offline(True)
    for person, level in (("Ada", "3 Chose"), ("Ben", "1 Done for"), ("Cath", "2 Took part")):
        record(phone, person, level)
    expect(phone.get_by_text("Saved on this phone: note for Cath")).to_be_visible()
    phone.reload()  # still no signal: the app opens from the phone
    expect(
        phone.get_by_role("link", name="◐ 3 waiting — will send when there's signal")
    ).to_be_visible()
    assert notes_by_carer_since_demo(store) == []
    phone.context.set_offline(False)
    expect(phone.get_by_role("link", name="● All sent")).to_be_visible(timeout=15_000)
    assert notes_by_carer_since_demo(store) == ["Ada", "Ben", "Cath"]
    with store.connect() as connection:  # each keeps the moment it was written on the phone
        moments = connection.execute(
            text("SELECT occurred_at, recorded_at FROM engagement_note WHERE activity = ''")
        ).all()
    assert all(occurred_at < recorded_at for occurred_at, recorded_at in moments)


def test_a_flaky_connection_loses_nothing_and_doubles_nothing(make_phone, server, store) -> None:  # type: ignore[no-untyped-def]
    phone = make_phone(service_workers="block")
    attempts = []

    def flaky(route: Route) -> None:
        attempts.append(route.request.url)
        if len(attempts) == 1:
            route.fulfill(status=500, body="server error")
        elif len(attempts) == 2:
            route.fetch()  # the server commits ...
            route.abort("connectionreset")  # ... but the answer never reaches the phone
        else:
            route.continue_()

    phone.route("**/api/v1/sync", flaky)
    sign_in(phone, server, "carer@rosewood.demo")
    record(phone, "Dev", "2 Took part")
    record(phone, "Eli", "3 Chose")
    expect(phone.get_by_role("link", name="● All sent")).to_be_visible(timeout=30_000)
    assert len(attempts) >= 3
    assert notes_by_carer_since_demo(store) == ["Dev", "Eli"]


def test_an_item_the_server_refuses_waits_in_needs_attention(phone, server, store) -> None:  # type: ignore[no-untyped-def]
    sign_in(phone, server, "carer@rosewood.demo")
    ready_for_no_signal(phone, server)
    phone.context.set_offline(True)
    record(phone, "Fay", "2 Took part")
    with store.begin() as connection:  # meanwhile, Fay moves out
        connection.execute(
            text("UPDATE person_supported SET active = false WHERE preferred_name = 'Fay'")
        )
    phone.context.set_offline(False)
    status = phone.get_by_role("link", name="▲ 1 needs attention")
    expect(status).to_be_visible(timeout=15_000)
    status.click()
    expect(phone.locator("main")).to_contain_text("Choose someone supported at your site.")
    phone.once("dialog", lambda dialog: dialog.accept())
    phone.get_by_role("button", name="Discard").click()
    expect(
        phone.get_by_text("Everything you recorded on this phone has been sent.")
    ).to_be_visible()
    assert notes_by_carer_since_demo(store) == []


def test_a_refused_note_is_changed_and_sent_again(phone, server, store) -> None:  # type: ignore[no-untyped-def]
    sign_in(phone, server, "carer@rosewood.demo")
    ready_for_no_signal(phone, server)
    phone.context.set_offline(True)
    phone.get_by_role("link", name="Hal", exact=True).click()
    phone.get_by_text("3 Chose").click()
    phone.get_by_text("What were they doing?").click()
    phone.get_by_label("Activity", exact=True).fill("Planting bulbs")
    phone.get_by_text("When, and learning theme").click()
    phone.get_by_label("Proactive engagement").check()
    phone.get_by_role("button", name="Save note").click()
    expect(phone.get_by_text("Saved on this phone: note for Hal")).to_be_visible()
    with store.begin() as connection:  # meanwhile, the theme the note was tagged with is embedded
        connection.execute(text("UPDATE learning_theme SET status = 'embedded'"))
    phone.context.set_offline(False)
    status = phone.get_by_role("link", name="▲ 1 needs attention")
    expect(status).to_be_visible(timeout=15_000)
    status.click()
    phone.get_by_role("button", name="Change it").click()
    expect(phone.get_by_role("alert")).to_contain_text(
        "Choose a learning theme active at this site."
    )
    expect(phone.get_by_label("Activity", exact=True)).to_have_value("Planting bulbs")
    expect(phone.locator("#level-3")).to_be_checked()
    phone.get_by_role("button", name="Save note").click()
    expect(phone.get_by_role("link", name="● All sent")).to_be_visible(timeout=15_000)
    with store.connect() as connection:
        saved = connection.execute(
            text("SELECT level, theme_id FROM engagement_note WHERE activity = 'Planting bulbs'")
        ).all()
    assert [tuple(row) for row in saved] == [(3, None)]


def test_without_background_sync_notes_are_still_sent(make_phone, server, store) -> None:  # type: ignore[no-untyped-def]
    phone = make_phone()
    phone.context.add_init_script(NO_SYNC_MANAGER)
    sign_in(phone, server, "carer@rosewood.demo")
    assert phone.evaluate("typeof window.SyncManager") == "undefined"
    ready_for_no_signal(phone, server)
    phone.context.set_offline(True)
    record(phone, "Gus", "1 Done for")
    phone.context.set_offline(False)
    expect(phone.get_by_role("link", name="● All sent")).to_be_visible(timeout=15_000)
    assert notes_by_carer_since_demo(store) == ["Gus"]


def rosewood_person_ids(store: Engine) -> list[str]:
    with store.connect() as connection:
        rows = connection.execute(
            text(
                "SELECT p.id FROM person_supported p JOIN site s ON s.id = p.site_id "
                "WHERE s.name = 'Rosewood House'"
            )
        )
        return [str(uuid.UUID(str(row[0]))) for row in rows]


def set_active(store: Engine, name: str, active: bool) -> None:
    with store.begin() as connection:
        connection.execute(
            text("UPDATE person_supported SET active = :active WHERE preferred_name = :name"),
            {"active": active, "name": name},
        )


def test_the_next_person_on_a_shared_phone_sees_nothing_of_the_last(phone, server, store) -> None:  # type: ignore[no-untyped-def]
    sign_in(phone, server, "carer@rosewood.demo")
    ready_for_no_signal(phone, server)
    phone.context.set_offline(True)
    record(phone, "Hal", "3 Chose")
    set_active(store, "Hal", False)  # the server will refuse it: it cannot be sent yet
    phone.context.set_offline(False)
    expect(phone.get_by_role("link", name="▲ 1 needs attention")).to_be_visible(timeout=15_000)
    warnings = []
    phone.once("dialog", lambda dialog: (warnings.append(dialog.message), dialog.accept()))
    phone.get_by_role("button", name="Sign out").click()
    phone.wait_for_url("**/login")
    assert "1 record is not sent yet" in warnings[0]

    sign_in(phone, server, "carer@beech.demo")
    expect(phone.get_by_role("link", name="● All sent")).to_be_visible()
    kept = phone.evaluate(
        "caches.open('pages').then((c) => c.keys()).then((k) => k.map((r) => r.url))"
    )
    rosewood_people = {"Ada", "Ben", "Cath", "Dev", "Eli", "Fay", "Gus", "Hal"}
    assert not rosewood_people & set(phone.locator("body").inner_text().split())
    assert (
        all("/people/" not in url for url in kept)
        or phone.evaluate("document.body.dataset.userId") != ""
    )
    phone.goto(f"{server.url}/outbox")
    expect(
        phone.get_by_text("Everything you recorded on this phone has been sent.")
    ).to_be_visible()
    phone.get_by_role("button", name="Sign out").click()
    phone.wait_for_url("**/login")

    sign_in(phone, server, "carer@rosewood.demo")  # the first person is back: their note waits
    set_active(store, "Hal", True)
    phone.get_by_role("link", name="▲ 1 needs attention").click()
    phone.get_by_role("button", name="Try again").click()
    expect(
        phone.get_by_text("Everything you recorded on this phone has been sent.")
    ).to_be_visible()
    assert notes_by_carer_since_demo(store) == ["Hal"]


def count_rows(store: Engine, table: str) -> int:
    with store.connect() as connection:
        return connection.execute(text(f"SELECT count(*) FROM {table}")).scalar_one()  # noqa: S608


def test_an_observation_written_with_no_signal_arrives_once(phone, server, store) -> None:  # type: ignore[no-untyped-def]
    sign_in(phone, server, "manager@rosewood.demo")
    phone.get_by_role("link", name="Observe practice").click()
    phone.get_by_label("De-escalation before restriction").check()
    phone.get_by_role("button", name="Start observing").click()
    phone.wait_for_url("**/observations/new?*")
    phone.wait_for_function("navigator.serviceWorker.controller !== null")
    phone.context.set_offline(True)
    for behaviour in phone.locator(".rating-choices").all():
        behaviour.get_by_label("In part", exact=True).check()
    phone.get_by_label("What went well").fill("Calm voice with Ben.")
    phone.get_by_role("button", name="Save observation").click()
    expect(phone.get_by_text("Saved on this phone: observation: De-escalation")).to_be_visible()
    assert count_rows(store, "observation") == 0
    phone.context.set_offline(False)
    expect(phone.get_by_role("link", name="● All sent")).to_be_visible(timeout=15_000)
    assert count_rows(store, "observation") == 1
    assert count_rows(store, "observation_rating") == 5


def test_a_refused_observation_is_changed_and_sent_again(phone, server, store) -> None:  # type: ignore[no-untyped-def]
    sign_in(phone, server, "manager@rosewood.demo")
    phone.get_by_role("link", name="Observe practice").click()
    phone.get_by_label("De-escalation before restriction").check()
    phone.get_by_role("button", name="Start observing").click()
    phone.wait_for_url("**/observations/new?*")
    phone.wait_for_function("navigator.serviceWorker.controller !== null")
    phone.context.set_offline(True)
    phone.get_by_label("Staff observed (optional)").select_option(label="Priya Shah · Care worker")
    for behaviour in phone.locator(".rating-choices").all():
        behaviour.get_by_label("In part", exact=True).check()
    phone.get_by_label("What went well").fill("Calm voice with Ben.")
    phone.get_by_role("button", name="Save observation").click()
    expect(phone.get_by_text("Saved on this phone: observation: De-escalation")).to_be_visible()
    with store.begin() as connection:  # meanwhile, Priya moves to Beech Court
        connection.execute(
            text(
                "UPDATE membership SET site_id = (SELECT id FROM site WHERE name = 'Beech Court') "
                "WHERE user_id = (SELECT id FROM user_account WHERE name = 'Priya Shah')"
            )
        )
    phone.context.set_offline(False)
    status = phone.get_by_role("link", name="▲ 1 needs attention")
    expect(status).to_be_visible(timeout=15_000)
    status.click()
    phone.get_by_role("button", name="Change it").click()
    expect(phone.get_by_role("alert")).to_contain_text("Choose someone who works at this site.")
    expect(phone.get_by_label("What went well")).to_have_value("Calm voice with Ben.")
    for behaviour in phone.locator(".rating-choices").all():
        expect(behaviour.get_by_label("In part", exact=True)).to_be_checked()
    phone.get_by_role("button", name="Save observation").click()
    expect(phone.get_by_role("link", name="● All sent")).to_be_visible(timeout=15_000)
    assert count_rows(store, "observation") == 1
    assert count_rows(store, "observation_rating") == 5
