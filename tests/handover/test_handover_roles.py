"""Who may do what with handovers: team leads and managers run them; care workers read their
site's handovers and acknowledge completed ones; quality leads and admins read; nobody outside
the site sees them (404), through the pages and through the API."""

from __future__ import annotations

import uuid

from sqlmodel import Session
from starlette.testclient import TestClient

from app.handover.models import Handover, HandoverAcknowledgement, HandoverEntry
from tests.handover.helpers import (
    completed_handover,
    count,
    fresh,
    person_form,
    start_json,
    start_on_the_page,
)
from tests.support import World, api_sign_in, sign_in


def test_care_workers_read_but_do_not_run_handovers(
    client: TestClient, make_client, world: World, session: Session
) -> None:  # type: ignore[no-untyped-def]
    sign_in(client, world.lead)
    handover_id = start_on_the_page(client, world)
    carer = make_client()
    sign_in(carer, world.carer)
    listing = carer.get(f"/sites/{world.site.id}/handovers")
    assert listing.status_code == 200
    assert "Start handover" not in listing.text
    assert (
        carer.post(f"/sites/{world.site.id}/handovers", data={"id": str(uuid.uuid4())}).status_code
        == 403
    )
    page = carer.get(f"/handovers/{handover_id}")
    assert page.status_code == 200
    assert "Save for Ada" not in page.text
    edit = carer.post(
        f"/handovers/{handover_id}/people/{world.person.id}",
        data=person_form(world, status="stable"),
    )
    assert edit.status_code == 403
    assert carer.post(f"/handovers/{handover_id}/complete").status_code == 403
    assert count(session, HandoverEntry) == 0
    assert fresh(session).get_one(Handover, handover_id).completed_at is None


def test_nobody_outside_the_site_sees_its_handovers(
    client: TestClient, make_client, world: World, session: Session
) -> None:  # type: ignore[no-untyped-def]
    sign_in(client, world.lead)
    handover_id = start_on_the_page(client, world)
    for persona in (world.outsider, world.outsider_manager):
        outsider = make_client()
        sign_in(outsider, persona)
        assert outsider.get(f"/handovers/{handover_id}").status_code == 404
        assert outsider.get(f"/sites/{world.site.id}/handovers").status_code == 404
        assert outsider.post(f"/handovers/{handover_id}/complete").status_code == 404
        started = outsider.post(f"/sites/{world.site.id}/handovers", data={"id": str(uuid.uuid4())})
        assert started.status_code == 404
    assert count(session, Handover) == 1


def test_quality_leads_and_admins_read_handovers(
    client: TestClient, make_client, world: World
) -> None:  # type: ignore[no-untyped-def]
    sign_in(client, world.lead)
    handover_id = start_on_the_page(client, world)
    for persona in (world.quality, world.admin):
        reader = make_client()
        sign_in(reader, persona)
        page = reader.get(f"/handovers/{handover_id}")
        assert page.status_code == 200
        assert "Complete handover" not in page.text
        assert reader.get(f"/sites/{world.site.id}/handovers").status_code == 200


def test_roles_decide_who_runs_reads_and_acknowledges(
    client: TestClient, make_client, world: World, session: Session
) -> None:  # type: ignore[no-untyped-def]
    api_sign_in(client, world.lead)
    handover = completed_handover(client, world)
    base = f"/api/v1/handovers/{handover['id']}"
    carer = api_sign_in(make_client(), world.carer)
    assert carer.post("/api/v1/handovers", json=start_json(world)).status_code == 403
    assert carer.get(base).status_code == 200
    quality = api_sign_in(make_client(), world.quality)
    assert quality.get(base).status_code == 200
    assert quality.get("/api/v1/handovers").json()["items"][0]["id"] == handover["id"]
    assert quality.post("/api/v1/handovers", json=start_json(world)).status_code == 403
    assert (
        quality.post(f"{base}/acknowledgements", json={"id": str(uuid.uuid4())}).status_code == 403
    )
    manager = api_sign_in(make_client(), world.manager)
    body = start_json(
        world,
        outgoing={"name": "Late", "date": "2026-11-22"},
        incoming={"name": "Night", "date": "2026-11-22"},
    )
    assert manager.post("/api/v1/handovers", json=body).status_code == 201
    assert count(session, Handover) == 2


def test_handovers_of_another_site_are_not_found(
    client: TestClient, make_client, world: World, session: Session
) -> None:  # type: ignore[no-untyped-def]
    api_sign_in(client, world.lead)
    base = f"/api/v1/handovers/{completed_handover(client, world)['id']}"
    for persona in (world.outsider, world.outsider_manager):
        outsider = api_sign_in(make_client(), persona)
        assert outsider.get(base).status_code == 404
        assert outsider.get(f"{base}/acknowledgements").status_code == 404
        assert (
            outsider.post(f"{base}/acknowledgements", json={"id": str(uuid.uuid4())}).status_code
            == 404
        )
        assert outsider.post(f"{base}/complete").status_code == 404
        assert outsider.get("/api/v1/handovers").json()["items"] == []
        listed = outsider.get("/api/v1/handovers", params={"site_id": str(world.site.id)})
        assert listed.status_code == 404
        assert outsider.post("/api/v1/handovers", json=start_json(world)).status_code == 404
    assert count(session, HandoverAcknowledgement) == 0
    assert count(session, Handover) == 1
