"""Lighthouse 12.8.2 (from bench/node_modules) with Debian's Chromium: mobile, three runs a page.

Performance varies from run to run (Lighthouse's own advice is to take the median of several);
on this two-core machine one page's score moved by ten points between runs of the same code. So
each page is audited three times and the run with the median performance score is printed,
beside the three scores. Signed-in pages get the session cookie through ``--extra-headers``.
Each run's full report is kept in bench/.out/ for a closer look. Goals: performance >= 95,
accessibility and best practices 100.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from bench.report import MISSING, print_table
from bench.tools import CHROMIUM_ARGS, CHROMIUM_PATH, NODE_MODULES, OUT_DIR, node_path

LIGHTHOUSE_CLI = NODE_MODULES / "lighthouse" / "cli" / "index.js"
GOALS = {"performance": 95, "accessibility": 100, "best-practices": 100}
METRICS = {
    "first-contentful-paint": "FCP",
    "largest-contentful-paint": "LCP",
    "total-blocking-time": "TBT",
    "cumulative-layout-shift": "CLS",
    "speed-index": "SI",
}
RUN_SECONDS = 180
RUNS = 3
SHOWN_ITEMS = 3


@dataclass(frozen=True)
class Target:
    name: str
    url: str
    cookie: str | None = None


@dataclass
class Outcome:
    name: str
    scores: dict[str, int | None] = field(default_factory=dict)
    metrics: dict[str, str] = field(default_factory=dict)
    failing: list[str] = field(default_factory=list)
    error: str | None = None
    performance_runs: list[int | None] = field(default_factory=list)


def run(targets: list[Target], workdir: Path) -> bool:
    """Audit each target three times and print its median run; answers False if any run
    failed."""
    node = node_path()
    if node is None or not LIGHTHOUSE_CLI.exists():
        print("  Lighthouse cannot run: needs node and `npm ci --prefix bench`.")
        return False
    OUT_DIR.mkdir(exist_ok=True)
    outcomes = [
        _median([_audit(node, target, workdir, attempt) for attempt in range(1, RUNS + 1)])
        for target in targets
    ]
    _print(outcomes)
    return all(outcome.error is None for outcome in outcomes)


def _median(runs: list[Outcome]) -> Outcome:
    """The run with the median performance score, holding every run's score; a failed run
    is reported as the page's outcome."""
    failed = [outcome for outcome in runs if outcome.error]
    if failed:
        return failed[0]
    ranked = sorted(runs, key=lambda outcome: outcome.scores.get("performance") or 0)
    median = ranked[len(ranked) // 2]
    median.performance_runs = [outcome.scores.get("performance") for outcome in runs]
    return median


def _audit(node: str, target: Target, workdir: Path, attempt: int) -> Outcome:
    slug = re.sub(r"[^a-z0-9]+", "-", target.name.lower()).strip("-")
    report = OUT_DIR / f"lighthouse-{slug}-{attempt}.json"
    report.unlink(missing_ok=True)
    command = [
        node,
        str(LIGHTHOUSE_CLI),
        target.url,
        "--quiet",
        "--output=json",
        f"--output-path={report}",
        "--form-factor=mobile",
        f"--only-categories={','.join(GOALS)}",
        f"--chrome-flags={' '.join(('--headless=new', *CHROMIUM_ARGS))}",
    ]
    if target.cookie:
        headers = workdir / f"headers-{slug}.json"
        headers.write_text(json.dumps({"Cookie": target.cookie}))
        command.append(f"--extra-headers={headers}")
    try:
        finished = subprocess.run(  # noqa: S603 - node running the pinned Lighthouse
            command,
            env={**os.environ, "CHROME_PATH": CHROMIUM_PATH},
            capture_output=True,
            text=True,
            timeout=RUN_SECONDS,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return Outcome(target.name, error=f"no result within {RUN_SECONDS} s")
    if finished.returncode != 0 or not report.exists():
        return Outcome(target.name, error=_error_line(finished.stderr, finished.returncode))
    return _read(target.name, json.loads(report.read_text()))


def _error_line(stderr: str, returncode: int) -> str:
    lines = [line.strip() for line in stderr.splitlines() if line.strip()]
    errors = [line for line in lines if "error" in line.lower()]
    return (errors or lines or [f"exit status {returncode}"])[-1]


def _read(name: str, lhr: dict[str, Any]) -> Outcome:
    audits = lhr["audits"]
    outcome = Outcome(name)
    if runtime_error := lhr.get("runtimeError"):
        outcome.error = f"{runtime_error.get('code')}: {runtime_error.get('message')}"
    for category_id in GOALS:
        category = lhr["categories"].get(category_id, {})
        score = category.get("score")
        outcome.scores[category_id] = None if score is None else round(score * 100)
        if category_id != "performance":  # its metrics are printed beside the scores
            outcome.failing += _failing_audits(category_id, category, audits)
    outcome.metrics = {
        label: audits[audit_id].get("displayValue", "?")
        for audit_id, label in METRICS.items()
        if audit_id in audits
    }
    return outcome


def _failing_audits(
    category_id: str, category: dict[str, Any], audits: dict[str, Any]
) -> list[str]:
    """Weighted audits that did not pass, with the first elements they name."""
    failing = []
    for ref in category.get("auditRefs", []):
        audit = audits[ref["id"]]
        if ref.get("weight", 0) == 0 or audit.get("score") is None or audit["score"] >= 1:
            continue
        found = _elements(audit)
        where = f": {'; '.join(found)}" if found else ""
        value = f" ({audit['displayValue']})" if audit.get("displayValue") else ""
        failing.append(f"{category_id}: {ref['id']}{value}{where}")
    return failing


def _elements(audit: dict[str, Any]) -> list[str]:
    """What the audit's first items point at: an element's selector, or a message and its source."""
    items = (audit.get("details") or {}).get("items") or []
    named = [_item(item) for item in items if isinstance(item, dict)]
    return [name for name in named if name][:SHOWN_ITEMS]


def _item(item: dict[str, Any]) -> str:
    node = item.get("node")
    if isinstance(node, dict):
        return node.get("selector") or node.get("snippet", "")
    source = item.get("source")
    if isinstance(source, dict) and source.get("url"):
        file = urlsplit(source["url"]).path.rsplit("/", 1)[-1]
        return f"{item.get('value', '')} in {file}:{source.get('line', 0) + 1}".strip()
    return str(item.get("value") or item.get("description") or "")


def _print(outcomes: list[Outcome]) -> None:
    goals = ", ".join(f"{name} >= {goal}" for name, goal in GOALS.items())
    print_table(
        f"Lighthouse, mobile, median of {RUNS} runs (goals: {goals})",
        ["page", *GOALS, "perf. runs", *METRICS.values()],
        [
            [
                outcome.name,
                *(_or_missing(outcome.scores.get(category)) for category in GOALS),
                " ".join(str(_or_missing(score)) for score in outcome.performance_runs),
                *(outcome.metrics.get(label, MISSING) for label in METRICS.values()),
            ]
            for outcome in outcomes
        ],
    )
    for outcome in outcomes:
        if outcome.error:
            print(f"  {outcome.name}: Lighthouse failed: {outcome.error}")
        for line in outcome.failing:
            print(f"  {outcome.name}: {line}")


def _or_missing(score: int | None) -> int | str:
    return MISSING if score is None else score
