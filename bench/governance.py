"""Governance reads against the amount of history: the site dashboard, the organisation
dashboard and the indicator API, on the demo with a month and with a year of history.

Each store is built as ``make run`` builds one, with ``demo-data --weeks 4`` and ``--weeks 52``
(the same planted patterns), then served; a signed-in manager and quality lead each ask every
page ``ROUNDS`` times after a warm-up. Goal: the year no slower than 1.5 × the month at p50, so
that the cost does not grow with history. On the embedded SQLite store; the PostgreSQL figures
at the issue's 50-site scale come with its data generator.
"""

from __future__ import annotations

import statistics
import time
from pathlib import Path

import httpx

from app.auth.models import Role
from bench.demo import SITE, close_all, sign_in
from bench.report import print_table
from bench.server import make_demo_store, serve

HISTORIES = {"1 month": 4, "12 months": 52}
ROUNDS = 20
WARM_UP = 2
GOAL_RATIO = 1.5


def run(workdir: Path) -> bool:
    timings: dict[str, dict[str, list[float]]] = {}
    for label, weeks in HISTORIES.items():
        store = make_demo_store(workdir / f"governance-{weeks}.db", weeks=weeks)
        with serve(store, workdir / f"governance-{weeks}.log") as base_url:
            timings[label] = _measure(base_url)
    rows = [
        [page, label, *(_percentiles(timings[label][page]))]
        for page in timings["1 month"]
        for label in HISTORIES
    ]
    print_table(
        f"Governance reads, ms, {ROUNDS} requests each (SQLite)",
        ["page", "history", "p50", "p95"],
        rows,
    )
    for page in timings["1 month"]:
        ratio = statistics.median(timings["12 months"][page]) / statistics.median(
            timings["1 month"][page]
        )
        verdict = "within goal" if ratio <= GOAL_RATIO else "over goal"
        print(
            f"  {page}: 12 months / 1 month at p50 = {ratio:.2f} (goal ≤ {GOAL_RATIO}): {verdict}"
        )
    return True


def _measure(base_url: str) -> dict[str, list[float]]:
    accounts = {role: sign_in(base_url, role) for role in (Role.manager, Role.quality_lead)}
    try:
        manager = accounts[Role.manager].http
        site_id = next(s["id"] for s in manager.get("/api/v1/sites").json() if s["name"] == SITE)
        theme_id = manager.get("/api/v1/themes").json()[0]["id"]
        asks = {
            "site dashboard": (manager, f"/sites/{site_id}/governance"),
            "organisation dashboard": (accounts[Role.quality_lead].http, "/governance"),
            "indicator API": (
                manager,
                f"/api/v1/governance/indicators?theme_id={theme_id}&site_id={site_id}",
            ),
        }
        return {page: _timed(http, path) for page, (http, path) in asks.items()}
    finally:
        close_all(accounts)


def _timed(http: httpx.Client, path: str) -> list[float]:
    took = []
    for round_ in range(WARM_UP + ROUNDS):
        started = time.perf_counter()
        http.get(path).raise_for_status()
        if round_ >= WARM_UP:
            took.append((time.perf_counter() - started) * 1000)
    return took


def _percentiles(values: list[float]) -> list[float]:
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return [round(statistics.median(ordered), 1), round(p95, 1)]
