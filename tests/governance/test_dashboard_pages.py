"""The site dashboard and a theme's trends page: the answer first, for the roles that read a
site's indicators, from the home page's tools."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import Engine
from sqlmodel import Session
from starlette.testclient import TestClient

from app.governance.signals import DRAWN, DRAWN_LOCK
from tests.governance import helpers
from tests.governance.test_signals import observe_early, tuesdays
from tests.support import World, counted_queries, sign_in


def dashboard(world: World) -> str:
    return f"/sites/{world.site.id}/governance"


def test_a_manager_sees_each_shift_of_the_theme_with_its_verdict_and_flags(
    client: TestClient, session: Session, world: World
) -> None:
    observe_early(session, world, [(2, 2, 2), (2, 2, 1)] * 7)
    sign_in(client, world.manager)

    page = client.get(dashboard(world))

    assert page.status_code == 200
    text = page.text
    assert "How learning is embedding" in text
    assert world.theme.title in text
    assert "Late: never observed" in text
    assert "Night: never observed" in text
    early = text.split("<strong>Early</strong>")[1].split("</li>")[0]
    assert "Hit and miss" in early or "Passing reliably" in early
    assert "(1 observation)" in early
    assert "6 days ago" in early  # observed on Tuesday 17 November; today is Monday 23rd
    assert "Too few weeks to judge" in text.split("<strong>Night</strong>")[1]


def test_the_dashboard_is_a_tool_on_the_managers_home_not_the_carers(
    client: TestClient, world: World
) -> None:
    sign_in(client, world.manager)
    assert dashboard(world) in client.get("/home").text
    client.post("/logout")
    sign_in(client, world.carer)
    assert dashboard(world) not in client.get("/home").text
    assert client.get(dashboard(world)).status_code == 403


def test_the_trends_page_charts_each_shift_with_a_table_beside(
    client: TestClient, session: Session, world: World
) -> None:
    observe_early(session, world, [(2, 2, 2), (2, 2, 1)] * 7)
    sign_in(client, world.quality)
    url = f"/sites/{world.site.id}/themes/{world.theme.id}/trends"

    page = client.get(url, params={"indicator": "explain_why"})

    assert page.status_code == 200
    assert page.text.count('class="spc-chart"') == 4  # Early, Late, Night, every shift
    assert 'aria-current="page">Could explain why' in page.text
    assert page.text.count("<table") >= 5  # each chart's table, and the self-report gap
    assert client.get(url, params={"indicator": "nonsense"}).status_code == 404


def test_a_quality_lead_sees_every_site_side_by_side_weakest_first(
    client: TestClient, session: Session, world: World
) -> None:
    observe_early(session, world, [(2, 2, 2), (2, 2, 1)] * 7)
    sign_in(client, world.quality)
    assert "/governance" in client.get("/home").text

    page = client.get("/governance", params={"sort": str(world.theme.id)})

    assert page.status_code == 200
    text = page.text
    assert text.index(world.site.name) < text.index(world.other_site.name)
    rosewood = text.split(world.site.name)[1].split("</tr>")[0]
    assert "Hit and miss" in rosewood  # Early, the one shift with enough weeks to judge
    assert "Early: 83.3 % (1 obs.)" in rosewood
    assert "2 to look at" in rosewood  # Late and Night never observed
    assert "Early: 6 d ago" in rosewood
    assert "Night: never" in rosewood


def test_a_manager_compares_only_their_own_sites_and_a_carer_none(
    client: TestClient, world: World
) -> None:
    sign_in(client, world.manager)
    page = client.get("/governance")
    assert page.status_code == 200
    assert world.other_site.name not in page.text
    client.post("/logout")
    sign_in(client, world.carer)
    assert client.get("/governance").status_code == 403


def test_the_dashboards_ask_the_store_as_often_with_a_year_of_history_as_with_a_month(
    client: TestClient, session: Session, world: World, engine: Engine
) -> None:
    """Sums are made in the store per theme and page: the number of queries a dashboard runs
    with nothing drawn before does not grow with the weeks of history (nor with the records
    in them)."""
    sign_in(client, world.quality)
    pages = (dashboard(world), "/governance", "/governance/meeting")

    def queries() -> list[int]:
        counts = []
        for page in pages:
            with DRAWN_LOCK:
                DRAWN.clear()
            with counted_queries(engine) as statements:
                assert client.get(page).status_code == 200
            counts.append(len(statements))
        return counts

    observe_early(session, world, [(2, 2, 2)] * 4)
    month = queries()
    observe_early(session, world, [(2, 2, 2), (2, 2, 1)] * 13)  # half a year more, each week twice
    assert queries() == month


def test_a_dashboard_drawn_before_shows_what_was_recorded_since(
    client: TestClient, session: Session, world: World, engine: Engine
) -> None:
    """Signals drawn for a page are drawn again only when what they rest on has changed: the
    same page again asks the store less, and a new observation shows at once."""
    observe_early(session, world, [(2, 2, 2), (2, 2, 1)] * 7)
    sign_in(client, world.manager)
    with counted_queries(engine) as first:
        before = client.get(dashboard(world)).text
    with counted_queries(engine) as again:
        assert client.get(dashboard(world)).text == before
    assert len(again) < len(first)

    [last_tuesday] = tuesdays(1)
    helpers.observation(session, world, last_tuesday + timedelta(minutes=30), ratings=(0, 0, 0))

    after = client.get(dashboard(world)).text
    early = after.split("<strong>Early</strong>")[1].split("</li>")[0]
    assert "(2 observations)" in early
