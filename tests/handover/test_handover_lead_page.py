"""What a team lead meets on the handover page: each person's fields named for them, everyone
who is here ticked and saved in one go, a warning before completing with people not handed
over (and none once everyone is), and not being asked to acknowledge the handover they gave."""

from __future__ import annotations

from urllib.parse import urlencode

from sqlmodel import Session, select
from starlette.testclient import TestClient

from app.audit.models import AuditEvent
from app.handover.models import Handover, HandoverAttendance
from app.org.models import PersonSupported
from tests.handover.helpers import (
    AT_14_05,
    form_values,
    fresh,
    person_form,
    prompt_of,
    start_on_the_page,
)
from tests.support import FrozenClock, World, actor_for, make_person, refreshed, sign_in


def post_form(client: TestClient, path: str, pairs: list[tuple[str, str]]):  # type: ignore[no-untyped-def]
    """A form post with a field given more than once (ticked checkboxes)."""
    return client.post(
        path,
        content=urlencode(pairs),
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )


def test_each_persons_fields_are_labelled_with_their_name(
    client: TestClient, world: World, session: Session
) -> None:
    make_person(session, actor_for(session, world.admin), world.site, "Ben")
    session.commit()
    sign_in(client, world.lead)
    page = client.get(f"/handovers/{start_on_the_page(client, world)}").text
    for name in ("Ada", "Ben"):
        assert f">Update for {name}</label>" in page
        assert f">Risks for {name}</label>" in page
        assert f">How is {name}?</legend>" in page
    assert "One-line update</label>" not in page


def test_everyone_here_is_ticked_and_saved_at_once(
    client: TestClient, world: World, session: Session
) -> None:
    sign_in(client, world.lead)
    handover_id = start_on_the_page(client, world)
    path = f"/handovers/{handover_id}/attendance"
    page = client.get(f"/handovers/{handover_id}").text
    assert page.count('type="checkbox" id="attendance-user_id-') == 3  # the team but the lead

    ticked = [("attendance.user_id", str(user.id)) for user in (world.manager, world.colleague)]
    assert post_form(client, path, ticked).status_code == 303
    attending = set(fresh(session).exec(select(HandoverAttendance.user_id)).all())
    assert attending == {world.lead.id, world.manager.id, world.colleague.id}
    page = client.get(f"/handovers/{handover_id}").text
    assert "✓ Manager present" in page
    assert page.count("checked>") >= 2

    # Unticking the colleague takes them off; the lead who runs it stays, whatever is sent.
    assert post_form(client, path, ticked[:1]).status_code == 303
    attending = set(fresh(session).exec(select(HandoverAttendance.user_id)).all())
    assert attending == {world.lead.id, world.manager.id}
    removed = session.exec(
        select(AuditEvent).where(
            AuditEvent.action == "delete", AuditEvent.entity == "handover_attendance"
        )
    ).all()
    assert len(removed) == 1


def test_completing_with_people_not_handed_over_asks_first_listing_them(
    client: TestClient, world: World, session: Session
) -> None:
    admin = actor_for(session, world.admin)
    for name in ("Ben", "Cath"):
        make_person(session, refreshed(session, admin), world.site, name)
    session.commit()
    sign_in(client, world.lead)
    handover_id = start_on_the_page(client, world)
    page_path = f"/handovers/{handover_id}"
    client.post(f"{page_path}/people/{world.person.id}", data=person_form(world, status="stable"))

    asked = client.post(f"{page_path}/complete")
    assert asked.status_code == 200
    assert "2 of 3 people have not been handed over yet" in asked.text
    assert "<li>Ben</li>" in asked.text
    assert "<li>Cath</li>" in asked.text
    assert "<li>Ada</li>" not in asked.text
    assert 'name="confirm" value="yes"' in asked.text
    assert fresh(session).get_one(Handover, handover_id).completed_at is None

    # Once everyone is handed over, completing needs no confirmation.
    for person in fresh(session).exec(select(PersonSupported)).all():
        if person.site_id == world.site.id:
            fields = {f"person-{person.id}.status": "stable"}
            client.post(f"{page_path}/people/{person.id}", data=fields)
    assert client.post(f"{page_path}/complete").status_code == 303
    assert fresh(session).get_one(Handover, handover_id).completed_at is not None


def test_the_lead_who_gave_it_is_not_asked_to_acknowledge_it(
    client: TestClient, world: World, clock: FrozenClock
) -> None:
    clock.set(AT_14_05)
    sign_in(client, world.lead)
    handover_id = start_on_the_page(client, world)
    client.post(f"/handovers/{handover_id}/complete", data={"confirm": "yes"})
    page = client.get(f"/handovers/{handover_id}").text
    assert "You gave this handover" in page
    assert "I’ve received this handover" not in page
    assert "Given by Lee Lead." in page
    waiting = page.split("Not yet")[1]
    assert "Lee Lead" not in waiting
    home = client.get("/home").text
    assert "You gave this handover." in home
    assert "I’ve received this handover" not in home


def test_a_saved_prompt_answer_shows_as_saved_with_when(
    client: TestClient, world: World, session: Session, clock: FrozenClock
) -> None:
    clock.set(AT_14_05)
    sign_in(client, world.lead)
    page_path = f"/handovers/{start_on_the_page(client, world)}"
    prompt_id = prompt_of(session, world.theme)
    prompt_path = f"{page_path}/prompts/{prompt_id}"
    assert "Save answer</button>" in client.get(page_path).text
    clock.advance(minutes=1)
    defaults = form_values(client.get(page_path).text, prompt_path)
    fields = {f"prompt-{prompt_id}.discussed": "yes", f"prompt-{prompt_id}.note": "Ada baked"}
    assert client.post(prompt_path, data={**defaults, **fields}).status_code == 303
    page = client.get(page_path).text
    assert "✓ Saved at 14:06" in page
    assert "<summary>Change the answer</summary>" in page
    assert ">Ada baked</textarea>" in page  # the form holds what was saved, not a blank
    assert "Save answer</button>" not in page
