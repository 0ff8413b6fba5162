"""A site's handover reminder page: those who manage the site's shift pattern choose how many
minutes before each handover its incoming staff are reminded, and ``send_reminders`` keeps to
it; anyone else is refused, another organisation's site is not found, and a wrong number is
shown again beside the field with nothing saved."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlmodel import Session, func, select
from starlette.testclient import TestClient

from app.audit.models import AuditEvent
from app.auth.passwords import Passwords
from app.config import Settings
from app.inbox.models import Kind
from app.org.models import Site
from app.reminders.service import send_reminders
from tests.inbox.helpers import told, usually_works
from tests.support import World, sign_in
from tests.theme.helpers import build_other_organisation

CHANGED = "set_handover_reminder"  # the audit event of a change
LABEL = "Remind staff of their handover this many minutes before it starts"


def page(world: World) -> str:
    return f"/sites/{world.site.id}/reminders"


def saved_minutes(session: Session, site_id: object) -> int | None:
    session.expire_all()
    return session.get_one(Site, site_id).handover_reminder_minutes


def reminder_changes(session: Session) -> int:
    query = select(func.count()).select_from(AuditEvent).where(AuditEvent.action == CHANGED)
    return session.exec(query).one()


def test_a_manager_sets_the_minutes_and_sees_them_saved(
    client: TestClient, session: Session, world: World
) -> None:
    sign_in(client, world.manager)
    assert f'href="http://testserver{page(world)}"' in client.get(f"/sites/{world.site.id}").text
    form = client.get(page(world))
    assert form.status_code == 200
    assert f'<label class="field__label" for="minutes">{LABEL}</label>' in form.text
    assert 'name="minutes" type="number" value=""' in form.text  # the site follows the usual
    assert "A whole number from 5 to 240. Leave it empty for the usual time, 30 minutes." in (
        form.text
    )

    saved = client.post(page(world), data={"minutes": "45"})
    assert saved.status_code == 303
    shown = client.get(saved.headers["location"])
    assert "Saved. Staff at Rosewood House are reminded 45 minutes before each handover." in (
        shown.text
    )
    assert 'name="minutes" type="number" value="45"' in shown.text
    assert saved_minutes(session, world.site.id) == 45
    assert saved_minutes(session, world.other_site.id) is None
    event = session.exec(select(AuditEvent).where(AuditEvent.action == CHANGED)).one()
    assert (event.actor_id, event.summary) == (world.manager.id, "minutes=45")


def test_the_saved_minutes_time_the_sites_reminders(
    client: TestClient, session: Session, world: World, settings: Settings
) -> None:
    sign_in(client, world.manager)
    assert client.post(page(world), data={"minutes": "90"}).status_code == 303
    usually_works(session, world, "colleague", "Night")
    evening = datetime(2026, 12, 1, 19, 29, tzinfo=UTC)  # the night shift starts at 21:00
    session.expire_all()  # read the site as the page saved it, as the worker's own session does

    assert send_reminders(session, settings, evening) == 0  # 91 minutes before
    assert send_reminders(session, settings, evening.replace(minute=30)) == 1
    session.commit()
    [reminder] = told(session, Kind.handover_soon)[world.colleague.id]
    assert reminder.title == "Handover for Rosewood House, night shift, starts in 90 minutes"


@pytest.mark.parametrize("persona", ["carer", "lead", "quality"])
def test_who_does_not_manage_the_shift_pattern_cannot_set_the_minutes(
    client: TestClient, session: Session, world: World, persona: str
) -> None:
    sign_in(client, world.user(persona))
    assert f'{page(world)}"' not in client.get(f"/sites/{world.site.id}").text
    assert client.get(page(world)).status_code == 403
    assert client.post(page(world), data={"minutes": "45"}).status_code == 403
    assert saved_minutes(session, world.site.id) is None


def test_another_organisations_site_is_not_found(
    client: TestClient, session: Session, world: World, passwords: Passwords
) -> None:
    elsewhere = build_other_organisation(session, passwords).site
    sign_in(client, world.admin)
    assert client.get(f"/sites/{elsewhere.id}/reminders").status_code == 404
    answer = client.post(f"/sites/{elsewhere.id}/reminders", data={"minutes": "45"})
    assert answer.status_code == 404
    assert saved_minutes(session, elsewhere.id) is None


def test_an_emptied_field_puts_the_site_back_on_the_usual_time(
    client: TestClient, session: Session, world: World
) -> None:
    sign_in(client, world.manager)
    client.post(page(world), data={"minutes": "45"})
    saved = client.post(page(world), data={"minutes": "  "})
    assert saved.status_code == 303
    shown = client.get(saved.headers["location"]).text
    assert (
        "Saved. Staff at Rosewood House are reminded 30 minutes before each handover, "
        "the usual time."
    ) in shown
    assert 'name="minutes" type="number" value=""' in shown
    assert saved_minutes(session, world.site.id) is None
    summaries = session.exec(select(AuditEvent.summary).where(AuditEvent.action == CHANGED))
    assert sorted(summaries) == ["minutes=45", "minutes=usual"]


@pytest.mark.parametrize(
    "typed", ["soon", "0", "4", "241", "99999999999", "3\x000", "30.5", "30.0", "3_0", "-30"]
)
def test_a_wrong_number_is_shown_again_beside_the_field_and_nothing_is_saved(
    client: TestClient, session: Session, world: World, typed: str
) -> None:
    sign_in(client, world.manager)
    refused = client.post(page(world), data={"minutes": typed})

    assert refused.status_code == 422
    assert (
        '<p class="field__error" id="minutes-error"><span class="visually-hidden">Error:</span> '
        "Enter a whole number of minutes from 5 to 240, or leave it empty for the usual time.</p>"
    ) in refused.text
    assert 'aria-invalid="true" aria-describedby="minutes-hint minutes-error"' in refused.text
    assert saved_minutes(session, world.site.id) is None
    assert reminder_changes(session) == 0
