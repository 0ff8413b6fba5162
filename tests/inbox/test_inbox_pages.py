"""The inbox over HTTP: the list, newest first with unread marked; opening one marks it read and
goes to its page; mark all as read; someone else's is "not found"; the bell's count on every
page; and the notification settings form, which refuses bad input and changes nothing."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlmodel import Session
from starlette.testclient import TestClient

from app.inbox.models import Kind, Notification, NotificationPreference
from app.inbox.service import notify
from app.org.models import UsualShift
from tests.inbox.helpers import told
from tests.support import START, FrozenClock, World, sign_in


def tell(session: Session, world: World, key: str, title: str, url: str = "/my/actions") -> None:
    notify(
        session,
        users=[world.carer.id],
        kind=Kind.action_assigned,
        title=title,
        url=url,
        source_key=key,
        now=START + timedelta(minutes=len(key)),
    )
    session.commit()


def mine(session: Session, world: World) -> list[Notification]:
    rows = told(session, Kind.action_assigned).get(world.carer.id, [])
    return sorted(rows, key=lambda n: n.created_at)


def bell(page: str) -> str:
    found = re.search(r'class="app-header__bell"[^>]*aria-label="([^"]+)"', page)
    assert found
    return found[1]


def test_the_list_shows_the_newest_first_and_opening_one_marks_it_read(
    client: TestClient, session: Session, world: World, clock: FrozenClock
) -> None:
    tell(session, world, "a", "An action at Rosewood House was given to you")
    tell(session, world, "bb", "Feedback? No: a second action at Rosewood House")
    sign_in(client, world.carer)

    page = client.get("/inbox")
    assert page.status_code == 200
    assert page.text.index("a second action") < page.text.index("was given to you")
    # and the learning focus of their site, told when the world was made
    assert page.text.count("inbox__item--unread") == 3
    assert bell(page.text) == "Notifications, 3 unread"

    first, _second = mine(session, world)
    opened = client.get(f"/inbox/{first.id}/open")
    assert (opened.status_code, opened.headers["location"]) == (303, "/my/actions")
    assert mine(session, world)[0].read_at == clock.now()
    assert bell(client.get("/my/actions").text) == "Notifications, 2 unread"

    assert client.post("/inbox/read").status_code == 303
    assert all(n.read_at is not None for n in mine(session, world))
    assert bell(client.get("/inbox").text) == "Notifications"


def test_someone_elses_notification_is_not_found(
    client: TestClient, session: Session, world: World
) -> None:
    tell(session, world, "a", "An action at Rosewood House was given to you")
    [notification] = mine(session, world)
    sign_in(client, world.colleague)

    assert client.get(f"/inbox/{notification.id}/open").status_code == 404
    client.post("/inbox/read")
    assert mine(session, world)[0].read_at is None
    assert "was given to you" not in client.get("/inbox").text


def test_a_notification_opens_only_a_path_within_the_app(
    client: TestClient, session: Session, world: World
) -> None:
    tell(session, world, "a", "An action at Rosewood House was given to you")
    [notification] = mine(session, world)
    notification.url = "//evil.example/phish"  # as if the store were tampered with
    session.add(notification)
    session.commit()
    sign_in(client, world.carer)

    assert client.get(f"/inbox/{notification.id}/open").headers["location"] == "/inbox"


def settings_form(**overrides: object) -> dict[str, object]:
    return {
        "kinds": ["feedback", "handover_to_acknowledge"],
        "quiet_from": "22:00",
        "quiet_until": "07:00",
        **overrides,
    }


def test_the_settings_form_saves_choices_and_usual_shifts(
    client: TestClient, session: Session, world: World
) -> None:
    sign_in(client, world.carer)
    page = client.get("/account/notifications")
    assert page.status_code == 200
    assert "Feedback on my practice" in page.text
    assert "Late shift" in page.text

    late = f"{world.site.id}:Late"
    saved = client.post("/account/notifications", data=settings_form(usual_shifts=[late]))
    assert saved.status_code == 303

    session.expire_all()
    preference = session.get_one(NotificationPreference, world.carer.id)
    assert Kind.action_assigned.value in preference.kinds_off
    assert Kind.feedback.value not in preference.kinds_off
    assert (preference.quiet_from.hour, preference.quiet_until.hour) == (22, 7)  # type: ignore[union-attr]
    assert session.get(UsualShift, (world.carer.id, world.site.id, "Late")) is not None
    shown = client.get(saved.headers["location"]).text
    assert "Your notification settings are saved." in shown
    assert 'value="22:00"' in shown


def test_the_settings_form_refuses_bad_input_and_changes_nothing(
    client: TestClient, session: Session, world: World
) -> None:
    sign_in(client, world.carer)
    beech = f"{world.other_site.id}:Late"  # a shift at a site they do not work at
    for bad, field in [
        (settings_form(quiet_until=""), "quiet_until"),
        (settings_form(quiet_from="25:00"), "quiet_from"),
        (settings_form(quiet_until="22:00"), "quiet_until"),
        (settings_form(kinds=["gossip"]), "kinds"),
        (settings_form(usual_shifts=[beech]), "usual_shifts"),
    ]:
        refused = client.post("/account/notifications", data=bad)
        assert refused.status_code == 422, bad
        assert f'href="#{field}' in refused.text, field
    session.expire_all()
    assert session.get(NotificationPreference, world.carer.id) is None
    assert session.get(UsualShift, (world.carer.id, world.other_site.id, "Late")) is None


def test_the_account_page_links_to_the_settings(client: TestClient, world: World) -> None:
    sign_in(client, world.carer)
    assert '/account/notifications"' in client.get("/account").text
