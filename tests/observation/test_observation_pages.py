"""A manager observes practice on a phone-sized page: checklist, could-explain, feedback, an
action and a follow-up date; the staff member observed reads the feedback and reflects;
colleagues never learn that the observation exists."""

from __future__ import annotations

import re
import uuid
from datetime import timedelta

from sqlmodel import Session, select
from starlette.testclient import TestClient

from app.action.models import FollowUpAction
from app.audit.models import AuditEvent
from app.observation import service
from app.observation.feedback import feedback_for_home
from app.observation.models import Observation, ObservationRating
from tests.forms import default_values
from tests.observation.helpers import behaviour_ids, count, fresh, observe
from tests.support import START, FrozenClock, World, actor_for, make_theme, sign_in


def open_form(client: TestClient, world: World, query: str = "") -> tuple[str, dict[str, str]]:
    """The observation page as the manager opens it: its action and what it sends untouched."""
    page = client.get(f"/sites/{world.site.id}/observations/new{query}")
    assert page.status_code == 200
    action = re.search(r'<form method="post" action="([^"]+)"', page.text)
    assert action, "the checklist is shown"
    return action.group(1), default_values(page.text)


def test_a_manager_observes_gives_feedback_and_plans_a_follow_up(
    client: TestClient, world: World, session: Session
) -> None:
    sign_in(client, world.manager)
    listing = client.get(f"/sites/{world.site.id}/observations")
    assert "Observe practice" in listing.text
    page = client.get(f"/sites/{world.site.id}/observations/new")
    for words in ("Offers a choice", "Seen", "In part", "Not seen", "No chance"):
        assert words in page.text
    assert "Could staff explain why?" in page.text
    action, defaults = open_form(client, world)
    first, second, third = (f"ratings.{b}" for b in behaviour_ids(session, world.theme))
    assert defaults[third] == "none", "no chance to see it, until rated"
    saved = client.post(
        action,
        data={
            **defaults,
            "observed_user_id": str(world.carer.id),
            "location": "Lounge",
            first: "2",
            second: "1",
            "could_explain": "partly",
            "went_well": "You offered Ada a choice of two activities.",
            "next_step": "Wait for her answer before starting.",
            "actions.0.description": "Read the guide on offering choices",
            "actions.0.owner_id": str(world.carer.id),
            "actions.0.due_on": "2026-12-01",
            "follow_up_on": "2026-12-12",
        },
    )
    assert saved.status_code == 303
    detail = client.get(saved.headers["location"])
    for words in (
        "Observation saved.",
        "75%",
        "Seen consistently",
        "Seen in part",
        "No chance to see it",
        "Partly",
        "Alice Carer",
        "Wait for her answer before starting.",
        "Read the guide on offering choices",
        "Follow-up observation on Sat 12 Dec 2026",
    ):
        assert words in detail.text, words
    observation = fresh(session).exec(select(Observation)).one()
    assert observation.practice_score == 75.0
    assert observation.observer_id == world.manager.id
    assert observation.observed_user_id == world.carer.id
    assert observation.shift_name == "Early"
    assert observation.theme_revision == world.theme.revision
    ratings = session.exec(select(ObservationRating.rating)).all()
    assert sorted(ratings, key=lambda rating: -1 if rating is None else rating) == [None, 1, 2]
    follow_up = session.exec(select(FollowUpAction)).one()
    assert (follow_up.observation_id, follow_up.owner_id) == (observation.id, world.carer.id)
    assert "75%" in client.get(f"/sites/{world.site.id}/observations").text


def test_the_question_names_the_staff_member_chosen_at_the_start(
    client: TestClient, world: World
) -> None:
    sign_in(client, world.manager)
    page = client.get(
        f"/sites/{world.site.id}/observations/new?observed_user_id={world.colleague.id}"
    )
    assert "Could Colin Colleague explain why?" in page.text


def test_with_two_active_themes_the_manager_chooses_one_first(
    client: TestClient, world: World, session: Session
) -> None:
    second = make_theme(
        session, actor_for(session, world.quality), sites=[world.site], title="De-escalation"
    )
    session.commit()
    sign_in(client, world.manager)
    start = client.get(f"/sites/{world.site.id}/observations/new")
    assert "Which learning theme are you observing?" in start.text
    assert 'method="post"' not in start.text.split("<main", 1)[1].split("</main>")[0]
    checklist = client.get(f"/sites/{world.site.id}/observations/new?theme_id={second.id}")
    assert "Observe: De-escalation" in checklist.text


def test_a_double_tapped_save_makes_one_observation(
    client: TestClient, world: World, session: Session
) -> None:
    sign_in(client, world.manager)
    action, defaults = open_form(client, world)
    data = {
        **defaults,
        "actions.1.description": "Team talk on choices",
        "actions.1.owner_id": str(world.lead.id),
    }
    assert client.post(action, data=data).status_code == 303
    assert client.post(action, data=data).status_code == 303
    assert count(session, Observation) == 1
    assert count(session, FollowUpAction) == 1


def refused(client: TestClient, action: str, data: dict[str, str], field_id: str) -> None:
    response = client.post(action, data=data)
    assert response.status_code == 422, field_id
    assert f'id="{field_id}-error"' in response.text, field_id
    assert "There is a problem" in response.text


def test_bad_answers_are_refused_beside_their_field_and_nothing_is_written(
    client: TestClient, world: World, session: Session
) -> None:
    sign_in(client, world.manager)
    action, defaults = open_form(client, world)
    first = f"ratings.{behaviour_ids(session, world.theme)[0]}"
    refused(client, action, {**defaults, first: "3"}, first.replace(".", "-"))
    refused(client, action, {**defaults, "next_step": "x" * 5000}, "next_step")
    refused(client, action, {**defaults, "observed_at": "2026-11-23T11:30"}, "observed_at")
    refused(client, action, {**defaults, "follow_up_on": "2026-11-01"}, "follow_up_on")
    refused(
        client, action, {**defaults, "observed_user_id": str(world.outsider.id)}, "observed_user_id"
    )
    refused(
        client,
        action,
        {**defaults, "actions.1.description": "Team talk on choices"},
        "actions-1-owner_id",
    )
    elsewhere = f"ratings.{behaviour_ids(session, world.other_theme)[0]}"
    refused(client, action, {**defaults, elsewhere: "2"}, "ratings")
    kept = client.post(action, data={**defaults, "went_well": "Kept", "next_step": "x" * 501})
    assert "Kept</textarea>" in kept.text, "what was typed is kept"
    assert count(session, Observation) == 0
    assert count(session, FollowUpAction) == 0


def test_a_theme_not_active_at_the_site_is_refused(
    client: TestClient, world: World, session: Session
) -> None:
    sign_in(client, world.manager)
    action, defaults = open_form(client, world)
    response = client.post(action, data={**defaults, "theme_id": str(world.other_theme.id)})
    assert response.status_code == 422
    assert 'id="theme_id-error"' in response.text
    assert count(session, Observation) == 0


def test_a_one_megabyte_observation_is_refused(
    client: TestClient, world: World, session: Session
) -> None:
    sign_in(client, world.manager)
    action, defaults = open_form(client, world)
    response = client.post(action, data={**defaults, "context_notes": "x" * 1_100_000})
    assert response.status_code == 413
    assert count(session, Observation) == 0


def test_team_leads_and_care_workers_cannot_observe_and_outsiders_find_nothing(
    make_client, world: World, session: Session
) -> None:  # type: ignore[no-untyped-def]
    body = {"id": str(uuid.uuid4()), "theme_id": str(world.theme.id)}
    for persona, status in (("lead", 403), ("carer", 403), ("admin", 403), ("outsider", 404)):
        client = make_client()
        sign_in(client, world.user(persona))
        site = f"/sites/{world.site.id}/observations"
        assert client.get(f"{site}/new").status_code == status, persona
        assert client.post(site, data=body).status_code == status, persona
    assert count(session, Observation) == 0


def test_the_site_list_is_for_managers_quality_leads_and_admins(make_client, world: World) -> None:  # type: ignore[no-untyped-def]
    expected = {"manager": 200, "quality": 200, "admin": 200, "lead": 403, "carer": 403}
    for persona, status in {**expected, "outsider": 404}.items():
        client = make_client()
        sign_in(client, world.user(persona))
        assert client.get(f"/sites/{world.site.id}/observations").status_code == status, persona


def test_the_observed_carer_reads_the_feedback_and_reflects(
    client: TestClient, world: World, session: Session, clock: FrozenClock
) -> None:
    observation = observe(session, world)
    sign_in(client, world.carer)
    mine = client.get("/my/feedback")
    assert "You offered Ada a choice of two activities." in mine.text
    assert "Wait for her answer before starting." in mine.text
    assert "No reflection yet: open it to add yours." in mine.text
    detail_path = f"/observations/{observation.id}"
    assert detail_path in mine.text
    detail = client.get(detail_path)
    assert 'name="reflection"' in detail.text
    assert "Void this observation" not in detail.text
    empty = client.post(f"{detail_path}/reflection", data={"reflection": " "})
    assert empty.status_code == 422
    assert 'id="reflection-error"' in empty.text
    assert "Write your reflection." in empty.text
    assert "at most" not in empty.text  # an empty field is not told to be shorter
    client.post(f"{detail_path}/reflection", data={"reflection": "I rushed the start."})
    clock.advance(minutes=10)
    again = client.post(f"{detail_path}/reflection", data={"reflection": "I will ask first."})
    assert again.status_code == 303
    assert "I will ask first." in client.get(detail_path).text
    assert "You added a reflection." in client.get("/my/feedback").text
    row = fresh(session).get_one(Observation, observation.id)
    assert row.reflection == "I will ask first."
    assert row.reflected_at == clock.now()


def test_colleagues_and_the_team_lead_never_see_someone_elses_feedback(
    make_client, world: World, session: Session
) -> None:  # type: ignore[no-untyped-def]
    observation = observe(session, world)
    path = f"/observations/{observation.id}"
    for persona in ("colleague", "lead", "outsider", "outsider_manager"):
        client = make_client()
        sign_in(client, world.user(persona))
        assert client.get(path).status_code == 404, persona
        assert client.post(f"{path}/reflection", data={"reflection": "x"}).status_code == 404
        assert client.post(f"{path}/void", data={"reason": "x"}).status_code == 404
        assert "Ada" not in client.get("/my/feedback").text
    assert fresh(session).get_one(Observation, observation.id).voided_at is None


def test_managers_quality_leads_and_admins_read_it_but_only_the_observer_or_a_manager_voids(
    make_client, world: World, session: Session
) -> None:  # type: ignore[no-untyped-def]
    observation = observe(session, world, by="quality")
    path = f"/observations/{observation.id}"
    for persona in ("quality", "admin", "manager"):
        client = make_client()
        sign_in(client, world.user(persona))
        assert "75%" in client.get(path).text, persona
    admin = make_client()
    sign_in(admin, world.admin)
    assert admin.post(f"{path}/void", data={"reason": "No"}).status_code == 403
    manager = make_client()
    sign_in(manager, world.manager)
    assert manager.post(f"{path}/void", data={"reason": ""}).status_code == 422
    assert manager.post(f"{path}/void", data={"reason": "Wrong person"}).status_code == 303
    page = manager.get(path)
    assert "Void." in page.text
    assert "Wrong person" in page.text
    assert count(session, Observation) == 1
    carer = make_client()
    sign_in(carer, world.carer)
    assert "No feedback yet." in carer.get("/my/feedback").text


def test_saving_an_observation_is_audited(
    client: TestClient, world: World, session: Session
) -> None:
    sign_in(client, world.manager)
    action, defaults = open_form(client, world)
    client.post(action, data={**defaults, "went_well": "Calm voice"})
    event = fresh(session).exec(select(AuditEvent).where(AuditEvent.entity == "observation")).one()
    assert (event.action, event.actor_id) == ("create", world.manager.id)
    assert event.summary == "rated=0/3 could_explain=not_asked actions=0"


def test_the_home_screen_gets_the_carers_own_feedback_newest_first(
    world: World, session: Session
) -> None:
    older = observe(session, world, observed_at=(START - timedelta(days=2)).isoformat())
    newer = observe(session, world, went_well="Calm and unhurried.")
    observe(session, world, observed_user_id=str(world.colleague.id))
    voided = observe(session, world)
    manager = actor_for(session, world.manager)
    service.void_observation(session, actor=manager, observation=voided, reason="Twice", now=START)
    session.commit()
    feedback = feedback_for_home(session, actor=actor_for(session, world.carer))
    assert [item.id for item in feedback] == [newer.id, older.id]
    assert feedback[0].theme_title == "Proactive engagement"
    assert feedback[0].went_well == "Calm and unhurried."
    assert feedback[0].next_step == "Wait for her answer before starting."
    assert feedback[1].observed_on.isoformat() == "2026-11-21"
    assert not feedback[0].has_reflection
    assert feedback_for_home(session, actor=actor_for(session, world.lead)) == []
