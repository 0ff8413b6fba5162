"""The evidence pack of a theme: a printable A4 page and a ZIP of CSV files, holding no name
of a person supported (checked against every preferred name in the store), staff named by
role only, scoped like the indicators, and bad input answered 422 naming the field."""

from __future__ import annotations

import csv
import io
import re
import uuid
import zipfile
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from sqlmodel import Session, select
from starlette.testclient import TestClient

from app.auth.models import Role, User
from app.governance import alerts
from app.governance.columns import CSV_HEADER
from app.governance.flags import Flag
from app.governance.models import FlagKind, LifecycleProposal
from app.observation import service as observation_service
from app.observation.schemas import ObservationCreate
from app.org.models import PersonSupported
from app.theme import service as theme_service
from app.theme.models import ThemeStatus
from tests.governance import helpers
from tests.governance.test_indicators_api import field_of
from tests.support import (
    START,
    World,
    actor_for,
    api_sign_in,
    make_organisation,
    make_person,
    make_site,
    make_theme,
    make_user,
    sign_in,
)

API = "/api/v1/governance/evidence-pack"
PAGE = "/governance/evidence-pack"
FROM = "2026-11-02"
FILES = ("indicators.csv", "lifecycle.csv", "actions.csv", "alerts.csv", "examples.csv")
DAY = datetime(2026, 11, 17, 10, tzinfo=UTC)  # a Tuesday, on the Early shift


def params(world: World, **extra: Any) -> dict[str, str]:
    found = {"theme_id": world.theme.id, "site_id": world.site.id, "from": FROM, **extra}
    return {key: str(value) for key, value in found.items()}


def unzip(response: Any) -> dict[str, list[list[str]]]:
    assert response.status_code == 200, response.text[:300]
    assert response.headers["content-type"] == "application/zip"
    assert response.headers["content-disposition"].startswith("attachment;")
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        return {
            name: list(csv.reader(io.StringIO(archive.read(name).decode())))
            for name in archive.namelist()
        }


def main_of(html: str) -> str:
    """The page's own content, without the app's header (which names the reader)."""
    return html[html.index('<main id="main"') : html.index("</main>")]


def named(text: str, name: str) -> bool:
    return re.search(rf"(?<!\w){re.escape(name)}(?!\w)", text, re.IGNORECASE) is not None


@pytest.fixture
def recorded(session: Session, world: World) -> World:
    """Staff writing about Ada and Bob Lovelace by name and initials, and about each other;
    a drift alert resolved and a proposal declined with reasons that name them too."""
    make_person(session, actor_for(session, world.admin), world.site, "Bob Lovelace")
    manager = actor_for(session, world.manager)
    observation_service.record_observation(
        session,
        actor=manager,
        data=ObservationCreate.model_validate(
            {
                "id": uuid.uuid4(),
                "site_id": world.site.id,
                "theme_id": world.theme.id,
                "observed_user_id": world.carer.id,
                "observed_at": DAY,
                "went_well": "Alice offered Ada a choice of two jumpers; ada picked the blue.",
                "next_step": "Alice Carer to ask BL before helping. B.L. likes to lead.",
                "context_notes": "Colin was with Bob at lunch; Maya watched.",
                "actions": [
                    {
                        "id": uuid.uuid4(),
                        "description": "Ask Ada (A.) what she wants to wear first",
                        "owner_id": world.carer.id,
                        "due_on": "2026-11-18",
                    }
                ],
            }
        ),
        now=DAY,
    )
    session.commit()
    helpers.note(
        session,
        world,
        DAY,
        level=3,
        theme_id=str(world.theme.id),
        activity="Baking with Ada and Lovelace",
        helped_note="Lee Lead let Ada lead; Mr Lovelace joined in.",
        hindered_note="Colin Colleague was called away.",
    )
    theme = world.theme
    flag = Flag(FlagKind.under_target, "Night", "practice_score", "Nights under target")
    [alert] = alerts.raise_alerts(session, theme, world.site, [flag], now=DAY)
    alerts.resolve_alert(
        session,
        actor=manager,
        alert=alert,
        resolution="Maya coached Colin on nights; Ada's routine now in the plan.",
        now=DAY,
    )
    session.add(
        LifecycleProposal(
            id=uuid.uuid4(),
            organisation_id=theme.organisation_id,
            theme_id=theme.id,
            from_status=ThemeStatus.embedding,
            to_status=ThemeStatus.embedded,
            evidence=["Practice at target 12 weeks on every shift"],
            proposed_at=DAY,
            decided_at=DAY,
            decided_by_id=world.quality.id,
            decision="declined",
            reason="Not yet: Quinn wants to see Bob's nights first.",
        )
    )
    theme_service.transition_theme(
        session,
        actor=actor_for(session, world.quality),
        theme=theme,
        to_status=ThemeStatus.embedded,
        reason="Held on every shift, as Ada's family noticed.",
        now=START + timedelta(hours=1),
    )
    session.commit()
    return world


def test_the_zip_holds_the_five_files_with_their_headers_and_rows(
    client: TestClient, session: Session, recorded: World
) -> None:
    api_sign_in(client, recorded.quality)
    response = client.get(API, params=params(recorded))
    files = unzip(response)

    assert tuple(files) == FILES
    indicators = client.get(
        "/api/v1/governance/indicators",
        params=params(recorded),
        headers={"Accept": "text/csv"},
    )
    assert files["indicators.csv"] == list(csv.reader(io.StringIO(indicators.text)))
    assert tuple(files["indicators.csv"][0]) == CSV_HEADER
    lifecycle = files["lifecycle.csv"]
    assert lifecycle[0] == ["at", "from_status", "to_status", "reason", "by"]
    assert [row[1:3] for row in lifecycle[1:]] == [
        ["draft", "embedding"],
        ["embedding", "embedded"],
    ]
    assert lifecycle[2][3:] == [
        "Held on every shift, as the person's family noticed.",
        "a quality lead",
    ]
    actions = files["actions.csv"]
    assert actions[0] == ["site_id", "site", "description", "owner", "due_on", "done_at", "outcome"]
    assert actions[1][2:] == [
        "Ask the person (the person) what she wants to wear first",
        "a care worker",
        "2026-11-18",
        "",
        "overdue",
    ]
    assert files["alerts.csv"][0][-2:] == ["resolution", "resolved_by"]
    assert files["alerts.csv"][1][-2:] == [
        "A manager coached a care worker on nights; the person's routine now in the plan.",
        "a manager",
    ]
    examples = files["examples.csv"]
    assert examples[0] == ["site_id", "site", "shift_date", "shift", "source", "field", "text"]
    assert [row[4:6] for row in examples[1:]] == [
        ["Observation", "Went well"],
        ["Observation", "Next step"],
        ["Observation", "Context"],
        ["Engagement note", "Activity"],
        ["Engagement note", "What helped"],
        ["Engagement note", "What got in the way"],
    ]
    assert examples[1][2:4] == ["2026-11-17", "Early"]
    assert (
        examples[2][6]
        == "A care worker to ask the person before helping. The person likes to lead."
    )


def test_the_pack_names_no_person_supported_and_staff_by_role_only(
    client: TestClient, session: Session, recorded: World
) -> None:
    people = list(session.exec(select(PersonSupported.preferred_name)))
    staff = list(session.exec(select(User.name)))
    assert {"Ada", "Bob Lovelace", "Iris"} <= set(people)
    api_sign_in(client, recorded.quality)
    files = unzip(client.get(API, params=params(recorded)))
    sign_in(client, recorded.quality)
    page = client.get(PAGE, params=params(recorded))
    assert page.status_code == 200, page.text[:300]
    texts = {"page": main_of(page.text)} | {
        name: "\n".join(",".join(row) for row in rows) for name, rows in files.items()
    }

    for where, text in texts.items():
        for name in people:
            forms = [name, *name.split(), "".join(part[0] for part in name.split()) + "."]
            leaked = [form for form in forms if len(form) > 2 and named(text, form)]
            assert not leaked, f"{where} names a person supported: {leaked}"
        assert not named(text, "BL")
        assert not named(text, "B.L.")
        for name in staff:
            leaked = [form for form in (name, name.split()[0]) if named(text, form)]
            assert not leaked, f"{where} names staff: {leaked}"
    assert "A care worker offered the person a choice of two jumpers" in texts["page"]
    assert "A team lead let the person lead" in texts["examples.csv"]
    assert "a care worker" in texts["actions.csv"]


def test_the_page_prints_on_a4_with_its_charts_whole(
    client: TestClient, session: Session, recorded: World
) -> None:
    sign_in(client, recorded.manager)
    page = client.get(PAGE, params=params(recorded))

    assert page.status_code == 200
    html = main_of(page.text)
    assert "People who are busy and connected are calmer." in html
    assert "Pilot: Pilot 1" in html
    for statement in (
        "Learning culture",
        "Safe systems, pathways and transitions",
        "Safe and effective staffing",
        "Person-centred care",
        "Governance, management and sustainability",
        "Learning, improvement and innovation",
    ):
        assert statement in html
    assert "1 observation of practice across the shifts" in html
    assert "1 drift alert raised in the period, 1 resolved" in html
    assert html.count('class="spc-chart"') == 4 * 4  # four measures × (3 shifts and every shift)
    assert "Not yet: a quality lead wants to see the person&#39;s nights first." in html
    assert "/api/v1/governance/evidence-pack?" in html
    stylesheet = re.search(r'href="(/static/css/governance\.css[^"]*)"', page.text)
    assert stylesheet is not None
    css = client.get(stylesheet.group(1)).text
    assert "@page { size: A4; margin: 15mm; }" in css
    assert re.search(r"\.pack-section \.spc-chart[^{]*\{ break-inside: avoid; \}", css)
    assert ".pack-cover { break-after: page; }" in css


def test_the_trends_page_and_organisation_dashboard_link_to_it(
    client: TestClient, recorded: World
) -> None:
    sign_in(client, recorded.quality)
    theme, site = recorded.theme, recorded.site
    trends = client.get(f"/sites/{site.id}/themes/{theme.id}/trends").text
    assert f"{PAGE}?theme_id={theme.id}&amp;site_id={site.id}" in trends
    assert f"{PAGE}?theme_id={theme.id}" in client.get("/governance").text


def test_without_a_site_the_pack_covers_the_sites_the_reader_may_read_and_hides_names_on_its_cover(
    client: TestClient, session: Session, world: World
) -> None:
    shared = make_theme(
        session,
        actor_for(session, world.quality),
        sites=[world.site, world.other_site],
        title="Offering choices",
        why="After Ada's fall, when Iris was not asked either.",
        source_reference="Incident 12 (Ada)",
    )
    session.commit()
    sign_in(client, world.quality)
    cover = main_of(client.get(PAGE, params={"theme_id": str(shared.id)}).text)
    assert "After the person&#39;s fall, when the person was not asked either." in cover
    assert "Incident 12 (the person)" in cover
    assert "Beech Court" in cover
    assert not named(cover, "Ada")
    api_sign_in(client, world.manager)
    rows = unzip(client.get(API, params={"theme_id": str(shared.id)}))["indicators.csv"]
    assert {row[1] for row in rows[1:]} == {str(world.site.id)}
    api_sign_in(client, world.quality)
    rows = unzip(client.get(API, params={"theme_id": str(shared.id)}))["indicators.csv"]
    assert {row[1] for row in rows[1:]} == {str(world.site.id), str(world.other_site.id)}


def test_carers_may_not_and_other_sites_or_organisations_are_not_found(
    client: TestClient, session: Session, world: World
) -> None:
    elsewhere = make_organisation(session, "Elsewhere Care")
    admin = make_user(session, client.app.state.passwords, organisation=elsewhere, role=Role.admin)
    their_site = make_site(session, actor_for(session, admin), "Far House")
    session.commit()

    api_sign_in(client, world.carer)
    assert client.get(API, params=params(world)).status_code == 403
    sign_in(client, world.carer)
    assert client.get(PAGE, params=params(world)).status_code == 403

    api_sign_in(client, world.outsider_manager)
    assert client.get(API, params=params(world)).status_code == 404
    sign_in(client, world.outsider_manager)
    assert client.get(PAGE, params=params(world)).status_code == 404

    api_sign_in(client, world.quality)
    assert client.get(API, params=params(world, site_id=their_site.id)).status_code == 404
    assert client.get(API, params={"theme_id": str(uuid.uuid4())}).status_code == 404


@pytest.mark.parametrize(
    ("extra", "field", "page_status"),
    [
        ({"theme_id": "not-an-id"}, "theme_id", 404),  # a malformed URL, as every page answers it
        ({"site_id": "3"}, "site_id", 404),
        ({"from": "2026-13-01"}, "from", 404),
        ({"from": "2026-11-10", "to": "2026-11-09"}, "to", 422),
        ({"from": "2024-11-01", "to": "2026-11-02"}, "to", 422),
    ],
)
def test_bad_input_is_422_naming_the_field(
    client: TestClient, world: World, extra: dict[str, str], field: str, page_status: int
) -> None:
    api_sign_in(client, world.quality)
    assert field_of(client.get(API, params=params(world, **extra))) == field
    sign_in(client, world.quality)
    assert client.get(PAGE, params=params(world, **extra)).status_code == page_status


def test_an_empty_period_gives_headers_only(client: TestClient, world: World) -> None:
    api_sign_in(client, world.manager)
    files = unzip(
        client.get(API, params=params(world, **{"from": "2025-01-06", "to": "2025-01-12"}))
    )
    assert [len(files[name]) for name in FILES[1:]] == [1, 1, 1, 1]  # the theme began later
    assert len(files["indicators.csv"]) == 1 + 4 * 3
    assert date.fromisoformat(files["indicators.csv"][1][2]) == date(2025, 1, 6)


def test_signed_out_the_page_sends_to_sign_in_and_the_api_is_401(
    client: TestClient, world: World
) -> None:
    client.headers.pop("Origin", None)
    assert client.get(API, params=params(world)).status_code == 401
    page = client.get(PAGE, params=params(world), follow_redirects=False)
    assert page.status_code == 303
    assert "/login" in page.headers["location"]
