"""The learning theme JSON API: the same rules as the pages, answered in JSON and problem+json."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from httpx import Response
from sqlalchemy import Engine
from sqlmodel import Session, select
from starlette.testclient import TestClient

from app.auth.passwords import Passwords
from app.theme.models import Behaviour, LearningTheme, ThemeRevision, ThemeStatus
from tests.support import FrozenClock, World, actor_for, counted_queries, make_theme
from tests.theme.helpers import (
    BEHAVIOURS,
    MakeClient,
    build_other_organisation,
    client_for,
    path,
    rows,
    status_of,
    theme_count,
    theme_in,
    theme_json,
    transitions_of,
)

PROBLEM = "application/problem+json"


def error_fields(answer: Response) -> list[str]:
    assert answer.status_code == 422, answer.text
    assert answer.headers["content-type"] == PROBLEM
    return [error["field"] for error in answer.json()["errors"]]


def api_move(
    client: TestClient, theme_id: uuid.UUID | str, to_status: str, reason: str
) -> Response:
    return client.post(
        path(client, "governance_api:theme_move", theme_id=theme_id),
        json={"to_status": to_status, "reason": reason},
    )


def test_quality_lead_takes_a_theme_through_its_whole_lifecycle_over_the_api(
    make_client: MakeClient, world: World, session: Session, clock: FrozenClock
) -> None:
    quality = client_for(make_client, world.quality)
    created = quality.post(path(quality, "theme_api:create"), json=theme_json([world.site.id]))
    assert created.status_code == 201
    theme = created.json()
    assert theme["status"] == "draft"
    assert theme["revision"] == 1
    assert [line["text"] for line in theme["behaviours"]] == BEHAVIOURS
    assert theme["site_ids"] == [str(world.site.id)]

    steps = [
        ("pilot", "Pilot at Rosewood after the review."),
        ("embedding", "Pilot went well on every shift."),
        ("embedded", "Eight weeks of consistent observations."),
        ("embedding", "Nights drifted in the last audit."),
        ("retired", "Superseded."),
    ]
    for to_status, reason in steps:
        clock.advance(minutes=5)
        answer = api_move(quality, theme["id"], to_status, reason)
        assert answer.status_code == 201
        assert answer.json()["to_status"] == to_status
        assert answer.json()["reason"].startswith(reason)
        assert answer.json()["actor_id"] == str(world.quality.id)

    history = quality.get(path(quality, "theme_api:transitions", theme_id=theme["id"])).json()
    assert [(step["from_status"], step["to_status"]) for step in reversed(history)] == [
        ("draft", "pilot"),
        ("pilot", "embedding"),
        ("embedding", "embedded"),
        ("embedded", "embedding"),
        ("embedding", "retired"),
    ]
    kept = [step["reason"] for step in reversed(history)]
    assert [k.startswith(reason) for k, (_, reason) in zip(kept, steps, strict=True)] == [True] * 5
    # A move to embedded by hand keeps the evidence read then beside the reason: here against
    # it (nothing was observed), as on the page.
    assert "— moved against the evidence: Rosewood House:" in kept[2]
    final = quality.get(path(quality, "theme_api:get", theme_id=theme["id"])).json()
    assert final["status"] == "retired"


@pytest.mark.parametrize(
    ("start", "to_status"),
    [
        (ThemeStatus.draft, "embedded"),
        (ThemeStatus.pilot, "embedded"),
        (ThemeStatus.embedded, "pilot"),
        (ThemeStatus.retired, "embedding"),
        (ThemeStatus.retired, "retired"),
    ],
)
def test_a_move_the_lifecycle_does_not_allow_is_refused_naming_to_status(
    make_client: MakeClient,
    world: World,
    session: Session,
    start: ThemeStatus,
    to_status: str,
) -> None:
    theme = theme_in(session, world.quality, start, sites=[world.site])
    before = len(transitions_of(session, theme.id))
    quality = client_for(make_client, world.quality)
    assert error_fields(api_move(quality, theme.id, to_status, "Because")) == ["to_status"]
    assert status_of(session, theme.id) == start
    assert len(transitions_of(session, theme.id)) == before


def test_moving_to_pilot_with_no_sites_is_refused(
    make_client: MakeClient, world: World, session: Session
) -> None:
    theme = make_theme(
        session, actor_for(session, world.quality), sites=[], status=ThemeStatus.draft
    )
    session.commit()
    quality = client_for(make_client, world.quality)
    answer = api_move(quality, theme.id, "pilot", "Ready")
    assert error_fields(answer) == ["to_status"]
    assert "sites" in answer.json()["errors"][0]["reason"]
    assert transitions_of(session, theme.id) == []


@pytest.mark.parametrize(
    "body", [{"to_status": "embedded"}, {"to_status": "embedded", "reason": " "}]
)
def test_a_move_without_a_reason_is_refused(
    make_client: MakeClient, world: World, session: Session, body: dict[str, str]
) -> None:
    quality = client_for(make_client, world.quality)
    answer = quality.post(
        path(quality, "governance_api:theme_move", theme_id=world.theme.id), json=body
    )
    assert error_fields(answer) == ["reason"]
    assert status_of(session, world.theme.id) == ThemeStatus.embedding


LONG = "x" * 10_000


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"title": ""}, "title"),
        ({"title": "   "}, "title"),
        ({"why": LONG}, "why"),
        ({"behaviours": ["One", "Two"]}, "behaviours"),
        ({"behaviours": [f"Behaviour {n}" for n in range(9)]}, "behaviours"),
        ({"behaviours": ["Same", "SAME", "Other"]}, "behaviours"),
        ({"prompts": [f"Prompt {n}?" for n in range(9)]}, "prompts"),
        ({"source_kind": "rumour"}, "source_kind"),
        ({"site_ids": [str(uuid.uuid4())]}, "site_ids"),
        ({"site_ids": ["not-a-uuid"]}, "site_ids.0"),
        ({"title": 123}, "title"),
        ({"behaviours": "Offers a choice"}, "behaviours"),
        ({"start_date": "tomorrow"}, "start_date"),
        ({"behaviours": None}, "behaviours"),
    ],
)
def test_bad_input_is_refused_naming_the_field_and_writes_nothing(
    make_client: MakeClient,
    world: World,
    session: Session,
    overrides: dict[str, Any],
    field: str,
) -> None:
    before = theme_count(session)
    quality = client_for(make_client, world.quality)
    answer = quality.post(
        path(quality, "theme_api:create"), json=theme_json([world.site.id], **overrides)
    )
    assert field in error_fields(answer)
    assert theme_count(session) == before


def test_a_missing_field_is_named(make_client: MakeClient, world: World, session: Session) -> None:
    body = theme_json([world.site.id])
    del body["why"]
    quality = client_for(make_client, world.quality)
    assert error_fields(quality.post(path(quality, "theme_api:create"), json=body)) == ["why"]


def test_a_body_that_is_not_an_object_is_refused(make_client: MakeClient, world: World) -> None:
    quality = client_for(make_client, world.quality)
    answer = quality.post(path(quality, "theme_api:create"), json=["title"])
    assert answer.status_code == 422
    assert answer.headers["content-type"] == PROBLEM


def test_another_organisations_site_cannot_be_chosen(
    make_client: MakeClient, world: World, session: Session, passwords: Passwords
) -> None:
    other = build_other_organisation(session, passwords)
    before = theme_count(session)
    quality = client_for(make_client, world.quality)
    answer = quality.post(path(quality, "theme_api:create"), json=theme_json([other.site.id]))
    assert error_fields(answer) == ["site_ids"]
    assert theme_count(session) == before


def test_put_saves_a_new_revision_and_keeps_the_old_wording(
    make_client: MakeClient, world: World, session: Session
) -> None:
    quality = client_for(make_client, world.quality)
    body = theme_json(
        [world.site.id, world.other_site.id],
        title="Proactive engagement",
        behaviours=["Offers a choice", "Waits for an answer", "Invites the person to lead"],
    )
    answer = quality.put(path(quality, "theme_api:update", theme_id=world.theme.id), json=body)
    assert answer.status_code == 200
    theme = answer.json()
    assert theme["revision"] == 2
    assert [line["text"] for line in theme["behaviours"]] == body["behaviours"]
    assert sorted(theme["site_ids"]) == sorted([str(world.site.id), str(world.other_site.id)])

    retired = rows(
        session,
        select(Behaviour).where(
            Behaviour.theme_id == world.theme.id, Behaviour.text == "Gives just enough help"
        ),
    )
    assert [(line.added_in_revision, line.retired_in_revision) for line in retired] == [(1, 2)]
    first = rows(
        session,
        select(ThemeRevision.content).where(
            ThemeRevision.theme_id == world.theme.id, ThemeRevision.revision == 1
        ),
    )[0]
    assert "Gives just enough help" in first["behaviours"]


def test_a_retired_theme_cannot_be_edited(
    make_client: MakeClient, world: World, session: Session
) -> None:
    quality = client_for(make_client, world.quality)
    api_move(quality, world.theme.id, "retired", "Done")
    answer = quality.put(
        path(quality, "theme_api:update", theme_id=world.theme.id), json=theme_json([world.site.id])
    )
    assert error_fields(answer) == ["status"]
    assert rows(
        session, select(LearningTheme.revision).where(LearningTheme.id == world.theme.id)
    ) == [1]


@pytest.mark.parametrize("persona", ["carer", "lead", "manager", "outsider_manager"])
def test_site_staff_may_not_create_edit_or_move_themes(
    make_client: MakeClient, world: World, session: Session, persona: str
) -> None:
    client = client_for(make_client, world.user(persona))
    before = theme_count(session)
    created = client.post(path(client, "theme_api:create"), json=theme_json([world.site.id]))
    assert created.status_code == 403
    assert created.headers["content-type"] == PROBLEM
    # Another site's theme is "not found" before the role is even asked about.
    refused = 404 if persona == "outsider_manager" else 403
    updated = client.put(
        path(client, "theme_api:update", theme_id=world.theme.id), json=theme_json([world.site.id])
    )
    assert updated.status_code == refused
    assert api_move(client, world.theme.id, "embedded", "Looks good").status_code == refused
    assert theme_count(session) == before
    assert status_of(session, world.theme.id) == ThemeStatus.embedding


@pytest.mark.parametrize("persona", ["carer", "lead", "manager"])
def test_site_staff_list_only_their_sites_themes_that_have_left_draft(
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
    listed = client.get(path(client, "theme_api:list")).json()
    assert [theme["id"] for theme in listed] == [str(world.theme.id)]
    assert client.get(path(client, "theme_api:get", theme_id=draft.id)).status_code == 404
    other = client.get(path(client, "theme_api:get", theme_id=world.other_theme.id))
    assert other.status_code == 404
    assert client.get(path(client, "theme_api:list"), params={"status": "draft"}).json() == []


def test_a_theme_shows_only_the_sites_the_reader_may_see(
    make_client: MakeClient, world: World, session: Session
) -> None:
    shared = make_theme(
        session,
        actor_for(session, world.quality),
        sites=[world.site, world.other_site],
        title="Shared",
    )
    session.commit()
    carer = client_for(make_client, world.carer)
    theme = carer.get(path(carer, "theme_api:get", theme_id=shared.id)).json()
    assert theme["site_ids"] == [str(world.site.id)]


def test_outsider_cannot_find_a_theme_of_another_site(
    make_client: MakeClient, world: World
) -> None:
    outsider = client_for(make_client, world.outsider)
    for name in ("theme_api:get", "theme_api:transitions"):
        answer = outsider.get(path(outsider, name, theme_id=world.theme.id))
        assert answer.status_code == 404
        assert answer.headers["content-type"] == PROBLEM


def test_another_organisations_quality_lead_cannot_find_or_change_the_theme(
    make_client: MakeClient, world: World, session: Session, passwords: Passwords
) -> None:
    other = build_other_organisation(session, passwords)
    client = client_for(make_client, other.quality)
    assert client.get(path(client, "theme_api:get", theme_id=world.theme.id)).status_code == 404
    put = client.put(
        path(client, "theme_api:update", theme_id=world.theme.id), json=theme_json([other.site.id])
    )
    assert put.status_code == 404
    assert api_move(client, world.theme.id, "retired", "Mine").status_code == 404
    listed = client.get(path(client, "theme_api:list")).json()
    assert [theme["title"] for theme in listed] == ["Elsewhere"]
    assert status_of(session, world.theme.id) == ThemeStatus.embedding


def test_list_filters_by_status_and_site(
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
    listed = quality.get(path(quality, "theme_api:list"))
    assert [theme["title"] for theme in listed.json()] == [
        "Draft idea",
        "Hydration rounds at night",
        "Proactive engagement",
    ]
    drafts = quality.get(path(quality, "theme_api:list"), params={"status": "draft"}).json()
    assert [theme["title"] for theme in drafts] == ["Draft idea"]
    at_beech = quality.get(
        path(quality, "theme_api:list"), params={"site_id": str(world.other_site.id)}
    ).json()
    assert [theme["title"] for theme in at_beech] == ["Hydration rounds at night"]
    both = quality.get(
        path(quality, "theme_api:list"),
        params={"site_id": str(world.site.id), "status": "embedding"},
    ).json()
    assert [theme["title"] for theme in both] == ["Proactive engagement"]


def test_listing_by_a_site_outside_your_scope_is_not_found(
    make_client: MakeClient, world: World
) -> None:
    carer = client_for(make_client, world.carer)
    listed = carer.get(path(carer, "theme_api:list"), params={"site_id": str(world.other_site.id)})
    assert listed.status_code == 404
    assert listed.headers["content-type"] == PROBLEM
    made_up = carer.get(path(carer, "theme_api:list"), params={"site_id": str(uuid.uuid4())})
    assert made_up.status_code == 404


def test_an_unknown_status_filter_is_refused_naming_it(
    make_client: MakeClient, world: World
) -> None:
    quality = client_for(make_client, world.quality)
    answer = quality.get(path(quality, "theme_api:list"), params={"status": "forgotten"})
    assert error_fields(answer) == ["status"]


def test_signed_out_client_gets_401_problem(client: TestClient, world: World) -> None:
    answer = client.get(path(client, "theme_api:list"))
    assert answer.status_code == 401
    assert answer.headers["content-type"] == PROBLEM


def test_listing_themes_costs_the_same_queries_however_many_themes_there_are(
    make_client: MakeClient, world: World, session: Session, engine: Engine
) -> None:
    quality = client_for(make_client, world.quality)
    with counted_queries(engine) as few:
        assert len(quality.get(path(quality, "theme_api:list")).json()) == 2
        quality.get(path(quality, "theme:list"))
    quality_actor = actor_for(session, world.quality)
    for number in range(6):
        make_theme(session, quality_actor, sites=[world.site], title=f"Theme {number}")
    session.commit()
    with counted_queries(engine) as many:
        assert len(quality.get(path(quality, "theme_api:list")).json()) == 8
        quality.get(path(quality, "theme:list"))
    assert len(many) == len(few)


def test_detail_page_loads_the_history_names_in_one_query_however_long_the_history(
    make_client: MakeClient, world: World, engine: Engine
) -> None:
    quality = client_for(make_client, world.quality)
    detail = path(quality, "theme:detail", theme_id=world.theme.id)
    with counted_queries(engine) as short:
        quality.get(detail)
    admin = client_for(make_client, world.admin)
    for to_status, reason in [("embedded", "Seen"), ("embedding", "Drift"), ("embedded", "Back")]:
        assert api_move(admin, world.theme.id, to_status, reason).status_code == 201
    with counted_queries(engine) as long:
        page = quality.get(detail)
    assert "Alex Admin" in page.text
    assert len(long) == len(short)


def test_the_api_is_described_in_the_openapi_document(client: TestClient) -> None:
    document = client.get("/api/openapi.json").json()
    themes = document["paths"]["/api/v1/themes"]
    assert {"get", "post"} <= set(themes)
    assert {"get", "put"} <= set(document["paths"]["/api/v1/themes/{theme_id}"])
    assert {"get", "post"} <= set(document["paths"]["/api/v1/themes/{theme_id}/transitions"])
    assert "ThemePublic" in document["components"]["schemas"]
    behaviours = document["components"]["schemas"]["ThemeInput"]["properties"]["behaviours"]
    assert (behaviours["minItems"], behaviours["maxItems"]) == (3, 8)
    assert not any(route.startswith("/themes") for route in document["paths"])
