"""The provider at scale (``demo-data --sites N --months M``, ``app.demo_provider``): the
organisation, its staff and people grow with the sites; each site's notes, observations,
handovers and snapshots are in the expected bands; the planted patterns are what governance
finds (the embedding theme proposed as embedded, the night drift alerted). Small N, on both
stores; the figures at 50 sites and 12 months are measured, not asserted (TESTING.md)."""

from __future__ import annotations

import math
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, text
from sqlmodel import Session, select

from app.auth.passwords import Passwords
from app.demo_provider import (
    PEOPLE_PER_SITE,
    PROVIDER_LOGINS,
    PROVIDER_NAME,
    SNAPSHOTS_PER_WEEK,
    load_provider_data,
    weeks_for,
)
from app.governance.check import check_everywhere
from app.governance.models import DriftAlert, LifecycleProposal
from app.theme.models import LearningTheme, ThemeStatus
from tests.conftest import settings_for
from tests.test_config_and_cli import run_cli
from tests.test_demo_history import NOW, day

SITES, MONTHS = 3, 2


def rows(session: Session, sql: str) -> list[Any]:
    return list(session.execute(text(sql)))


@pytest.fixture
def provider(tmp_path: Path, database_url: str, engine: Engine) -> Iterator[Session]:
    """The provider as the command line loads it into the test's store."""
    loaded = run_cli(
        tmp_path,
        "demo-data",
        "--sites",
        str(SITES),
        "--months",
        str(MONTHS),
        DATABASE_URL=database_url,
        SHIFT_DEMO_MODE="true",
    )
    assert loaded.returncode == 0, loaded.stderr
    assert f"{PROVIDER_NAME} loaded" in loaded.stdout
    assert "engagement_note" in loaded.stdout
    with Session(engine) as session:
        yield session


def test_the_organisation_staff_and_people_scale_with_the_sites(provider: Session) -> None:
    [organisation] = rows(provider, "SELECT name FROM organisation")
    assert organisation.name == PROVIDER_NAME
    sites = rows(provider, "SELECT id, name, time_zone FROM site")
    assert len(sites) == SITES
    assert len({site.name for site in sites}) == SITES
    assert {site.time_zone for site in sites} == {"Europe/London"}
    team = rows(
        provider,
        "SELECT site_id, role, COUNT(*) AS n FROM membership"
        " WHERE site_id IS NOT NULL GROUP BY site_id, role",
    )
    by_role: dict[str, set[int]] = {}
    for row in team:
        by_role.setdefault(row.role, set()).add(row.n)
    assert by_role == {"manager": {1}, "team_lead": {4}, "care_worker": {25}}
    people = rows(provider, "SELECT site_id, COUNT(*) AS n FROM person_supported GROUP BY site_id")
    assert sorted(row.n for row in people) == [PEOPLE_PER_SITE] * SITES
    shifts = rows(provider, "SELECT site_id, name FROM shift")
    assert {row.name for row in shifts} == {"Early", "Late", "Night"}
    assert len(shifts) == 3 * SITES
    themes = rows(provider, "SELECT t.title, COUNT(*) AS n, t.status FROM learning_theme t"
                            " JOIN theme_site s ON s.theme_id = t.id GROUP BY t.title, t.status")  # fmt: skip
    assert {(row.title, row.n, row.status) for row in themes} == {
        ("Proactive engagement", SITES, "embedding"),
        ("De-escalation before restriction", SITES, "embedding"),
    }


def test_only_the_provider_logins_can_sign_in(provider: Session) -> None:
    users = rows(provider, "SELECT email, password_hash FROM user_account")
    assert len(users) == SITES * 30 + 2  # the teams, the quality lead and the admin
    can_sign_in = {user.email for user in users if user.password_hash != "!"}
    assert can_sign_in == {login.email for login in PROVIDER_LOGINS}


def test_each_site_has_a_realistic_history(provider: Session) -> None:
    notes = rows(
        provider,
        "SELECT site_id, COUNT(*) AS n, MIN(shift_date) AS first, MAX(shift_date) AS last"
        " FROM engagement_note GROUP BY site_id",
    )
    assert len(notes) == SITES
    for site in notes:
        days = (day(site.last) - day(site.first)).days + 1
        assert days >= weeks_for(MONTHS) * 7
        # 12 people: 1–3 notes each on the early and the late, one on seven nights in ten
        assert 50 <= site.n / days <= 63, site.n / days
    for table in ("observation", "handover", "interaction_snapshot"):
        counts = rows(provider, f"SELECT site_id, COUNT(*) AS n FROM {table} GROUP BY site_id")  # noqa: S608
        assert len(counts) == SITES, table
    snapshots = rows(
        provider,
        "SELECT site_id, COUNT(*) AS n, COUNT(DISTINCT shift_name) AS shifts"
        " FROM interaction_snapshot GROUP BY site_id",
    )
    for site in snapshots:
        assert site.n == SNAPSHOTS_PER_WEEK * (weeks_for(MONTHS) + 1)
    observed = rows(
        provider,
        "SELECT site_id, shift_name, COUNT(DISTINCT theme_id) AS themes FROM observation"
        " GROUP BY site_id, shift_name",
    )
    assert len(observed) == 3 * SITES
    assert {row.themes for row in observed} == {2}


@pytest.fixture
def four_months(engine: Engine, database_url: str) -> Iterator[Session]:
    """Two sites and four months: long enough for eight weeks on target after the climb."""
    settings = settings_for(database_url, demo_mode=True)
    with Session(engine, expire_on_commit=False) as session:
        loaded = load_provider_data(
            session,
            settings=settings,
            passwords=Passwords(settings),
            now=NOW,
            sites=2,
            months=4,
        )
        assert loaded is not None
        session.commit()
        yield session


def test_governance_finds_the_planted_patterns(four_months: Session) -> None:
    check_everywhere(four_months, now=NOW)
    four_months.commit()
    themes = {theme.id: theme.title for theme in four_months.exec(select(LearningTheme))}
    proposals = four_months.exec(select(LifecycleProposal)).all()
    assert [(themes[p.theme_id], p.to_status) for p in proposals] == [
        ("Proactive engagement", ThemeStatus.embedded)
    ]
    alerts = four_months.exec(select(DriftAlert)).all()
    drifting = {(alert.site_id, alert.shift) for alert in alerts if themes[alert.theme_id] ==
                "De-escalation before restriction" and alert.indicator == "practice_score"}  # fmt: skip
    assert {shift for _site, shift in drifting} == {"Night"}
    assert len({site for site, _shift in drifting}) == 2


def test_night_snapshots_slip_with_the_drifting_theme(four_months: Session) -> None:
    """A walk round at night from two-thirds of the way through sees fewer positive
    interactions and more restrictive ones than before; by day the tally holds."""
    first = day(rows(four_months, "SELECT MIN(shift_date) AS d FROM engagement_note")[0].d)
    last = (NOW - timedelta(hours=24)).date()
    drift_from = first + timedelta(days=math.ceil((last - first).days * 2 / 3))
    tallies = rows(
        four_months,
        "SELECT shift_name, shift_date, positive_social + positive_care AS positive,"
        " protective_restrictive + restrictive AS restrictive,"
        " positive_social + positive_care + neutral + protective_restrictive + restrictive"
        " AS total FROM interaction_snapshot",
    )

    def share(night: bool, late: bool, column: str) -> float:
        mine = [
            row
            for row in tallies
            if (row.shift_name == "Night") == night and (day(row.shift_date) >= drift_from) == late
        ]
        return 100 * sum(getattr(row, column) for row in mine) / sum(row.total for row in mine)

    assert share(True, True, "positive") <= share(True, False, "positive") - 10
    assert share(True, True, "restrictive") >= share(True, False, "restrictive") + 3
    assert share(False, True, "positive") > share(False, False, "positive") - 5


@pytest.mark.parametrize(
    ("arguments", "says"),
    [
        (["--months", "2"], "--months is for a provider"),
        (["--sites", "2", "--weeks", "3"], "--weeks is for the small demo"),
        (["--sites", "0"], "--sites is 1 or more"),
    ],
)
def test_the_options_of_the_two_demos_do_not_mix(
    tmp_path: Path, arguments: list[str], says: str
) -> None:
    refused = run_cli(tmp_path, "demo-data", *arguments, SHIFT_DEMO_MODE="true")
    assert refused.returncode == 2
    assert says in refused.stderr
