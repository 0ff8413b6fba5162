"""A care worker records an engagement note in three taps, from the home screen; notes are
read on the person's page, amended with a reason, voided, and reviewed by a manager."""

from __future__ import annotations

import re
import uuid
from datetime import date, timedelta

from sqlmodel import Session, func, select
from starlette.testclient import TestClient

from app.action.models import ActionSource, FollowUpAction
from app.audit.models import AuditEvent
from app.engagement.models import (
    EngagementNote,
    EngagementNoteRevision,
    RestrictivePracticeReview,
    ReviewOutcome,
)
from tests.forms import default_values
from tests.support import FrozenClock, World, sign_in


def note_count(session: Session) -> int:
    session.expire_all()
    return session.exec(select(func.count()).select_from(EngagementNote)).one()


def open_note_form(client: TestClient, world: World) -> tuple[str, dict[str, str]]:
    """Tap 1: the person on the home screen. Returns the form's action and its defaults."""
    home = client.get("/home")
    link = re.search(r'href="([^"]+/people/' + str(world.person.id) + r'/notes/new)"', home.text)
    assert link, "the home screen offers the person"
    form = client.get(link.group(1))
    assert form.status_code == 200
    action = re.search(
        r'<form method="post" novalidate class="note-form"\s+action="([^"]+)"', form.text
    )
    assert action
    return action.group(1), default_values(form.text)


def test_a_carer_records_a_note_in_three_taps(
    client: TestClient, world: World, session: Session
) -> None:
    sign_in(client, world.carer)
    action, defaults = open_note_form(client, world)
    saved = client.post(action, data={**defaults, "level": "3"})  # taps 2 and 3
    assert saved.status_code == 303
    home = client.get(saved.headers["location"])
    assert "Saved: Ada — 3 Chose and connected" in home.text
    note = session.exec(select(EngagementNote)).one()
    assert note.level == 3
    assert note.author_id == world.carer.id
    assert note.theme_id == world.theme.id  # the site's one active theme, pre-selected
    assert note.shift_name == "Early"  # 10:00 UTC on 23 November is 10:00 in London
    assert note.occurred_at == note.recorded_at


def test_the_note_page_shows_the_focus_and_the_scale_in_words(
    client: TestClient, world: World
) -> None:
    sign_in(client, world.carer)
    page = client.get(f"/people/{world.person.id}/notes/new")
    assert "How engaged was Ada?" in page.text
    assert "Focus:</strong> Proactive engagement" in page.text
    for words in ("Not engaged", "Done for", "Took part with support", "Chose and connected"):
        assert words in page.text


def test_a_double_tapped_save_makes_one_note(
    client: TestClient, world: World, session: Session
) -> None:
    sign_in(client, world.carer)
    action, defaults = open_note_form(client, world)
    first = client.post(action, data={**defaults, "level": "2"})
    second = client.post(action, data={**defaults, "level": "2"})
    assert first.status_code == second.status_code == 303
    assert note_count(session) == 1


def test_saving_without_a_level_says_so_beside_it(
    client: TestClient, world: World, session: Session
) -> None:
    sign_in(client, world.carer)
    action, defaults = open_note_form(client, world)
    response = client.post(action, data=defaults)
    assert response.status_code == 422
    assert 'id="level-error"' in response.text
    assert "Choose how engaged they were." in response.text
    assert note_count(session) == 0


def test_a_level_off_the_scale_is_refused(
    client: TestClient, world: World, session: Session
) -> None:
    sign_in(client, world.carer)
    action, defaults = open_note_form(client, world)
    response = client.post(action, data={**defaults, "level": "7"})
    assert response.status_code == 422
    assert 'id="level-error"' in response.text
    assert note_count(session) == 0


def test_a_time_in_the_future_is_refused(
    client: TestClient, world: World, session: Session
) -> None:
    sign_in(client, world.carer)
    action, defaults = open_note_form(client, world)
    response = client.post(
        action, data={**defaults, "level": "2", "occurred_at": "2026-11-23T11:30"}
    )
    assert response.status_code == 422
    assert 'id="occurred_at-error"' in response.text
    assert note_count(session) == 0


def test_a_late_entry_is_kept_apart_and_shown_as_late(
    client: TestClient, world: World, session: Session
) -> None:
    sign_in(client, world.carer)
    action, defaults = open_note_form(client, world)
    client.post(action, data={**defaults, "level": "1", "occurred_at": "2026-11-22T23:15"})
    note = session.exec(select(EngagementNote)).one()
    assert note.shift_name == "Night"
    assert note.shift_date.isoformat() == "2026-11-22"
    assert note.recorded_at - note.occurred_at > timedelta(hours=10)
    page = client.get(f"/people/{world.person.id}")
    assert "added later" in page.text


def test_an_overlong_answer_is_refused_beside_its_field(
    client: TestClient, world: World, session: Session
) -> None:
    sign_in(client, world.carer)
    action, defaults = open_note_form(client, world)
    response = client.post(action, data={**defaults, "level": "2", "activity": "x" * 5000})
    assert response.status_code == 422
    assert 'id="activity-error"' in response.text
    assert note_count(session) == 0


def test_a_one_megabyte_note_is_refused(client: TestClient, world: World, session: Session) -> None:
    sign_in(client, world.carer)
    action, defaults = open_note_form(client, world)
    response = client.post(action, data={**defaults, "level": "2", "activity": "x" * 1_100_000})
    assert response.status_code == 413
    assert note_count(session) == 0


def test_restrictive_practice_needs_a_reason(
    client: TestClient, world: World, session: Session
) -> None:
    sign_in(client, world.carer)
    action, defaults = open_note_form(client, world)
    response = client.post(
        action, data={**defaults, "level": "0", "restrictive_practice": "physical"}
    )
    assert response.status_code == 422
    assert 'id="restrictive_reason-error"' in response.text
    assert note_count(session) == 0


def test_a_person_at_another_site_cannot_be_noted(
    client: TestClient, world: World, session: Session
) -> None:
    sign_in(client, world.carer)
    page = client.get(f"/people/{world.other_person.id}/notes/new")
    posted = client.post(
        f"/people/{world.other_person.id}/notes", data={"id": str(uuid.uuid4()), "level": "2"}
    )
    assert page.status_code == posted.status_code == 404
    assert note_count(session) == 0


def record(client: TestClient, world: World, **fields: str) -> EngagementNote:
    action, defaults = open_note_form(client, world)
    client.post(action, data={**defaults, "level": "2", **fields})
    return EngagementNote(id=uuid.UUID(defaults["id"]))


def test_staff_of_the_site_read_a_persons_recent_notes(
    client: TestClient, make_client, world: World
) -> None:  # type: ignore[no-untyped-def]
    sign_in(client, world.carer)
    record(client, world, activity="Baking")
    colleague = make_client()
    sign_in(colleague, world.colleague)
    page = colleague.get(f"/people/{world.person.id}")
    assert "2 Took part with support" in page.text
    assert "Alice Carer" in page.text
    outsider = make_client()
    sign_in(outsider, world.outsider)
    assert outsider.get(f"/people/{world.person.id}").status_code == 404


def test_the_author_amends_a_note_with_a_reason_and_the_history_stays(
    client: TestClient, world: World, session: Session
) -> None:
    sign_in(client, world.carer)
    note = record(client, world)
    refused = client.post(f"/notes/{note.id}/amend", data={"level": "3", "reason": ""})
    assert refused.status_code == 422
    assert 'id="reason-error"' in refused.text
    amended = client.post(f"/notes/{note.id}/amend", data={"level": "3", "reason": "Wrong button"})
    assert amended.status_code == 303
    page = client.get(f"/notes/{note.id}")
    assert "3 Chose and connected" in page.text
    assert "Reason: Wrong button" in page.text
    assert "Recorded" in page.text
    revisions = session.exec(
        select(EngagementNoteRevision.revision, EngagementNoteRevision.content)
        .where(EngagementNoteRevision.note_id == note.id)
        .order_by(EngagementNoteRevision.revision)
    ).all()
    assert [(number, content["level"]) for number, content in revisions] == [(1, 2), (2, 3)]


def test_a_colleague_cannot_amend_or_void_someone_elses_note(
    client: TestClient, make_client, world: World, session: Session
) -> None:  # type: ignore[no-untyped-def]
    sign_in(client, world.carer)
    note = record(client, world)
    colleague = make_client()
    sign_in(colleague, world.colleague)
    assert colleague.get(f"/notes/{note.id}/amend").status_code == 403
    assert (
        colleague.post(f"/notes/{note.id}/amend", data={"level": "0", "reason": "No"}).status_code
        == 403
    )
    assert colleague.post(f"/notes/{note.id}/void", data={"reason": "No"}).status_code == 403
    session.expire_all()
    assert session.get_one(EngagementNote, note.id).level == 2


def test_a_manager_voids_a_note_which_stays_visible_as_void(
    client: TestClient, make_client, world: World, session: Session
) -> None:  # type: ignore[no-untyped-def]
    sign_in(client, world.carer)
    note = record(client, world)
    manager = make_client()
    sign_in(manager, world.manager)
    assert manager.post(f"/notes/{note.id}/void", data={"reason": ""}).status_code == 422
    assert (
        manager.post(f"/notes/{note.id}/void", data={"reason": "Wrong person"}).status_code == 303
    )
    page = manager.get(f"/notes/{note.id}")
    assert "Void." in page.text
    assert "Wrong person" in page.text
    assert note_count(session) == 1
    assert "No notes yet." in manager.get(f"/people/{world.person.id}").text


def test_restrictive_practice_waits_for_a_managers_review(
    client: TestClient, make_client, world: World, session: Session
) -> None:  # type: ignore[no-untyped-def]
    sign_in(client, world.carer)
    note = record(
        client,
        world,
        restrictive_practice="environmental",
        restrictive_reason="Door locked during fire drill",
    )
    manager = make_client()
    sign_in(manager, world.manager)
    assert (
        'Restrictive practice to review <span class="count">1</span>' in manager.get("/home").text
    )
    waiting = manager.get(f"/sites/{world.site.id}/notes/to-review")
    assert "Restricting where they could go" in waiting.text
    review = {
        "id": str(uuid.uuid4()),
        "outcome": "avoidable",
        "debrief_held": "yes",
        "debrief_with": "Alice, at the end of the shift",
        "debrief_on": "2026-11-23",
        "changes": "",
    }
    assert client.post(f"/notes/{note.id}/review", data=review).status_code == 403
    page = manager.get(f"/notes/{note.id}").text
    assert "Could have been avoided" in page
    assert "Needs a safeguarding referral" in page
    assert "Was there a debrief with the staff involved?" in page
    no_changes = manager.post(f"/notes/{note.id}/review", data=review)
    assert no_changes.status_code == 422
    assert 'id="changes-error"' in no_changes.text
    assert "Write what will change" in no_changes.text
    assert 'value="avoidable" checked' in no_changes.text  # what was chosen is kept
    review["changes"] = "Warn Ada before drills; walk with her instead."
    saved = manager.post(f"/notes/{note.id}/review", data=review)
    assert saved.status_code == 303
    assert saved.headers["location"].endswith(f"/notes/{note.id}#review")
    assert manager.post(f"/notes/{note.id}/review", data=review).status_code == 303  # double tap
    shown = manager.get(f"/notes/{note.id}").text
    assert "Could have been avoided: de-escalation was not tried first" in shown
    assert "Held with Alice, at the end of the shift, Mon 23 Nov 2026" in shown
    assert "Warn Ada before drills; walk with her instead." in shown
    assert "Save review" not in shown
    assert (
        "Nothing is waiting for review."
        in manager.get(f"/sites/{world.site.id}/notes/to-review").text
    )
    reviewed = session.exec(
        select(AuditEvent).where(AuditEvent.entity_id == note.id, AuditEvent.action == "review")
    ).one()
    assert reviewed.actor_id == world.manager.id
    assert reviewed.summary == "outcome=avoidable debrief=yes"
    stored = session.exec(select(RestrictivePracticeReview)).one()
    assert (stored.outcome, stored.debrief_held, stored.debrief_on) == (
        ReviewOutcome.avoidable,
        True,
        date(2026, 11, 23),
    )


def test_a_review_may_set_a_follow_up_action_carried_forward_to_its_owner(
    client: TestClient, make_client, world: World, session: Session
) -> None:  # type: ignore[no-untyped-def]
    sign_in(client, world.carer)
    note = record(client, world, restrictive_practice="physical", restrictive_reason="Fell")
    manager = make_client()
    sign_in(manager, world.manager)
    review = {
        **default_values(manager.get(f"/notes/{note.id}").text),
        "outcome": "safeguarding",
        "debrief_held": "no",
        "changes": "Referral made; plan reviewed.",
        "action.description": "Book de-escalation refresher",
        "action.owner_id": str(world.outsider.id),  # works at another site
    }
    refused = manager.post(f"/notes/{note.id}/review", data=review)
    assert refused.status_code == 422
    assert 'id="action-owner_id-error"' in refused.text
    assert session.exec(select(RestrictivePracticeReview)).all() == []

    review["action.owner_id"] = str(world.carer.id)
    assert manager.post(f"/notes/{note.id}/review", data=review).status_code == 303
    session.rollback()  # read what the app has committed since
    action = session.exec(select(FollowUpAction)).one()
    assert (action.source, action.owner_id) == (ActionSource.review, world.carer.id)
    mine = client.get("/my/actions").text
    assert "Book de-escalation refresher" in mine
    link = f'<a href="http://testserver/notes/{note.id}">from a restrictive practice review</a>'
    assert link in mine


def test_every_change_to_a_note_is_audited(
    client: TestClient, make_client, world: World, session: Session, clock: FrozenClock
) -> None:  # type: ignore[no-untyped-def]
    sign_in(client, world.carer)
    note = record(client, world)
    clock.advance(minutes=1)
    client.post(f"/notes/{note.id}/amend", data={"level": "1", "reason": "Misread"})
    client.post(f"/notes/{note.id}/void", data={"reason": "Duplicate"})
    actions = session.exec(
        select(AuditEvent.action)
        .where(AuditEvent.entity_id == note.id)
        .order_by(AuditEvent.at, AuditEvent.action)
    ).all()
    assert sorted(actions) == ["amend", "create", "void"]
    summaries = session.exec(
        select(AuditEvent.summary).where(AuditEvent.entity_id == note.id)
    ).all()
    assert all("Misread" not in summary and "Duplicate" not in summary for summary in summaries)


def test_a_manager_sets_the_sites_quick_picks_which_the_note_form_offers(
    client: TestClient, make_client, world: World
) -> None:  # type: ignore[no-untyped-def]
    sign_in(client, world.manager)
    saved = client.post(
        f"/sites/{world.site.id}/quick-picks",
        data={
            "helped": "Garden walk\nGarden walk\n\nMusic from the 60s",
            "hindered": "Agency staff",
        },
    )
    assert saved.status_code == 303
    carer = make_client()
    sign_in(carer, world.carer)
    form = carer.get(f"/people/{world.person.id}/notes/new").text
    assert form.count('value="Garden walk"') == 1
    assert 'value="Music from the 60s"' in form
    assert 'value="Agency staff"' in form
    assert carer.get(f"/sites/{world.site.id}/quick-picks").status_code == 403


def test_too_many_quick_picks_are_refused(client: TestClient, world: World) -> None:
    sign_in(client, world.manager)
    response = client.post(
        f"/sites/{world.site.id}/quick-picks",
        data={"helped": "\n".join(f"Pick {number}" for number in range(20)), "hindered": ""},
    )
    assert response.status_code == 422
    assert 'id="helped-error"' in response.text
