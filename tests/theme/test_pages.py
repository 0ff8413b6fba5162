"""The learning theme pages: a quality lead defines, revises and moves a theme; staff read it."""

from __future__ import annotations

import html
import re
import uuid

import pytest
from httpx import Response
from sqlmodel import Session, col, select
from starlette.testclient import TestClient

from app.auth.passwords import Passwords
from app.theme.models import Behaviour, LearningTheme, ThemeRevision, ThemeStatus
from tests.support import FrozenClock, World, actor_for, make_theme
from tests.theme.helpers import (
    BEHAVIOURS,
    MakeClient,
    build_other_organisation,
    client_for,
    id_from_location,
    path,
    rows,
    status_of,
    theme_count,
    theme_form,
    theme_in,
    transitions_of,
)

LIFECYCLE = [
    ("pilot", "Trying it at Rosewood first after the incident review."),
    ("embedding", "Pilot observations: 9 of 10 behaviours seen."),
    ("embedded", "Seen on every shift for eight weeks, nights included."),
    ("embedding", "Night shift observations slipped: practice drifts."),
    ("retired", "Replaced by the new positive behaviour support plan."),
]


def move(client: TestClient, theme_id: uuid.UUID, to_status: str, reason: str) -> Response:
    """A move as its confirmation page sends it."""
    return client.post(
        path(client, "governance:theme_move", theme_id=theme_id),
        data={"to_status": to_status, "reason": reason, "confirm": "yes"},
    )


def test_a_move_first_shows_what_will_change_and_needs_confirming(
    make_client: MakeClient, world: World, session: Session
) -> None:
    quality = client_for(make_client, world.quality)
    transition = path(quality, "governance:theme_move", theme_id=world.theme.id)
    reason = "Seen on every shift for eight weeks."
    asked = quality.post(transition, data={"to_status": "embedded", "reason": reason})
    assert asked.status_code == 200
    text = html.unescape(asked.text)
    assert "Moving ‘Proactive engagement’ from embedding to embedded" in text
    assert (
        "It stops being today's focus at Rosewood House: its handover prompts stop appearing "
        "at handovers there." in text
    )
    assert reason in text
    assert status_of(session, world.theme.id) == ThemeStatus.embedding
    assert transitions_of(session, world.theme.id)[-1].to_status == ThemeStatus.embedding

    confirm = re.search(
        r'<form method="post" action="[^"]*/move" novalidate>.*?</form>', text, re.S
    )
    assert confirm is not None
    sent = dict(re.findall(r'name="([^"]+)" value="([^"]*)"', confirm.group(0)))
    assert sent == {"to_status": "embedded", "confirm": "yes"}
    assert f">{reason}</textarea>" in confirm.group(
        0
    )  # the reason, to change in sight of the evidence
    assert quality.post(transition, data={**sent, "reason": reason}).status_code == 303
    assert status_of(session, world.theme.id) == ThemeStatus.embedded


def test_quality_lead_takes_a_theme_through_its_whole_lifecycle_on_the_pages(
    make_client: MakeClient, world: World, session: Session, clock: FrozenClock
) -> None:
    quality = client_for(make_client, world.quality)
    created = quality.post(path(quality, "theme:create"), data=theme_form([world.site.id]))
    assert created.status_code == 303
    theme_id = id_from_location(created.headers["location"])
    assert status_of(session, theme_id) == ThemeStatus.draft

    for to_status, reason in LIFECYCLE:
        clock.advance(minutes=10)
        answer = move(quality, theme_id, to_status, reason)
        assert answer.status_code == 303
        assert status_of(session, theme_id) == ThemeStatus(to_status)

    moves = transitions_of(session, theme_id)
    assert [(step.from_status.value, step.to_status.value) for step in moves] == [
        ("draft", "pilot"),
        ("pilot", "embedding"),
        ("embedding", "embedded"),
        ("embedded", "embedding"),
        ("embedding", "retired"),
    ]
    # Moves the evidence judges keep it beside the reason (here, never observed: against it).
    assert [step.reason.split(" — ")[0] for step in moves] == [reason for _, reason in LIFECYCLE]
    assert [" — moved against the evidence: " in step.reason for step in moves] == [
        False,
        False,
        True,
        True,
        False,
    ]
    assert {step.actor_id for step in moves} == {world.quality.id}

    page = quality.get(path(quality, "theme:detail", theme_id=theme_id))
    text = html.unescape(page.text)
    assert "Retired" in text
    for _, reason in LIFECYCLE:
        assert reason in text
    assert text.count("Quinn Quality") >= len(LIFECYCLE)
    assert "Embedded → Embedding" in text
    assert "A retired theme stays retired" in text
    assert 'name="to_status"' not in text
    assert "Edit</a>" not in text


def test_detail_page_offers_only_the_allowed_next_steps_with_plain_explanations(
    make_client: MakeClient, world: World
) -> None:
    quality = client_for(make_client, world.quality)
    page = quality.get(path(quality, "theme:detail", theme_id=world.theme.id))
    text = html.unescape(page.text)
    assert page.status_code == 200
    assert 'value="embedded"' in text
    assert 'value="retired"' in text
    assert 'value="pilot"' not in text
    assert "how we do things here" in text
    assert "The evidence for this move" in text
    assert "Revision 1" in text


def test_embedded_theme_offers_going_back_to_embedding_when_practice_drifts(
    make_client: MakeClient, world: World, session: Session
) -> None:
    theme = theme_in(session, world.quality, ThemeStatus.embedded, sites=[world.site])
    quality = client_for(make_client, world.quality)
    page = quality.get(path(quality, "theme:detail", theme_id=theme.id))
    assert "back to embedding when practice drifts" in html.unescape(page.text)


@pytest.mark.parametrize(
    ("start", "to_status"),
    [
        (ThemeStatus.draft, "embedded"),
        (ThemeStatus.embedding, "pilot"),
        (ThemeStatus.embedded, "embedded"),
        (ThemeStatus.retired, "embedding"),
        (ThemeStatus.retired, "draft"),
    ],
)
def test_a_move_the_lifecycle_does_not_allow_is_refused_beside_the_choice_and_changes_nothing(
    make_client: MakeClient,
    world: World,
    session: Session,
    start: ThemeStatus,
    to_status: str,
) -> None:
    theme = theme_in(session, world.quality, start, sites=[world.site])
    before = len(transitions_of(session, theme.id))
    quality = client_for(make_client, world.quality)
    answer = quality.post(
        path(quality, "governance:theme_move", theme_id=theme.id),
        data={"to_status": to_status, "reason": "Because"},
    )
    assert answer.status_code == 422
    assert 'id="to_status-error"' in answer.text
    assert 'class="error-summary"' in answer.text
    if start != ThemeStatus.retired:
        assert "Because</textarea>" in answer.text  # what was typed is kept
    assert status_of(session, theme.id) == start
    assert len(transitions_of(session, theme.id)) == before


def test_moving_to_pilot_needs_the_sites_first(
    make_client: MakeClient, world: World, session: Session
) -> None:
    theme = make_theme(
        session, actor_for(session, world.quality), sites=[], status=ThemeStatus.draft
    )
    session.commit()
    quality = client_for(make_client, world.quality)
    answer = move(quality, theme.id, "pilot", "Ready to try")
    assert answer.status_code == 422
    assert "Choose the sites this theme applies to first." in answer.text
    assert status_of(session, theme.id) == ThemeStatus.draft
    assert transitions_of(session, theme.id) == []


@pytest.mark.parametrize("reason", ["", "   "])
def test_a_move_without_a_reason_is_refused(
    make_client: MakeClient, world: World, session: Session, reason: str
) -> None:
    quality = client_for(make_client, world.quality)
    answer = move(quality, world.theme.id, "embedded", reason)
    assert answer.status_code == 422
    assert 'id="reason-error"' in answer.text
    assert "Say why: the evidence for this move." in answer.text
    assert "at most 1000 characters" not in answer.text  # an empty field is not told to be shorter
    assert status_of(session, world.theme.id) == ThemeStatus.embedding


def test_a_move_without_a_choice_asks_for_one(make_client: MakeClient, world: World) -> None:
    quality = client_for(make_client, world.quality)
    answer = quality.post(
        path(quality, "governance:theme_move", theme_id=world.theme.id), data={"reason": "Ready"}
    )
    assert answer.status_code == 422
    assert 'id="to_status-error"' in answer.text


def test_new_theme_form_has_every_field_labelled_and_eight_boxes_per_list(
    make_client: MakeClient, world: World
) -> None:
    quality = client_for(make_client, world.quality)
    page = quality.get(path(quality, "theme:new"))
    assert page.status_code == 200
    text = page.text
    assert text.count('name="behaviours"') == 8
    assert text.count('name="prompts"') == 8
    for control in ("title", "why", "source_reference", "start_date", "behaviours-0", "prompts-7"):
        assert f'for="{control}"' in text
    assert 'name="source_kind"' in text
    assert "Rosewood House" in text
    assert "Beech Court" in text
    assert "in a sentence staff can repeat" in text.lower()
    assert "style=" not in text
    assert "<script>" not in text


def test_creating_a_theme_keeps_it_as_a_draft_at_revision_one(
    make_client: MakeClient, world: World, session: Session
) -> None:
    quality = client_for(make_client, world.quality)
    created = quality.post(
        path(quality, "theme:create"),
        data=theme_form([world.site.id, world.other_site.id]),
    )
    theme_id = id_from_location(created.headers["location"])
    theme = rows(session, select(LearningTheme).where(LearningTheme.id == theme_id))[0]
    assert theme.status == ThemeStatus.draft
    assert theme.revision == 1
    page = quality.get(created.headers["location"])
    text = html.unescape(page.text)
    for behaviour in BEHAVIOURS:
        assert behaviour in text
    assert "Did anyone need space today, and what helped?" in text
    assert "Beech Court, Rosewood House" in text
    assert "1 December 2026" in text
    assert "Post-incident review 12" in text


LONG = "x" * 10_000


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"title": "  "}, "title"),
        ({"why": LONG}, "why"),
        ({"behaviours": ["One", "Two", "", "", "", "", "", ""]}, "behaviours"),
        ({"behaviours": [f"Behaviour {n}" for n in range(9)]}, "behaviours"),
        ({"behaviours": ["Same", "same ", "Other", "", "", "", "", ""]}, "behaviours"),
        ({"behaviours": ["One", "y" * 201, "Three"]}, "behaviours-1"),
        ({"prompts": [f"Prompt {n}?" for n in range(9)]}, "prompts"),
        ({"source_kind": "rumour"}, "source_kind"),
        ({"source_kind": ""}, "source_kind"),
        ({"site_ids": ["not-a-site"]}, "site_ids"),
        ({"site_ids": ["00000000-0000-4000-8000-000000000000"]}, "site_ids"),
        ({"start_date": "next tuesday"}, "start_date"),
    ],
)
def test_bad_input_on_the_form_is_shown_beside_the_field_and_writes_nothing(
    make_client: MakeClient,
    world: World,
    session: Session,
    overrides: dict[str, object],
    field: str,
) -> None:
    before = theme_count(session)
    quality = client_for(make_client, world.quality)
    answer = quality.post(
        path(quality, "theme:create"), data=theme_form([world.site.id], **overrides)
    )
    assert answer.status_code == 422
    assert f'id="{field}-error"' in answer.text
    assert f'href="#{field}"' in answer.text  # the summary at the top links to it
    assert theme_count(session) == before


def test_the_error_summary_says_which_field_each_problem_is_about(
    make_client: MakeClient, world: World
) -> None:
    quality = client_for(make_client, world.quality)
    answer = quality.post(
        path(quality, "theme:create"),
        data=theme_form([world.site.id], source_kind="", behaviours=["One", "y" * 201, "Three"]),
    )
    summary = html.unescape(answer.text.split('class="error-summary"')[1].split("</div>")[0])
    assert "Choose where it came from." in summary
    assert "Behaviour 2: Use at most 200 characters." in summary


def test_a_retired_theme_cannot_be_edited(
    make_client: MakeClient, world: World, session: Session
) -> None:
    theme = theme_in(session, world.quality, ThemeStatus.retired, sites=[world.site])
    quality = client_for(make_client, world.quality)
    assert "Edit</a>" not in quality.get(path(quality, "theme:detail", theme_id=theme.id)).text
    answer = quality.post(
        path(quality, "theme:update", theme_id=theme.id), data=theme_form([world.site.id])
    )
    assert answer.status_code == 422
    assert "A retired theme cannot be edited." in answer.text
    assert rows(session, select(LearningTheme.revision).where(LearningTheme.id == theme.id)) == [1]


def test_another_organisations_site_cannot_be_chosen(
    make_client: MakeClient, world: World, session: Session, passwords: Passwords
) -> None:
    other = build_other_organisation(session, passwords)
    before = theme_count(session)
    quality = client_for(make_client, world.quality)
    answer = quality.post(path(quality, "theme:create"), data=theme_form([other.site.id]))
    assert answer.status_code == 422
    assert 'id="site_ids-error"' in answer.text
    assert theme_count(session) == before


def test_a_refused_form_shows_again_what_was_typed(make_client: MakeClient, world: World) -> None:
    quality = client_for(make_client, world.quality)
    answer = quality.post(
        path(quality, "theme:create"),
        data=theme_form(
            [world.site.id], title="", behaviours=["", "Kept line", "", "Another", "", "", "", ""]
        ),
    )
    assert answer.status_code == 422
    assert 'value="Kept line"' in answer.text
    assert 'value="Another"' in answer.text
    assert answer.text.count('name="behaviours"') == 8
    assert "Calm words first" in answer.text
    assert f'value="{world.site.id}" checked' in answer.text


def test_editing_makes_revision_two_and_keeps_revision_one_readable(
    make_client: MakeClient, world: World, session: Session, clock: FrozenClock
) -> None:
    quality = client_for(make_client, world.quality)
    edit_path = path(quality, "theme:edit", theme_id=world.theme.id)
    form = quality.get(edit_path)
    assert "Saving makes revision 2; the earlier wording is kept." in form.text
    assert 'value="Offers a choice"' in form.text

    clock.advance(minutes=10)
    changed = ["Offers a real choice", "Gives just enough help", "Invites the person to lead"]
    saved = quality.post(
        edit_path,
        data=theme_form(
            [world.site.id],
            title="Proactive engagement",
            behaviours=[*changed, "", "", "", "", ""],
        ),
    )
    assert saved.status_code == 303

    detail = html.unescape(quality.get(saved.headers["location"]).text)
    assert "Revision 2" in detail
    assert "Offers a real choice" in detail
    first = quality.get(path(quality, "theme:revision", theme_id=world.theme.id, revision=1))
    assert first.status_code == 200
    assert "Offers a choice" in first.text
    assert "Offers a real choice" not in first.text
    assert "It is now at revision 2." in first.text
    revisions = rows(
        session, select(ThemeRevision.revision).where(ThemeRevision.theme_id == world.theme.id)
    )
    assert sorted(revisions) == [1, 2]


def test_a_behaviour_whose_wording_changed_is_retired_not_deleted(
    make_client: MakeClient, world: World, session: Session
) -> None:
    quality = client_for(make_client, world.quality)
    quality.post(
        path(quality, "theme:update", theme_id=world.theme.id),
        data=theme_form(
            [world.site.id],
            behaviours=[
                "Invites the person to lead",
                "Offers a real choice",
                "Gives just enough help",
            ],
        ),
    )
    lines = rows(
        session,
        select(Behaviour)
        .where(Behaviour.theme_id == world.theme.id)
        .order_by(col(Behaviour.added_in_revision), col(Behaviour.text)),
    )
    found = {line.text: (line.added_in_revision, line.retired_in_revision) for line in lines}
    assert found == {
        "Gives just enough help": (1, None),
        "Invites the person to lead": (1, None),
        "Offers a choice": (1, 2),
        "Offers a real choice": (2, None),
    }
    kept = {line.text: line.position for line in lines if line.retired_in_revision is None}
    assert kept == {
        "Invites the person to lead": 0,
        "Offers a real choice": 1,
        "Gives just enough help": 2,
    }


def test_an_active_theme_cannot_lose_all_its_sites_in_an_edit(
    make_client: MakeClient, world: World, session: Session
) -> None:
    quality = client_for(make_client, world.quality)
    answer = quality.post(
        path(quality, "theme:update", theme_id=world.theme.id), data=theme_form([])
    )
    assert answer.status_code == 422
    assert 'id="site_ids-error"' in answer.text
    assert rows(
        session, select(LearningTheme.revision).where(LearningTheme.id == world.theme.id)
    ) == [1]


def test_revision_that_does_not_exist_is_not_found(make_client: MakeClient, world: World) -> None:
    quality = client_for(make_client, world.quality)
    answer = quality.get(path(quality, "theme:revision", theme_id=world.theme.id, revision=7))
    assert answer.status_code == 404


def test_quality_lead_sees_every_theme_grouped_by_stage(
    make_client: MakeClient, world: World, session: Session
) -> None:
    make_theme(
        session,
        actor_for(session, world.quality),
        sites=[world.site],
        status=ThemeStatus.draft,
        title="Draft idea",
    )
    session.commit()
    quality = client_for(make_client, world.quality)
    page = quality.get(path(quality, "theme:list"))
    text = page.text
    assert "New learning theme" in text
    assert text.index("Draft idea") < text.index('id="group-embedding"')
    assert "Proactive engagement" in text
    assert "Hydration rounds at night" in text


@pytest.mark.parametrize("persona", ["carer", "lead", "manager"])
def test_site_staff_see_only_their_sites_themes_that_have_left_draft(
    make_client: MakeClient, world: World, session: Session, persona: str
) -> None:
    draft = make_theme(
        session,
        actor_for(session, world.quality),
        sites=[world.site],
        status=ThemeStatus.draft,
        title="Draft idea",
    )
    session.commit()
    client = client_for(make_client, world.user(persona))
    page = client.get(path(client, "theme:list"))
    assert page.status_code == 200
    assert "Proactive engagement" in page.text
    assert "Draft idea" not in page.text
    assert "Hydration rounds at night" not in page.text
    assert "New learning theme" not in page.text
    detail = client.get(path(client, "theme:detail", theme_id=world.theme.id))
    assert detail.status_code == 200
    assert "Move to…" not in detail.text
    assert "Edit</a>" not in detail.text
    assert client.get(path(client, "theme:detail", theme_id=draft.id)).status_code == 404
    assert (
        client.get(path(client, "theme:detail", theme_id=world.other_theme.id)).status_code == 404
    )


@pytest.mark.parametrize("persona", ["carer", "lead", "manager"])
def test_site_staff_may_not_create_edit_or_move_themes(
    make_client: MakeClient, world: World, session: Session, persona: str
) -> None:
    client = client_for(make_client, world.user(persona))
    theme_id = world.theme.id
    before = theme_count(session)
    assert client.get(path(client, "theme:new")).status_code == 403
    assert (
        client.post(path(client, "theme:create"), data=theme_form([world.site.id])).status_code
        == 403
    )
    assert client.get(path(client, "theme:edit", theme_id=theme_id)).status_code == 403
    edit = client.post(
        path(client, "theme:update", theme_id=theme_id), data=theme_form([world.site.id])
    )
    assert edit.status_code == 403
    assert move(client, theme_id, "embedded", "I think so").status_code == 403
    assert theme_count(session) == before
    assert status_of(session, theme_id) == ThemeStatus.embedding
    assert rows(session, select(LearningTheme.revision).where(LearningTheme.id == theme_id)) == [1]


@pytest.mark.parametrize("route", ["theme:detail", "theme:edit"])
def test_outsider_cannot_find_a_theme_of_another_site(
    make_client: MakeClient, world: World, route: str
) -> None:
    client = client_for(make_client, world.outsider)
    assert client.get(path(client, route, theme_id=world.theme.id)).status_code == 404
    revision = path(client, "theme:revision", theme_id=world.theme.id, revision=1)
    assert client.get(revision).status_code == 404


def test_another_organisations_quality_lead_cannot_find_the_theme(
    make_client: MakeClient, world: World, session: Session, passwords: Passwords
) -> None:
    other = build_other_organisation(session, passwords)
    client = client_for(make_client, other.quality)
    assert client.get(path(client, "theme:detail", theme_id=world.theme.id)).status_code == 404
    assert client.get(path(client, "theme:edit", theme_id=world.theme.id)).status_code == 404
    assert move(client, world.theme.id, "retired", "Mine now").status_code == 404
    assert status_of(session, world.theme.id) == ThemeStatus.embedding


def test_a_malformed_theme_id_is_not_found(make_client: MakeClient, world: World) -> None:
    client = client_for(make_client, world.quality)
    assert client.get(path(client, "theme:list") + "/not-an-id").status_code == 404


def test_signed_out_visitor_is_sent_to_sign_in(client: TestClient, world: World) -> None:
    answer = client.get(path(client, "theme:detail", theme_id=world.theme.id))
    assert answer.status_code == 303
    assert "/login" in answer.headers["location"]


def test_care_workers_home_shows_the_active_theme_until_it_is_retired(
    make_client: MakeClient, world: World
) -> None:
    carer = client_for(make_client, world.carer)
    home = html.unescape(carer.get(path(carer, "home:home")).text)
    assert "Today's focus" in home
    assert "Proactive engagement" in home
    assert "People who are busy and connected are calmer." in home
    assert "Invites the person to lead" in home

    quality = client_for(make_client, world.quality)
    assert move(quality, world.theme.id, "retired", "Replaced").status_code == 303

    home = html.unescape(carer.get(path(carer, "home:home")).text)
    assert "Proactive engagement" not in home
    assert "No learning theme is being embedded here right now." in home
