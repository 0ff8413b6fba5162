"""``GET /api/v1/governance/indicators``: JSON and CSV with the same columns, scoped like every
read (another site's or organisation's theme or site is not found; carers and team leads may
not), and bad input answered 4xx naming the field."""

from __future__ import annotations

import csv
import io
import uuid
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlmodel import Session
from starlette.testclient import TestClient

from app.auth.models import Role
from app.governance.columns import COLUMNS, CSV_HEADER
from app.theme.models import LearningTheme
from tests.governance import helpers
from tests.support import (
    World,
    actor_for,
    api_sign_in,
    make_organisation,
    make_site,
    make_theme,
    make_user,
)

URL = "/api/v1/governance/indicators"
WEEK = "2026-11-16"  # the Monday before START


def ask(client: TestClient, **params: Any) -> Any:
    return client.get(URL, params={key: str(value) for key, value in params.items()})


def field_of(response: Any) -> str:
    assert response.status_code == 422, response.text[:300]
    assert response.headers["content-type"] == "application/problem+json"
    return response.json()["errors"][0]["field"]


@pytest.fixture
def shared_theme(session: Session, world: World) -> LearningTheme:
    """A theme at both sites, so a site outside a manager's is refused for the site alone."""
    theme = make_theme(
        session,
        actor_for(session, world.quality),
        sites=[world.site, world.other_site],
        title="Offering choices",
    )
    session.commit()
    return theme


def test_a_manager_reads_their_sites_rows_as_json(
    client: TestClient, session: Session, world: World
) -> None:
    helpers.note(session, world, datetime(2026, 11, 17, 10, tzinfo=UTC), level=3)
    api_sign_in(client, world.manager)

    response = ask(client, theme_id=world.theme.id, site_id=world.site.id, **{"from": WEEK})

    assert response.status_code == 200, response.text
    rows = response.json()["rows"]
    assert len(rows) == 2 * 4 * 3  # two weeks up to today × (3 shifts and all) × day kinds
    assert list(rows[0]) == list(CSV_HEADER)
    early = next(
        row
        for row in rows
        if (row["week_start"], row["shift"], row["day_kind"]) == (WEEK, "Early", "weekday")
    )
    assert early["site_id"] == str(world.site.id)
    assert early["theme_id"] == str(world.theme.id)
    assert (early["notes"], early["engaged_3"], early["practice_score"]) == (1, 100.0, None)


def test_the_csv_has_the_same_rows_and_columns(
    client: TestClient, session: Session, world: World
) -> None:
    helpers.note(session, world, datetime(2026, 11, 17, 10, tzinfo=UTC), level=3)
    api_sign_in(client, world.quality)
    params = {"theme_id": world.theme.id, "site_id": world.site.id, "from": WEEK}

    as_json = ask(client, **params).json()["rows"]
    response = client.get(URL, params=params, headers={"Accept": "text/csv"})

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert "attachment" in response.headers["content-disposition"]
    table = list(csv.DictReader(io.StringIO(response.text)))
    assert tuple(table[0]) == CSV_HEADER
    assert [column.name for column in COLUMNS] == list(CSV_HEADER[5:])
    expected = [
        {name: "" if value is None else str(value) for name, value in row.items()}
        for row in as_json
    ]
    assert table == expected


def test_without_a_site_each_reader_gets_the_sites_they_may_read(
    client: TestClient, world: World, shared_theme: LearningTheme
) -> None:
    api_sign_in(client, world.quality)
    sites = {row["site_id"] for row in ask(client, theme_id=shared_theme.id).json()["rows"]}
    assert sites == {str(world.site.id), str(world.other_site.id)}

    api_sign_in(client, world.manager)
    rows = ask(client, theme_id=shared_theme.id).json()["rows"]
    assert {row["site_id"] for row in rows} == {str(world.site.id)}
    assert len(rows) == 12 * 4 * 3  # the last 12 ISO weeks by default
    assert rows[0]["week_start"] == "2026-09-07"
    assert rows[-1]["week_start"] == "2026-11-23"


def test_another_sites_or_organisations_theme_or_site_is_not_found(
    client: TestClient, session: Session, world: World, shared_theme: LearningTheme
) -> None:
    elsewhere = make_organisation(session, "Elsewhere Care")
    admin = make_user(session, client.app.state.passwords, organisation=elsewhere, role=Role.admin)
    their_site = make_site(session, actor_for(session, admin), "Far House")
    their_quality = make_user(
        session, client.app.state.passwords, organisation=elsewhere, role=Role.quality_lead
    )
    their_theme = make_theme(session, actor_for(session, their_quality), sites=[their_site])
    session.commit()
    api_sign_in(client, world.manager)

    refused = [
        ask(client, theme_id=shared_theme.id, site_id=world.other_site.id),
        ask(client, theme_id=world.other_theme.id),
        ask(client, theme_id=world.other_theme.id, site_id=world.site.id),
        ask(client, theme_id=their_theme.id),
        ask(client, theme_id=shared_theme.id, site_id=their_site.id),
        ask(client, theme_id=uuid.uuid4()),
        ask(client, theme_id=shared_theme.id, site_id=uuid.uuid4()),
    ]
    assert [response.status_code for response in refused] == [404] * len(refused)
    api_sign_in(client, world.quality)
    assert ask(client, theme_id=their_theme.id).status_code == 404
    assert ask(client, theme_id=world.theme.id, site_id=their_site.id).status_code == 404


@pytest.mark.parametrize("persona", ["carer", "lead"])
def test_carers_and_team_leads_may_not(client: TestClient, world: World, persona: str) -> None:
    api_sign_in(client, world.user(persona))
    assert ask(client, theme_id=world.theme.id, site_id=world.site.id).status_code == 403
    assert ask(client, theme_id=world.theme.id).status_code == 403


def test_signed_out_is_401(client: TestClient, world: World) -> None:
    assert ask(client, theme_id=world.theme.id).status_code == 401


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({}, "theme_id"),
        ({"theme_id": "not-an-id"}, "theme_id"),
        ({"site_id": "3"}, "site_id"),
        ({"from": "2026-13-01"}, "from"),
        ({"from": "yesterday"}, "from"),
        ({"to": "1700000000"}, "to"),
        ({"from": "2026-11-10", "to": "2026-11-09"}, "to"),
        ({"from": "2026-12-01"}, "from"),  # after today, the default end
        ({"from": "2024-11-01", "to": "2026-11-02"}, "to"),  # a day over two years
    ],
)
def test_bad_input_is_422_naming_the_field(
    client: TestClient, world: World, params: dict[str, str], field: str
) -> None:
    api_sign_in(client, world.quality)
    if params:
        params = {"theme_id": str(world.theme.id), **params}
    assert field_of(ask(client, **params)) == field


def test_two_years_is_the_longest_range(client: TestClient, world: World) -> None:
    api_sign_in(client, world.quality)
    response = ask(client, theme_id=world.theme.id, **{"from": "2024-02-29", "to": "2026-02-28"})
    assert response.status_code == 200
    assert response.json()["rows"][-1]["week_start"] == "2026-02-23"
    assert ask(client, theme_id=world.theme.id, **{"from": "2024-03-01"}).status_code == 422
