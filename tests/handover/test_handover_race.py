"""Two team leads start the handover for the same shift change at the same moment.

The schema allows one handover per shift change, so the lead whose request is second is
answered with the first lead's handover, as when they start it a minute later: never a second
handover and never a server error. On PostgreSQL the two requests run side by side; on SQLite
writers queue, so the second one meets the first's handover.
"""

from __future__ import annotations

import threading
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from sqlmodel import Session, col, select
from starlette.testclient import TestClient

from app.handover.models import Handover
from tests.support import START, World, api_sign_in, sign_in

ROUNDS = 5  # shift changes started twice at once; one round could miss the race by luck


def shift_change(day: int) -> dict[str, str]:
    on = (START.date() - timedelta(days=day)).isoformat()
    return {
        "outgoing.name": "Early",
        "outgoing.date": on,
        "incoming.name": "Late",
        "incoming.date": on,
    }


def handover_ids(session: Session) -> list[uuid.UUID]:
    session.rollback()  # a fresh look, not the snapshot of the last one
    return list(session.exec(select(Handover.id).order_by(col(Handover.outgoing_date))))


def race(leads: list[TestClient], post: object) -> list[object]:
    barrier = threading.Barrier(len(leads))

    def start(lead: TestClient) -> object:
        barrier.wait()
        return post(lead)  # type: ignore[operator]

    with ThreadPoolExecutor(max_workers=len(leads)) as pool:
        return list(pool.map(start, leads))


def test_two_leads_starting_on_the_page_at_once_both_open_the_one_handover(
    make_client, world: World, session: Session
) -> None:  # type: ignore[no-untyped-def]
    leads = [make_client(), make_client()]
    sign_in(leads[0], world.lead)
    sign_in(leads[1], world.manager)
    path = f"/sites/{world.site.id}/handovers"
    for day in range(ROUNDS):

        def post(lead: TestClient, day: int = day) -> tuple[int, str]:
            form = {"id": str(uuid.uuid4()), **shift_change(day)}
            answer = lead.post(path, data=form)
            return answer.status_code, answer.headers.get("location", "")

        answers = race(leads, post)
        ids = handover_ids(session)
        assert len(ids) == day + 1, f"round {day}: {answers}"
        assert answers == [(303, answers[0][1])] * 2
        assert answers[0][1].endswith(f"/handovers/{ids[0]}")  # the earliest day: this round


@pytest.mark.parametrize("round_", range(ROUNDS))
def test_two_leads_starting_through_the_api_at_once_make_one_handover(
    make_client, world: World, session: Session, round_: int
) -> None:  # type: ignore[no-untyped-def]
    leads = [api_sign_in(make_client(), world.lead), api_sign_in(make_client(), world.manager)]
    on = START.date().isoformat()
    chosen = {"outgoing": {"name": "Early", "date": on}, "incoming": {"name": "Late", "date": on}}

    def post(lead: TestClient) -> int:
        body = {"id": str(uuid.uuid4()), "site_id": str(world.site.id), **chosen}
        return lead.post("/api/v1/handovers", json=body).status_code

    statuses = race(leads, post)
    assert sorted(statuses) == [201, 409]  # type: ignore[type-var]
    assert len(handover_ids(session)) == 1
