"""What a handover starts from: the shift change derived from the time and the site's pattern,
and a per-person summary of the outgoing shift's engagement notes. And what a care worker's
home is given: the latest completed handover to the shift they are on."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, time, timedelta

import pytest
from sqlalchemy import Engine, event
from sqlmodel import Session
from starlette.testclient import TestClient

from app.handover import view
from app.org import service as org_service
from app.org.schemas import ShiftInput, ShiftPatternInput
from tests.handover.helpers import AT_14_05, fresh, start_handover
from tests.support import (
    FrozenClock,
    World,
    actor_for,
    api_sign_in,
    make_person,
    refreshed,
    sign_in,
)


@pytest.mark.parametrize(
    ("now", "outgoing", "incoming"),
    [
        (AT_14_05, ("Early", "2026-11-23"), ("Late", "2026-11-23")),
        (
            datetime(2026, 11, 23, 7, 10, tzinfo=UTC),
            ("Night", "2026-11-22"),
            ("Early", "2026-11-23"),
        ),
        (
            datetime(2026, 11, 23, 21, 10, tzinfo=UTC),
            ("Late", "2026-11-23"),
            ("Night", "2026-11-23"),
        ),
        # 14:05 and 07:10 in British Summer Time
        (datetime(2026, 7, 1, 13, 5, tzinfo=UTC), ("Early", "2026-07-01"), ("Late", "2026-07-01")),
        (datetime(2026, 7, 1, 6, 10, tzinfo=UTC), ("Night", "2026-06-30"), ("Early", "2026-07-01")),
    ],
    ids=["14:05", "07:10", "21:10", "14:05 BST", "07:10 BST"],
)
def test_the_shift_change_is_derived_from_the_time_and_the_pattern(
    client: TestClient,
    world: World,
    clock: FrozenClock,
    now: datetime,
    outgoing: tuple[str, str],
    incoming: tuple[str, str],
) -> None:
    clock.set(now)
    api_sign_in(client, world.lead)
    handover = start_handover(client, world)
    assert (handover["outgoing_shift"], handover["outgoing_date"]) == outgoing
    assert (handover["incoming_shift"], handover["incoming_date"]) == incoming


def note_at(
    client: TestClient, person_id: uuid.UUID, hour: int, minute: int = 0, **fields: object
) -> str:
    occurred = datetime(2026, 11, 23, hour, minute, tzinfo=UTC).isoformat()
    body = {"id": str(uuid.uuid4()), "person_id": str(person_id), "occurred_at": occurred, **fields}
    response = client.post("/api/v1/engagement-notes", json=body)
    assert response.status_code == 201, response.text
    return body["id"]


def test_each_person_gets_a_summary_of_the_outgoing_shifts_notes(
    client: TestClient, make_client, world: World, session: Session, clock: FrozenClock
) -> None:  # type: ignore[no-untyped-def]
    ben = make_person(
        session, refreshed(session, actor_for(session, world.admin)), world.site, "Ben"
    )
    session.commit()
    clock.set(AT_14_05)
    carer = api_sign_in(make_client(), world.carer)
    note_at(carer, world.person.id, 6, 50, level=1, activity="Night walk")  # the night shift
    note_at(carer, world.person.id, 8, level=2, activity="Breakfast")
    note_at(
        carer,
        world.person.id,
        12,
        30,
        level=0,
        restrictive_practice="kept_apart",
        restrictive_reason="Upset by noise",
    )
    note_at(carer, world.person.id, 13, 59, level=3, activity="Enjoyed baking")
    voided = note_at(carer, world.person.id, 11, level=3, activity="Wrong person")
    carer.post(f"/api/v1/engagement-notes/{voided}/void", json={"reason": "Wrong person"})
    note_at(carer, ben.id, 9, level=1)
    outsider = api_sign_in(make_client(), world.outsider)
    note_at(outsider, world.other_person.id, 10, level=3, activity="Elsewhere")

    api_sign_in(client, world.lead)
    handover = start_handover(client, world)
    people = {
        row["preferred_name"]: row
        for row in client.get(f"/api/v1/handovers/{handover['id']}").json()["people"]
    }
    assert set(people) == {"Ada", "Ben"}
    assert people["Ada"]["summary"] == {
        "note_count": 3,
        "levels": [2, 0, 3],
        "restrictive_practice": True,
        "latest_activity": "Enjoyed baking",
    }
    assert people["Ben"]["summary"] == {
        "note_count": 1,
        "levels": [1],
        "restrictive_practice": False,
        "latest_activity": "",
    }

    sign_in(client, world.lead)
    page = client.get(f"/handovers/{handover['id']}").text
    assert "3 notes, levels 2, 0, 3 · “Enjoyed baking”" in page
    assert "⚠ restrictive practice" in page
    assert "1 note, levels 1" in page


def test_the_summary_reads_the_sites_notes_in_one_query_however_many_people(
    client: TestClient, world: World, session: Session, engine: Engine
) -> None:
    admin = refreshed(session, actor_for(session, world.admin))
    for name in ("Ben", "Cleo", "Dev", "Esme"):
        make_person(session, admin, world.site, name)
    session.commit()
    api_sign_in(client, world.lead)
    handover = start_handover(client, world)
    statements: list[str] = []

    def remember(_conn, _cursor, statement, *_args) -> None:  # type: ignore[no-untyped-def]
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", remember)
    try:
        assert client.get(f"/api/v1/handovers/{handover['id']}").status_code == 200
    finally:
        event.remove(engine, "before_cursor_execute", remember)
    note_reads = [s for s in statements if "FROM engagement_note" in s]
    assert len(note_reads) == 1


def test_home_is_given_the_latest_completed_handover_to_the_shift_running_now(
    client: TestClient, make_client, world: World, session: Session, clock: FrozenClock
) -> None:  # type: ignore[no-untyped-def]
    clock.set(AT_14_05)
    api_sign_in(client, world.lead)
    handover = start_handover(client, world)
    carer = actor_for(session, world.carer)
    assert view.latest_for_home(fresh(session), actor=carer, now=AT_14_05) is None  # in progress

    client.post(f"/api/v1/handovers/{handover['id']}/complete")
    later = AT_14_05 + timedelta(minutes=20)
    found = view.latest_for_home(fresh(session), actor=carer, now=later)
    assert found is not None
    assert (found.id, found.outgoing_shift, found.incoming_shift) == (
        uuid.UUID(handover["id"]),
        "Early",
        "Late",
    )
    assert found.completed_at == AT_14_05
    assert found.acknowledged_at is None
    assert found.gave_it is False

    phone = api_sign_in(make_client(), world.carer)
    phone.post(
        f"/api/v1/handovers/{handover['id']}/acknowledgements", json={"id": str(uuid.uuid4())}
    )
    found = view.latest_for_home(fresh(session), actor=carer, now=later)
    assert found is not None
    assert found.acknowledged_at == AT_14_05

    night = datetime(2026, 11, 23, 21, 40, tzinfo=UTC)
    assert view.latest_for_home(fresh(session), actor=carer, now=night) is None
    outsider = actor_for(session, world.outsider)
    assert view.latest_for_home(fresh(session), actor=outsider, now=later) is None


def test_with_no_shift_running_now_the_lead_is_asked_to_choose_the_shifts(
    client: TestClient, world: World, session: Session
) -> None:
    admin = refreshed(session, actor_for(session, world.admin))
    site = org_service.get_site(session, actor=admin, site_id=world.site.id)
    day_only = ShiftPatternInput(
        shifts=[ShiftInput(name="Day", starts_at=time(11), ends_at=time(18))]
    )
    org_service.set_shift_pattern(session, actor=admin, site=site, data=day_only, now=AT_14_05)
    session.commit()
    api_sign_in(client, world.lead)
    response = client.post(
        "/api/v1/handovers", json={"id": str(uuid.uuid4()), "site_id": str(world.site.id)}
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "incoming.name"
