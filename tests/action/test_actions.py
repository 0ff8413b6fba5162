"""Follow-up actions: the owner sees and closes them, leads see their site's, overdue is flagged."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

import pytest
from sqlmodel import Session, select
from starlette.testclient import TestClient

from app.action import service
from app.action.models import ActionSource, FollowUpAction
from app.action.schemas import ActionCreate
from app.audit.models import AuditEvent
from app.errors import Invalid
from tests.support import START, FrozenClock, World, actor_for, make_bare_handover, sign_in


def add(
    session: Session,
    world: World,
    *,
    owner,
    due_on: date | None = None,
    description: str = "Ring the GP about Ada's cough",
) -> FollowUpAction:  # type: ignore[no-untyped-def]
    handover = make_bare_handover(session, site=world.site, lead=world.lead)
    saved = service.add_action(
        session,
        actor=actor_for(session, world.lead),
        site_id=world.site.id,
        source=ActionSource.handover,
        source_id=handover.id,
        data=ActionCreate(
            id=uuid.uuid4(),
            description=description,
            owner_id=owner.id,
            due_on=due_on,
            person_id=world.person.id,
        ),
        now=START,
    )
    session.commit()
    return saved.record


def test_the_owner_sees_their_action_and_marks_it_done(
    client: TestClient, world: World, session: Session
) -> None:
    action = add(session, world, owner=world.carer, due_on=date(2026, 11, 24))
    sign_in(client, world.carer)
    assert "My actions" in client.get("/home").text
    page = client.get("/my/actions")
    assert "Ring the GP about Ada&#39;s cough" in page.text
    assert "Overdue" not in page.text
    assert client.post(f"/actions/{action.id}/complete").status_code == 303
    assert "No open actions." in client.get("/my/actions").text
    done = session.exec(
        select(AuditEvent).where(AuditEvent.entity_id == action.id, AuditEvent.action == "complete")
    ).one()
    assert done.actor_id == world.carer.id


def test_an_action_past_its_due_date_is_flagged_overdue(
    client: TestClient, world: World, session: Session, clock: FrozenClock
) -> None:
    add(session, world, owner=world.carer, due_on=date(2026, 11, 23))
    sign_in(client, world.carer)
    assert "Overdue" not in client.get("/my/actions").text
    clock.advance(days=1)
    sign_in(client, world.carer)  # a day later: a new session
    assert "Overdue" in client.get("/my/actions").text
    assert "1 overdue" in client.get("/home").text


def test_a_colleague_neither_sees_nor_closes_someone_elses_action(
    client: TestClient, world: World, session: Session
) -> None:
    action = add(session, world, owner=world.carer)
    sign_in(client, world.colleague)
    assert "No open actions." in client.get("/my/actions").text
    assert client.post(f"/actions/{action.id}/complete").status_code == 404
    assert client.get(f"/sites/{world.site.id}/actions").status_code == 403


def test_leads_see_and_close_their_sites_actions(
    client: TestClient, world: World, session: Session
) -> None:
    action = add(session, world, owner=world.carer)
    sign_in(client, world.lead)
    page = client.get(f"/sites/{world.site.id}/actions")
    assert "Alice Carer" in page.text
    assert client.post(f"/actions/{action.id}/complete").status_code == 303
    session.expire_all()
    assert session.get_one(FollowUpAction, action.id).done_by_id == world.lead.id


def test_another_sites_actions_are_not_found(
    client: TestClient, world: World, session: Session
) -> None:
    action = add(session, world, owner=world.carer)
    sign_in(client, world.outsider_manager)
    assert client.get(f"/sites/{world.site.id}/actions").status_code == 404
    assert client.post(f"/actions/{action.id}/complete").status_code == 404
    assert client.get(f"/api/v1/actions/{action.id}").status_code == 404


def test_the_api_lists_my_actions_and_completes_them(
    client: TestClient, world: World, session: Session
) -> None:
    action = add(session, world, owner=world.carer, due_on=date(2026, 11, 20))
    sign_in(client, world.carer)
    listed = client.get("/api/v1/actions").json()
    assert [item["id"] for item in listed["items"]] == [str(action.id)]
    assert listed["items"][0]["overdue"] is True
    done = client.post(f"/api/v1/actions/{action.id}/complete").json()
    assert done["done"] is True
    assert done["overdue"] is False
    assert client.get("/api/v1/actions").json()["items"] == []
    assert len(client.get("/api/v1/actions", params={"open_only": "false"}).json()["items"]) == 1


@pytest.mark.parametrize(
    ("field", "overrides"),
    [("owner_id", "outsider"), ("person_id", "other_person")],
)
def test_an_owner_or_person_from_another_site_is_refused(
    session: Session, world: World, field: str, overrides: str
) -> None:
    handover = make_bare_handover(session, site=world.site, lead=world.lead)
    values = {
        "id": uuid.uuid4(),
        "description": "Check",
        "owner_id": world.carer.id,
        "person_id": world.person.id,
    }
    values[field] = getattr(world, overrides).id
    with pytest.raises(Invalid) as refused:
        service.add_action(
            session,
            actor=actor_for(session, world.lead),
            site_id=world.site.id,
            source=ActionSource.handover,
            source_id=handover.id,
            data=ActionCreate.model_validate(values),
            now=START,
        )
    assert refused.value.by_field().keys() == {field}


def test_actions_without_a_due_date_come_last(session: Session, world: World) -> None:
    add(session, world, owner=world.carer, description="No date")
    add(
        session,
        world,
        owner=world.carer,
        due_on=START.date() + timedelta(days=3),
        description="Dated",
    )
    found = service.list_actions(
        session, actor=actor_for(session, world.carer), where=service.ActionFilter()
    )
    assert [action.description for action in found] == ["Dated", "No date"]


def test_the_api_filters_actions_by_person_and_due_dates(
    client: TestClient, world: World, session: Session
) -> None:
    soon = add(session, world, owner=world.carer, due_on=date(2026, 11, 25), description="Soon")
    add(session, world, owner=world.carer, due_on=date(2026, 12, 20), description="Later")
    sign_in(client, world.lead)
    window = client.get(
        "/api/v1/actions", params={"due_from": "2026-11-24", "due_to": "2026-11-30"}
    ).json()
    assert [item["id"] for item in window["items"]] == [str(soon.id)]
    about_ada = client.get("/api/v1/actions", params={"person_id": str(world.person.id)}).json()
    assert len(about_ada["items"]) == 2
    nobody = client.get("/api/v1/actions", params={"person_id": str(world.other_person.id)}).json()
    assert nobody["items"] == []
