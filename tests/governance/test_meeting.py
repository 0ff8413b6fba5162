"""The quality meeting page: a week's agenda in the meeting's order, for the readers of the
sites' indicators, each item linking to where it is decided."""

from __future__ import annotations

from sqlmodel import Session
from starlette.testclient import TestClient

from tests.governance.test_alerts import check
from tests.governance.test_lifecycle import observe_every_shift
from tests.support import World, sign_in


def test_the_agenda_holds_alerts_proposals_and_unobserved_shifts_in_order(
    client: TestClient, session: Session, world: World
) -> None:
    observe_every_shift(session, world, weeks=8)  # proposes embedded at Rosewood
    check(session, world)
    sign_in(client, world.quality)

    page = client.get("/governance/meeting")

    assert page.status_code == 200
    text = page.text
    order = [text.index(f"{n}. ") for n in range(1, 6)]
    assert order == sorted(order)
    assert "/proposals/" in text
    assert "embedding → embedded" in text
    assert "never observed" in text  # the other site's theme, never observed on any shift


def test_a_carer_has_no_quality_meeting_and_a_bad_week_is_refused(
    client: TestClient, world: World
) -> None:
    sign_in(client, world.manager)
    assert client.get("/governance/meeting", params={"week": "2026-11-02"}).status_code == 200
    malformed = client.get("/governance/meeting", params={"week": "next tuesday"})
    assert malformed.status_code == 404  # a malformed URL, as every page answers it
    client.post("/logout")
    sign_in(client, world.carer)
    assert client.get("/governance/meeting").status_code == 403
