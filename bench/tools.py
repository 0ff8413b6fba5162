"""Where the benchmarks find their tools: the pinned npm packages and Debian's Chromium."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
NODE_MODULES = BENCH_DIR / "node_modules"
OUT_DIR = BENCH_DIR / ".out"
CHROMIUM_PATH = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
# The browser tests' flags (tests/e2e/conftest.py): no sandbox as root, nothing phoning home.
CHROMIUM_ARGS = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
)


def npm_package_version(name: str) -> str:
    manifest = NODE_MODULES / name / "package.json"
    if not manifest.exists():
        return "missing: run `npm ci --prefix bench`"
    return json.loads(manifest.read_text())["version"]


def chromium_version() -> str:
    if not Path(CHROMIUM_PATH).exists():
        return f"missing at {CHROMIUM_PATH}: `apt-get install chromium`"
    answer = subprocess.run(  # noqa: S603 - the configured browser, fixed arguments
        [CHROMIUM_PATH, "--version"], capture_output=True, text=True, timeout=30, check=False
    )
    return answer.stdout.strip() or "unknown version"


def node_path() -> str | None:
    return shutil.which("node")


def describe() -> str:
    python = ".".join(str(part) for part in sys.version_info[:3])
    return "\n".join(
        [
            f"  browser     {chromium_version()}",
            f"  lighthouse  {npm_package_version('lighthouse')} on node {_node_version()}",
            f"  axe-core    {npm_package_version('axe-core')}",
            f"  python      {python}, SQLite {sqlite3.sqlite_version}",
        ]
    )


def _node_version() -> str:
    node = node_path()
    if node is None:
        return "(node is missing)"
    answer = subprocess.run(  # noqa: S603 - node itself, fixed arguments
        [node, "--version"], capture_output=True, text=True, timeout=30, check=False
    )
    return answer.stdout.strip()
