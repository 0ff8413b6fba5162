"""``python -m bench [NAME ...]``: build a demo store, serve it on loopback, run each benchmark
(or only those named: ``bytes``, ``lighthouse``, ``axe``, ``sync``, ``governance``), print.

Benchmarks print figures beside their goals and never fail on a figure; the exit status is 1
only when something could not be measured (a page that did not open, a tool that did not run).
"""

from __future__ import annotations

import sys
import tempfile
import traceback
from collections.abc import Callable
from pathlib import Path

from app.auth.models import Role
from bench import assets, axe, governance, lighthouse, pages, sync
from bench.demo import Account, Records, close_all, find_records, sign_in_all
from bench.server import make_demo_store, serve
from bench.tools import describe

SERVER_LOG_LINES = 20


def main(chosen: list[str]) -> int:
    print("Shift Companion benchmarks\n" + describe())
    with tempfile.TemporaryDirectory(prefix="shift-bench-") as temp:
        workdir = Path(temp)
        log = workdir / "server.log"
        try:
            with serve(make_demo_store(workdir / "served.db"), log) as base_url:
                print(f"  serving     {base_url} (a fresh SQLite store with the demo data)")
                failed = _run_all(base_url, workdir, chosen)
        except Exception:
            traceback.print_exc()
            _print_tail(log)
            return 1
        if failed:
            _print_tail(log)
            print(f"\nNot measured: {', '.join(failed)} (see above).")
            return 1
    return 0


def _run_all(base_url: str, workdir: Path, chosen: list[str]) -> list[str]:
    """Run every benchmark against the server; answers the names of those that failed."""
    accounts = sign_in_all(base_url)
    try:
        records = find_records(accounts)
        benchmarks = _benchmarks(base_url, accounts, records, workdir)
        wanted = {name: run for name, run in benchmarks.items() if _named(name, chosen)}
        return [name for name, benchmark in wanted.items() if not _attempt(name, benchmark)]
    finally:
        close_all(accounts)


def _benchmarks(
    base_url: str, accounts: dict[Role, Account], records: Records, workdir: Path
) -> dict[str, Callable[[], bool | None]]:
    carer = accounts[Role.care_worker]
    budget_pages = {
        page.name: page.path for page in (pages.home(Role.care_worker), pages.record_note(records))
    }
    audited = [pages.sign_in(), pages.home(Role.care_worker), pages.record_note(records)]
    targets = [
        lighthouse.Target(
            page.name, base_url + page.path, accounts[page.role].cookie if page.role else None
        )
        for page in audited
    ]
    return {
        "bytes shipped": lambda: assets.run(carer.http, budget_pages),
        "Lighthouse": lambda: lighthouse.run(targets, workdir),
        "axe-core": lambda: axe.run(base_url, accounts, pages.main_pages(records)),
        "sync ingest": lambda: sync.run(carer, records.site_id, workdir),
        "governance reads": lambda: governance.run(workdir),
    }


def _named(name: str, chosen: list[str]) -> bool:
    """Every benchmark when none is chosen; else those whose name starts with a chosen word."""
    return not chosen or any(name.lower().startswith(word.lower()) for word in chosen)


def _attempt(name: str, benchmark: Callable[[], bool | None]) -> bool:
    """Run one benchmark; a crash is reported and the others still run."""
    print(f"\n=== {name} ===")
    try:
        return benchmark() is not False
    except Exception:
        traceback.print_exc()
        return False


def _print_tail(log: Path) -> None:
    lines = log.read_text(errors="replace").splitlines() if log.exists() else []
    if lines:
        tail = "\n".join(lines[-SERVER_LOG_LINES:])
        print(f"Server log (last lines):\n{tail}", file=sys.stderr)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
