"""A team lead runs a handover on one page: attendance, people, learning prompts, actions, then
completes it; each incoming staff member acknowledges it on their own phone, and the lead sees
who has and who has not. Mistakes come back beside the field with nothing saved."""

from __future__ import annotations

import uuid
from urllib.parse import urlencode

from sqlmodel import Session, col, select
from starlette.testclient import TestClient

from app.action.models import FollowUpAction
from app.audit.models import AuditEvent
from app.auth.models import Role
from app.handover.models import (
    Handover,
    HandoverAcknowledgement,
    HandoverAttendance,
    HandoverEntry,
    HandoverPromptResponse,
    PersonStatus,
)
from tests.handover.helpers import (
    AT_14_05,
    count,
    form_values,
    fresh,
    person_form,
    prompt_of,
    start_on_the_page,
)
from tests.support import FrozenClock, World, sign_in


def test_a_lead_runs_a_handover_and_the_team_acknowledges_it(
    client: TestClient, make_client, world: World, session: Session, clock: FrozenClock
) -> None:  # type: ignore[no-untyped-def]
    clock.set(AT_14_05)
    sign_in(client, world.lead)
    assert "Early → Late" in client.get(f"/sites/{world.site.id}/handovers").text
    handover_id = start_on_the_page(client, world)
    page_path = f"/handovers/{handover_id}"

    here = [("attendance.user_id", str(user.id)) for user in (world.manager, world.colleague)]
    added = client.post(
        f"{page_path}/attendance",
        content=urlencode(here),
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert added.status_code == 303
    assert added.headers["location"].endswith("#attendance")
    assert "✓ Manager present" in client.get(page_path).text

    updated = client.post(
        f"{page_path}/people/{world.person.id}",
        data=person_form(
            world, status="watch", update="Quiet after lunch", risks="Falls if rushed"
        ),
    )
    assert updated.headers["location"].endswith(f"#person-{world.person.id}")

    prompt_id = prompt_of(session, world.theme)
    prompt_path = f"{page_path}/prompts/{prompt_id}"
    for discussed, note in (("no", "Ran out of time"), ("yes", "Ada led the baking")):
        clock.advance(minutes=1)
        defaults = form_values(client.get(page_path).text, prompt_path)
        answered = client.post(
            prompt_path,
            data={
                **defaults,
                f"prompt-{prompt_id}.discussed": discussed,
                f"prompt-{prompt_id}.note": note,
            },
        )
        assert answered.headers["location"].endswith(f"#prompt-{prompt_id}")

    action_defaults = form_values(client.get(page_path).text, f"{page_path}/actions")
    added_action = client.post(
        f"{page_path}/actions",
        data={
            **action_defaults,
            "actions.description": "Book the GP",
            "actions.owner_id": str(world.colleague.id),
            "actions.due_on": "2026-11-24",
            "actions.person_id": str(world.person.id),
        },
    )
    assert added_action.headers["location"].endswith("#actions")

    page = client.get(page_path)
    assert "Quiet after lunch" in page.text
    assert "Discussed:</strong> Ada led the baking" in page.text
    assert "Actions carried forward (1)" in page.text

    assert client.post(f"{page_path}/complete", data={"confirm": "yes"}).status_code == 303
    locked = client.post(
        f"{page_path}/people/{world.person.id}", data=person_form(world, status="unwell")
    )
    assert locked.status_code == 422
    assert "This handover is complete" in locked.text

    carer = make_client()
    sign_in(carer, world.carer)
    carer_page = carer.get(page_path)
    assert "I’ve received this handover" in carer_page.text
    ack_path = f"{page_path}/acknowledgements"
    assert carer.post(ack_path, data=form_values(carer_page.text, ack_path)).status_code == 303
    assert "You acknowledged the handover at 14:07" in carer.get(page_path).text

    lead_page = client.get(page_path).text
    received, waiting = lead_page.split("Not yet")
    assert "Received by (1 of 3)" in received
    assert "Given by Lee Lead." in received
    assert "Alice Carer" in received
    assert "Lee Lead" not in waiting
    assert all(name in waiting for name in ("Colin Colleague", "Maya Manager"))

    saved = fresh(session).get_one(Handover, handover_id)
    assert (saved.outgoing_shift, saved.incoming_shift) == ("Early", "Late")
    assert saved.completed_by_id == world.lead.id
    roles = session.exec(select(HandoverAttendance.user_id, HandoverAttendance.role)).all()
    assert set(roles) == {
        (world.lead.id, Role.team_lead),
        (world.manager.id, Role.manager),
        (world.colleague.id, Role.care_worker),
    }
    entry = session.exec(select(HandoverEntry)).one()
    assert (entry.status, entry.update, entry.risks) == (
        PersonStatus.watch,
        "Quiet after lunch",
        "Falls if rushed",
    )
    answers = session.exec(
        select(HandoverPromptResponse.discussed).order_by(col(HandoverPromptResponse.recorded_at))
    ).all()
    assert answers == [False, True]
    action = session.exec(select(FollowUpAction)).one()
    assert (action.owner_id, action.handover_id) == (world.colleague.id, handover_id)
    assert session.exec(select(HandoverAcknowledgement.user_id)).all() == [world.carer.id]


def test_a_second_device_or_a_double_tap_acknowledges_once(
    client: TestClient, make_client, world: World, session: Session
) -> None:  # type: ignore[no-untyped-def]
    sign_in(client, world.lead)
    handover_id = start_on_the_page(client, world)
    client.post(f"/handovers/{handover_id}/complete", data={"confirm": "yes"})
    ack_path = f"/handovers/{handover_id}/acknowledgements"
    phone, tablet = make_client(), make_client()
    for device in (phone, tablet):
        sign_in(device, world.carer)
    defaults = form_values(phone.get(f"/handovers/{handover_id}").text, ack_path)
    assert phone.post(ack_path, data=defaults).status_code == 303
    assert phone.post(ack_path, data=defaults).status_code == 303
    assert tablet.post(ack_path, data={"id": str(uuid.uuid4())}).status_code == 303
    assert count(session, HandoverAcknowledgement) == 1
    assert "I’ve received this handover" not in tablet.get(f"/handovers/{handover_id}").text


def test_acknowledging_from_home_returns_home_and_says_when(
    client: TestClient, make_client, world: World, clock: FrozenClock
) -> None:  # type: ignore[no-untyped-def]
    clock.set(AT_14_05)
    sign_in(client, world.lead)
    handover_id = start_on_the_page(client, world)
    client.post(f"/handovers/{handover_id}/complete", data={"confirm": "yes"})
    carer = make_client()
    sign_in(carer, world.carer)
    clock.advance(minutes=7)
    done = carer.post(
        f"/handovers/{handover_id}/acknowledgements",
        data={"id": str(uuid.uuid4()), "return_to": "home"},
    )
    assert done.headers["location"].endswith("/home#handover-for-home")
    home = carer.get("/home").text
    assert "You acknowledged the handover at 14:12." in home
    assert "I’ve received this handover" not in home


def test_a_handover_in_progress_cannot_be_acknowledged_yet(
    client: TestClient, make_client, world: World, session: Session
) -> None:  # type: ignore[no-untyped-def]
    sign_in(client, world.lead)
    handover_id = start_on_the_page(client, world)
    carer = make_client()
    sign_in(carer, world.carer)
    page = carer.get(f"/handovers/{handover_id}")
    assert "This handover is in progress" in page.text
    assert "Complete handover" not in page.text
    refused = carer.post(
        f"/handovers/{handover_id}/acknowledgements", data={"id": str(uuid.uuid4())}
    )
    assert refused.status_code == 422
    assert "not complete yet" in refused.text
    assert count(session, HandoverAcknowledgement) == 0


def test_starting_the_same_shift_change_again_opens_the_first_handover(
    client: TestClient, make_client, world: World, session: Session
) -> None:  # type: ignore[no-untyped-def]
    sign_in(client, world.lead)
    first_id = start_on_the_page(client, world)
    manager = make_client()
    sign_in(manager, world.manager)
    listing = manager.get(f"/sites/{world.site.id}/handovers")
    assert "Open the handover" in listing.text
    again = manager.post(f"/sites/{world.site.id}/handovers", data={"id": str(uuid.uuid4())})
    assert again.status_code == 303
    assert again.headers["location"].endswith(f"/handovers/{first_id}")
    assert count(session, Handover) == 1


def test_a_double_tapped_start_makes_one_handover(
    client: TestClient, world: World, session: Session
) -> None:
    sign_in(client, world.lead)
    path = f"/sites/{world.site.id}/handovers"
    defaults = form_values(client.get(path).text, path)
    first, second = client.post(path, data=defaults), client.post(path, data=defaults)
    assert first.headers["location"] == second.headers["location"]
    assert count(session, Handover) == 1


def test_chosen_shifts_that_are_not_in_the_pattern_are_refused_beside_the_field(
    client: TestClient, world: World, session: Session
) -> None:
    sign_in(client, world.lead)
    path = f"/sites/{world.site.id}/handovers"
    refused = client.post(
        path,
        data={
            "id": str(uuid.uuid4()),
            "outgoing.name": "Twilight",
            "outgoing.date": "2026-11-22",
            "incoming.name": "Night",
            "incoming.date": "2026-11-22",
        },
    )
    assert refused.status_code == 422
    assert 'id="outgoing-name-error"' in refused.text
    assert count(session, Handover) == 0
    chosen = client.post(
        path,
        data={
            "id": str(uuid.uuid4()),
            "outgoing.name": "Late",
            "outgoing.date": "2026-11-22",
            "incoming.name": "Night",
            "incoming.date": "2026-11-22",
        },
    )
    assert chosen.status_code == 303
    saved = fresh(session).exec(select(Handover)).one()
    assert (saved.outgoing_shift, saved.incoming_shift, str(saved.incoming_date)) == (
        "Late",
        "Night",
        "2026-11-22",
    )


def test_bad_input_comes_back_beside_the_field_and_nothing_is_written(
    client: TestClient, world: World, session: Session
) -> None:
    sign_in(client, world.lead)
    handover_id = start_on_the_page(client, world)
    page_path = f"/handovers/{handover_id}"
    prompt_id = prompt_of(session, world.theme)
    other_prompt = prompt_of(session, world.other_theme)
    pid = world.person.id
    cases = [
        (f"people/{pid}", person_form(world, status="fine"), f"person-{pid}-status-error"),
        (
            f"people/{pid}",
            person_form(world, status="stable", update="x" * 5000),
            f"person-{pid}-update-error",
        ),
        (
            f"prompts/{prompt_id}",
            {f"prompt-{prompt_id}.id": str(uuid.uuid4()), f"prompt-{prompt_id}.discussed": "no"},
            f"prompt-{prompt_id}-note-error",
        ),
        (
            "actions",
            {
                "actions.id": str(uuid.uuid4()),
                "actions.description": "Call the family",
                "actions.owner_id": str(world.outsider.id),
            },
            "actions-owner_id-error",
        ),
        ("attendance", {"attendance.user_id": str(world.outsider.id)}, "attendance-user_id-error"),
    ]
    for path, data, error_id in cases:
        response = client.post(f"{page_path}/{path}", data=data)
        assert response.status_code == 422, path
        assert f'id="{error_id}"' in response.text, path
    for path, data in (
        (f"people/{world.other_person.id}", {f"person-{world.other_person.id}.status": "stable"}),
        (
            f"prompts/{other_prompt}",
            {
                f"prompt-{other_prompt}.id": str(uuid.uuid4()),
                f"prompt-{other_prompt}.discussed": "yes",
                f"prompt-{other_prompt}.note": "Said things",
            },
        ),
    ):
        response = client.post(f"{page_path}/{path}", data=data)
        assert response.status_code == 422, path
        assert "There is a problem" in response.text
    assert count(session, HandoverEntry) == count(session, HandoverPromptResponse) == 0
    assert count(session, FollowUpAction) == 0
    assert count(session, HandoverAttendance) == 1  # the lead, recorded at the start


def test_after_completion_changes_are_amendments_with_a_reason(
    client: TestClient, make_client, world: World, session: Session
) -> None:  # type: ignore[no-untyped-def]
    sign_in(client, world.lead)
    handover_id = start_on_the_page(client, world)
    page_path = f"/handovers/{handover_id}"
    early = client.post(
        f"{page_path}/amendments",
        data={
            "amendments.id": str(uuid.uuid4()),
            "amendments.change": "x",
            "amendments.reason": "y",
        },
    )
    assert early.status_code == 422
    client.post(f"{page_path}/complete", data={"confirm": "yes"})
    page = client.get(page_path)
    assert "Amend this handover" in page.text
    defaults = form_values(page.text, f"{page_path}/amendments")
    missing_reason = client.post(
        f"{page_path}/amendments", data={**defaults, "amendments.change": "Ada is now unwell"}
    )
    assert missing_reason.status_code == 422
    assert 'id="amendments-reason-error"' in missing_reason.text
    amended = {**defaults, "amendments.change": "Ada is now unwell", "amendments.reason": "GP rang"}
    assert client.post(f"{page_path}/amendments", data=amended).status_code == 303
    assert client.post(f"{page_path}/amendments", data=amended).status_code == 303  # double tap
    carer = make_client()
    sign_in(carer, world.carer)
    refused = carer.post(
        f"{page_path}/amendments",
        data={
            "amendments.id": str(uuid.uuid4()),
            "amendments.change": "x",
            "amendments.reason": "y",
        },
    )
    assert refused.status_code == 403
    shown = carer.get(page_path).text
    assert "Ada is now unwell" in shown
    assert "Why: GP rang" in shown
    assert "Amend this handover" not in shown
    events = (
        fresh(session)
        .exec(
            select(AuditEvent.action, AuditEvent.summary).where(AuditEvent.entity_id == handover_id)
        )
        .all()
    )
    assert sorted(action for action, _ in events) == ["amend", "complete", "create"]
    assert all("unwell" not in summary and "GP" not in summary for _, summary in events)
