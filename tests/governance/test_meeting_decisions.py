"""The quality meeting records its decisions as actions with owners: saved once, for a site and
the week met about, listed on the week's page as the minutes and in the owner's actions."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

import pytest
from sqlmodel import Session, func, select
from starlette.testclient import TestClient

from app.action.models import ActionSource, FollowUpAction
from app.errors import Forbidden, Invalid
from app.governance import decisions
from app.governance.schemas import MeetingDecisionCreate
from tests.support import START, World, actor_for, api_sign_in, sign_in

WEEK = date(2026, 11, 23)  # the Monday of START's week


def decision(world: World, **fields: Any) -> MeetingDecisionCreate:
    return MeetingDecisionCreate.model_validate(
        {
            "id": uuid.uuid4(),
            "week": date(2026, 11, 25),
            "site_id": world.site.id,
            "description": "Observe nights at Rosewood this week",
            "owner_id": world.manager.id,
            "due_on": date(2026, 11, 30),
            "theme_id": world.theme.id,
        }
        | fields
    )


def saved_actions(session: Session) -> int:
    session.expire_all()
    return session.exec(select(func.count()).select_from(FollowUpAction)).one()


def test_a_decision_is_an_action_of_the_meeting_week_saved_once(
    session: Session, world: World
) -> None:
    quality = actor_for(session, world.quality)
    data = decision(world)

    first = decisions.record_decision(session, actor=quality, data=data, now=START)
    again = decisions.record_decision(session, actor=quality, data=data, now=START)

    assert first.created
    assert not again.created
    action = first.record
    assert action.source is ActionSource.meeting
    assert action.meeting_week == WEEK  # the Monday, whichever day of the week was sent
    assert (action.site_id, action.theme_id, action.owner_id) == (
        world.site.id,
        world.theme.id,
        world.manager.id,
    )
    assert saved_actions(session) == 1
    minutes = decisions.decisions_of_week(
        session, actor=quality, week=date(2026, 11, 29), site_ids=[world.site.id]
    )
    assert [d.id for d in minutes] == [data.id]


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"owner_id": "outsider"}, "owner_id"),  # works at Beech Court, not Rosewood
        ({"due_on": date(2026, 11, 22)}, "due_on"),  # before the week met about
        ({"theme_id": "unknown"}, "theme_id"),
    ],
)
def test_a_decision_the_rules_refuse_saves_nothing(
    session: Session, world: World, fields: dict[str, Any], field: str
) -> None:
    if fields.get("owner_id") == "outsider":
        fields = {"owner_id": world.outsider.id}
    if fields.get("theme_id") == "unknown":
        fields = {"theme_id": uuid.uuid4()}
    with pytest.raises(Invalid) as refused:
        decisions.record_decision(
            session,
            actor=actor_for(session, world.quality),
            data=decision(world, **fields),
            now=START,
        )
    assert [e.field for e in refused.value.errors] == [field]
    assert saved_actions(session) == 0


def test_a_manager_decides_only_for_their_own_site_and_a_carer_not_at_all(
    session: Session, world: World
) -> None:
    manager = actor_for(session, world.manager)
    other_site = decision(world, site_id=world.other_site.id, owner_id=world.outsider.id)
    with pytest.raises(Invalid) as refused:
        decisions.record_decision(session, actor=manager, data=other_site, now=START)
    assert [e.field for e in refused.value.errors] == ["site_id"]
    # Beech Court's theme is not one Rosewood's manager may see.
    with pytest.raises(Invalid):
        decisions.record_decision(
            session, actor=manager, data=decision(world, theme_id=world.other_theme.id), now=START
        )
    with pytest.raises(Forbidden):
        decisions.record_decision(
            session, actor=actor_for(session, world.carer), data=decision(world), now=START
        )
    assert saved_actions(session) == 0


def form_for(world: World, **fields: str) -> dict[str, str]:
    return {
        "id": str(uuid.uuid4()),
        "week": "2026-11-23",
        "site_id": str(world.site.id),
        "description": "Join the night handover on Thursday",
        "owner_id": str(world.manager.id),
        "due_on": "2026-11-27",
        "theme_id": "",
    } | fields


def test_the_lead_records_a_decision_on_the_meeting_page_and_it_reads_as_the_minutes(
    client: TestClient, session: Session, world: World
) -> None:
    sign_in(client, world.quality)
    page = client.get("/governance/meeting", params={"week": "2026-11-23"})
    assert page.status_code == 200
    assert "None recorded yet." in page.text
    # A lead of several sites chooses the site first, then who of its staff will do it.
    assert "Next: who will do it" in page.text
    assert '/governance/meeting/decisions" novalidate' not in page.text
    chosen = {"week": "2026-11-23", "site_id": str(world.site.id)}
    page = client.get("/governance/meeting", params=chosen)
    decide = page.text[page.text.index("Record a decision for Rosewood House") :]
    assert '/governance/meeting/decisions" novalidate' in page.text
    assert world.manager.name in decide
    assert world.outsider_manager.name not in decide

    form = form_for(world)
    saved = client.post("/governance/meeting/decisions", data=form)
    twice = client.post("/governance/meeting/decisions", data=form)  # a double tap

    assert saved.status_code == twice.status_code == 303
    assert "week=2026-11-23" in saved.headers["location"]
    assert saved_actions(session) == 1
    minutes = client.get(saved.headers["location"])
    assert "Decision recorded: Join the night handover on Thursday" in minutes.text
    section = minutes.text[minutes.text.index("6. Decisions this week") :]
    assert "Join the night handover on Thursday" in section
    assert world.manager.name in section
    assert "due 27 Nov" in section
    # Another week's minutes do not hold it (though its agenda lists it among open actions).
    next_week = client.get("/governance/meeting", params={"week": "2026-11-30"}).text
    assert "Join the night handover" not in next_week[next_week.index("6. Decisions") :]


def test_the_owner_finds_the_decision_in_their_actions(
    client: TestClient, session: Session, world: World
) -> None:
    sign_in(client, world.quality)
    client.post("/governance/meeting/decisions", data=form_for(world))
    client.post("/logout")
    sign_in(client, world.manager)

    mine = client.get("/my/actions")

    assert "Join the night handover on Thursday" in mine.text
    assert "from the quality meeting" in mine.text
    assert "/governance/meeting?week=2026-11-23" in mine.text


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"description": "  "}, "description", "Say what was decided"),
        ({"description": "x" * 201}, "description", "at most 200 characters"),
        ({"description": "Check\x00 the rota"}, "description", "Remove the control character"),
        ({"owner_id": "outsider"}, "owner_id", "Choose someone who works at this site."),
        ({"owner_id": ""}, "owner_id", "Choose who will do it."),
        ({"due_on": "next tuesday"}, "due_on", "Enter the due date like 2026-12-12."),
        ({"due_on": "2026-11-20"}, "due_on", "Choose a due date in the meeting"),
        ({"site_id": "beech"}, "site_id", "Choose one of your sites."),
        ({"theme_id": "not-a-theme"}, "theme_id", "Choose one of the learning themes"),
        ({"week": "someday"}, "week", "Open the meeting again"),
    ],
)
def test_bad_input_shows_the_form_again_with_the_reason_and_saves_nothing(
    client: TestClient,
    session: Session,
    world: World,
    fields: dict[str, str],
    field: str,
    message: str,
) -> None:
    if fields.get("owner_id") == "outsider":
        fields = {"owner_id": str(world.outsider.id)}
    if fields.get("site_id") == "beech":
        fields = {"site_id": str(world.other_site.id), "owner_id": str(world.outsider.id)}
    sign_in(client, world.manager)  # manages Rosewood only

    page = client.post("/governance/meeting/decisions", data=form_for(world, **fields))

    assert page.status_code == 422
    assert f'id="{field}-error"' in page.text or field == "week"
    assert message in page.text
    assert "There is a problem" in page.text
    assert saved_actions(session) == 0


def test_who_may_not_record_decisions_is_refused(
    client: TestClient, session: Session, world: World
) -> None:
    sign_in(client, world.lead)
    assert client.post("/governance/meeting/decisions", data=form_for(world)).status_code == 403
    assert saved_actions(session) == 0


def api_decision(world: World, **fields: str) -> dict[str, str]:
    return form_for(world, **fields) | {"theme_id": str(world.theme.id)}


def test_the_api_records_a_decision_once_with_the_same_rules(
    client: TestClient, session: Session, world: World
) -> None:
    api_sign_in(client, world.quality)
    sent = api_decision(world)

    made = client.post("/api/v1/governance/meeting/decisions", json=sent)
    again = client.post("/api/v1/governance/meeting/decisions", json=sent)
    other = client.post(
        "/api/v1/governance/meeting/decisions", json={**sent, "description": "Something else"}
    )
    wrong_owner = client.post(
        "/api/v1/governance/meeting/decisions",
        json=api_decision(world, owner_id=str(world.outsider.id)),
    )

    assert (made.status_code, again.status_code, other.status_code) == (201, 200, 409)
    assert made.json()["source"] == "meeting"
    assert made.json()["meeting_week"] == "2026-11-23"
    assert made.json()["theme_id"] == str(world.theme.id)
    assert wrong_owner.status_code == 422
    assert wrong_owner.json()["errors"][0]["field"] == "owner_id"
    assert saved_actions(session) == 1
    week = client.get(
        "/api/v1/actions", params={"meeting_week": "2026-11-23", "open_only": "false"}
    )
    assert [a["id"] for a in week.json()["items"]] == [sent["id"]]


def test_the_api_refuses_someone_who_may_not_record_decisions(
    client: TestClient, session: Session, world: World
) -> None:
    api_sign_in(client, world.carer)
    refused = client.post("/api/v1/governance/meeting/decisions", json=api_decision(world))
    assert refused.status_code == 403
    assert saved_actions(session) == 0
