"""Governance reads against the amount of history: the site dashboard, the organisation
dashboard and the indicator API, with a month and with a year of history.

Two stores, each built as ``make run`` builds one (migrate, ``demo-data``, ``check-drift``),
then served: the small demo on the embedded SQLite store (``--weeks 4`` and ``--weeks 52``),
and a provider at the issue's scale on PostgreSQL (``--sites 50 --months 1`` and
``--months 12``: over a million engagement notes). A signed-in manager and quality lead ask
each page once with nothing drawn yet (the first request after the server starts), then
``ROUNDS`` times. Goal: the year no slower than 1.5 × the month at p50, so that the cost does
not grow with history.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import httpx
import psycopg

from app.auth.models import Role
from app.demo import DEMO_PASSWORD
from bench.demo import SITE, sign_in
from bench.report import print_table
from bench.server import app_environment, make_demo_store, serve

ROUNDS = 20
GOAL_RATIO = 1.5
PROVIDER_SITES = 50
POSTGRES = os.environ.get("BENCH_POSTGRES", "postgresql://postgres@127.0.0.1:5432")
PROVIDER_LOGINS = {
    Role.manager: "manager@greenfield.demo",
    Role.quality_lead: "quality@greenfield.demo",
}

Timings = dict[str, list[float]]


@dataclass(frozen=True)
class Store:
    label: str
    history: str
    build: Callable[[Path], str]  # answers the database URL
    sign_in: Callable[[str, Role], httpx.Client]
    site: Callable[[httpx.Client], str]  # the manager's site id


def run(workdir: Path) -> bool:
    stores = [
        *(
            Store("SQLite, demo", label, _sqlite(weeks), _demo_sign_in, _demo_site)
            for label, weeks in (("1 month", 4), ("12 months", 52))
        ),
        *(
            Store(
                f"PostgreSQL, {PROVIDER_SITES} sites",
                label,
                _provider(months),
                _provider_sign_in,
                _first_site,
            )
            for label, months in (("1 month", 1), ("12 months", 12))
        ),
    ]
    for kind in dict.fromkeys(store.label for store in stores):
        _report(kind, {s.history: _measure_store(s, workdir) for s in stores if s.label == kind})
    return True


def _measure_store(store: Store, workdir: Path) -> tuple[Timings, float]:
    started = time.perf_counter()
    database_url = store.build(workdir)
    built = time.perf_counter() - started
    name = f"governance-{store.label}-{store.history}".replace(" ", "-").replace(",", "")
    with serve(database_url, workdir / f"{name}.log") as base_url:
        return _measure(store, base_url), built


def _report(kind: str, measured: dict[str, tuple[Timings, float]]) -> None:
    month, year = measured["1 month"][0], measured["12 months"][0]
    rows = [
        [page, history, timings[page][0], *_percentiles(timings[page][1:])]
        for page in month
        for history, (timings, _built) in measured.items()
    ]
    print_table(
        f"Governance reads, ms ({kind}): the first request, then {ROUNDS} more",
        ["page", "history", "first", "p50", "p95"],
        rows,
    )
    for history, (_timings, built) in measured.items():
        print(f"  {history}: built (migrate, demo-data, check-drift) in {built:.0f} s")
    for page in month:
        ratio = statistics.median(year[page][1:]) / statistics.median(month[page][1:])
        verdict = "within goal" if ratio <= GOAL_RATIO else "over goal"
        print(
            f"  {page}: 12 months / 1 month at p50 = {ratio:.2f} (goal ≤ {GOAL_RATIO}): {verdict}"
        )


def _measure(store: Store, base_url: str) -> Timings:
    clients = {role: store.sign_in(base_url, role) for role in PROVIDER_LOGINS}
    try:
        manager = clients[Role.manager]
        site_id = store.site(manager)
        theme_id = manager.get("/api/v1/themes").json()[0]["id"]
        asks = {
            "site dashboard": (manager, f"/sites/{site_id}/governance"),
            "organisation dashboard": (clients[Role.quality_lead], "/governance"),
            "indicator API": (
                manager,
                f"/api/v1/governance/indicators?theme_id={theme_id}&site_id={site_id}",
            ),
        }
        return {page: _timed(http, path) for page, (http, path) in asks.items()}
    finally:
        for http in clients.values():
            http.close()


def _timed(http: httpx.Client, path: str) -> list[float]:
    """The first request's time, then ``ROUNDS`` more."""
    took = []
    for _round in range(1 + ROUNDS):
        started = time.perf_counter()
        http.get(path).raise_for_status()
        took.append((time.perf_counter() - started) * 1000)
    return took


def _percentiles(values: list[float]) -> list[float]:
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return [round(statistics.median(ordered), 1), round(p95, 1)]


def _sqlite(weeks: int) -> Callable[[Path], str]:
    return lambda workdir: make_demo_store(workdir / f"governance-{weeks}.db", weeks=weeks)


def _demo_sign_in(base_url: str, role: Role) -> httpx.Client:
    return sign_in(base_url, role).http


def _demo_site(manager: httpx.Client) -> str:
    return next(s["id"] for s in manager.get("/api/v1/sites").json() if s["name"] == SITE)


def _provider(months: int) -> Callable[[Path], str]:
    def build(_workdir: Path) -> str:
        database = f"shift_bench_provider_{months}"
        with psycopg.connect(f"{POSTGRES}/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
            admin.execute(f'CREATE DATABASE "{database}"')
        url = f"{POSTGRES.replace('postgresql://', 'postgresql+psycopg://')}/{database}"
        demo = ["demo-data", "--sites", str(PROVIDER_SITES), "--months", str(months)]
        for command in (["migrate"], demo, ["check-drift"]):
            subprocess.run(  # noqa: S603 - our own CLI, fixed arguments
                [sys.executable, "-m", "app.cli", *command],
                env=app_environment(url),
                check=True,
                capture_output=True,
            )
        return url

    return build


def _provider_sign_in(base_url: str, role: Role) -> httpx.Client:
    http = httpx.Client(base_url=base_url, headers={"Origin": base_url}, timeout=120.0)
    login = {"email": PROVIDER_LOGINS[role], "password": DEMO_PASSWORD}
    http.post("/api/v1/auth/login", json=login).raise_for_status()
    return http


def _first_site(manager: httpx.Client) -> str:
    return manager.get("/api/v1/sites").json()[0]["id"]
