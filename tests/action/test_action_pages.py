"""The actions list confirms "Marked done" with an Undo that opens the action again (in the
audit log too), and links each action to the handover or observation it came from, for those
who may open it."""

from __future__ import annotations

import uuid

from sqlmodel import Session, select
from starlette.testclient import TestClient

from app.action.models import FollowUpAction
from app.audit.models import AuditEvent
from tests.action.test_actions import add
from tests.observation.helpers import fresh, observe
from tests.support import World, sign_in


def test_mark_done_says_so_and_undo_opens_it_again(
    client: TestClient, world: World, session: Session
) -> None:
    action = add(session, world, owner=world.carer, description="Ring the GP")
    sign_in(client, world.carer)
    done = client.post(f"/actions/{action.id}/complete")
    assert done.status_code == 303
    page = client.get(done.headers["location"]).text
    assert "Marked done: Ring the GP" in page
    assert f'action="http://testserver/actions/{action.id}/reopen"' in page
    assert "No open actions." in page

    undone = client.post(f"/actions/{action.id}/reopen")
    assert undone.status_code == 303
    page = client.get(undone.headers["location"]).text
    assert "Open again: Ring the GP" in page
    assert "Mark done<span" in page
    assert fresh(session).get_one(FollowUpAction, action.id).done_at is None
    events = session.exec(select(AuditEvent.action).where(AuditEvent.entity_id == action.id)).all()
    assert sorted(events) == ["complete", "create", "reopen"]


def test_a_colleague_cannot_reopen_someone_elses_action(
    client: TestClient, world: World, session: Session
) -> None:
    action = add(session, world, owner=world.carer)
    sign_in(client, world.carer)
    client.post(f"/actions/{action.id}/complete")
    sign_in(client, world.colleague)
    assert client.post(f"/actions/{action.id}/reopen").status_code == 404
    assert fresh(session).get_one(FollowUpAction, action.id).done_at is not None


def test_each_action_links_to_where_it_came_from(
    client: TestClient, world: World, session: Session
) -> None:
    from_handover = add(session, world, owner=world.carer, description="From the handover")
    observation = observe(
        session,
        world,
        actions=[
            {
                "id": str(uuid.uuid4()),
                "description": "Practise waiting",
                "owner_id": str(world.carer.id),
            }
        ],
    )
    sign_in(client, world.carer)  # observed, so may open the observation
    page = client.get("/my/actions").text
    assert (
        f'<a href="http://testserver/handovers/{from_handover.handover_id}">from a handover</a>'
        in page
    )
    assert (
        f'<a href="http://testserver/observations/{observation.id}">from an observation</a>' in page
    )
    assert "from a observation" not in page

    sign_in(client, world.lead)  # a team lead reads handovers, not observations
    page = client.get(f"/sites/{world.site.id}/actions").text
    assert "from a handover</a>" in page
    assert "from an observation</a>" not in page
    assert "from an observation" in page
