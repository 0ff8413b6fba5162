"""The real thing: a uvicorn subprocess serving the app on a free loopback port, and Debian's
Chromium driven by Playwright at a phone's size.

Outside CI a machine without Chromium skips these tests, saying so; in CI (CI=true) a missing
Chromium fails them.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from collections.abc import Iterator, Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
from sqlalchemy import Engine
from sqlmodel import Session

from app.auth.passwords import Passwords
from app.db import make_engine
from app.demo import load_demo_data
from tests.conftest import settings_for

CHROMIUM_PATH = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PHONE = {"viewport": {"width": 360, "height": 740}, "is_mobile": True, "has_touch": True}
# A person's first tap on a page comes well after its scripts have started; Playwright's can come
# before, on a loaded machine, and then reaches the bare HTML: a note meant for the phone's outbox
# is posted to the server, a tally tap counts nothing. So, on every page, nothing takes a pointer
# event until Alpine has started (or the page has loaded, for one without it). Playwright's click
# waits for that as it waits for an element to stop moving.
SCRIPTS_FIRST = """(() => {
  const untouchable = new CSSStyleSheet();
  untouchable.replaceSync("* { pointer-events: none !important; }");
  document.adoptedStyleSheets = [untouchable];
  const started = () => { document.adoptedStyleSheets = []; };
  document.addEventListener("alpine:initialized", started);
  window.addEventListener("load", started);
})();"""
EXPECT_TIMEOUT_MS = 15_000
QUICK_ARGON2 = {
    "SHIFT_ARGON2_TIME_COST": "1",
    "SHIFT_ARGON2_MEMORY_COST": "64",
    "SHIFT_ARGON2_PARALLELISM": "1",
}


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_until_up(url: str, process: subprocess.Popen[bytes]) -> None:
    """Poll /healthz until the server answers; fail at once if the process has died."""
    with httpx.Client(timeout=1.0) as http:
        for _ in range(300):
            try:
                if http.get(f"{url}/healthz").status_code == 200:
                    return
            except httpx.TransportError:
                pass
            try:
                process.wait(timeout=0.05)  # the pause between polls, cut short if it dies
            except subprocess.TimeoutExpired:
                continue
            raise RuntimeError(f"server exited with {process.returncode}")
    raise RuntimeError("server did not start")


@pytest.fixture
def demo_database(database_url: str) -> str:
    settings = settings_for(database_url, demo_mode=True)
    engine = make_engine(database_url)
    with Session(engine) as session:
        load_demo_data(
            session, settings=settings, passwords=Passwords(settings), now=datetime.now(UTC)
        )
        session.commit()
    engine.dispose()
    return database_url


class Server:
    """The app served by ``shift-companion serve`` on a free loopback port, as in production.

    ``redeploy`` stops it and starts a new release on the same port and store: what a phone
    sees when the service is upgraded under it.
    """

    def __init__(
        self,
        database_url: str,
        log_path: Path,
        *,
        arguments: Sequence[str] = (),
        environment: Mapping[str, str] | None = None,
    ) -> None:
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self._env = {
            **os.environ,
            **QUICK_ARGON2,
            "DATABASE_URL": database_url,
            "SHIFT_ENV": "development",
            "SHIFT_SECRET_KEY": "test-secret-key-that-is-long-enough-1234",
            "SHIFT_LOG_LEVEL": "WARNING",
            **(environment or {}),
        }
        self._arguments = list(arguments)
        self._log = log_path.open("ab")
        self._process: subprocess.Popen[bytes] | None = None

    def start(self, release: str = "first") -> None:
        self._process = subprocess.Popen(
            [sys.executable, "-m", "app.cli", "serve", "--port", str(self.port), *self._arguments],
            env={**self._env, "SHIFT_RELEASE": release},
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )
        _wait_until_up(self.url, self._process)

    def stop(self) -> None:
        if self._process is not None:
            self._process.terminate()
            self._process.wait(timeout=10)
            self._process = None

    def redeploy(self, release: str) -> None:
        self.stop()
        self.start(release)

    def close(self) -> None:
        self.stop()
        self._log.close()


@pytest.fixture
def server(demo_database: str, tmp_path: Path) -> Iterator[Server]:
    running = Server(demo_database, tmp_path / "server.log")
    try:
        running.start()
        yield running
    finally:
        running.close()


@pytest.fixture(scope="session")
def chromium():  # type: ignore[no-untyped-def]
    if not Path(CHROMIUM_PATH).exists():
        no_chromium = f"Chromium not found at {CHROMIUM_PATH}: `apt-get install chromium`"
        if os.environ.get("CI") == "true":
            pytest.fail(no_chromium)
        pytest.skip(no_chromium)
    from playwright.sync_api import expect, sync_playwright

    # CI runs two test processes, each with its server and Chromium, on 2 cores: a page can take
    # longer there than Playwright's 5 s default for an assertion. A ceiling, never a wait.
    expect.set_options(timeout=EXPECT_TIMEOUT_MS)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM_PATH, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def make_phone(chromium):  # type: ignore[no-untyped-def]
    """Phone-sized browser contexts whose pages take taps once their scripts run; console errors
    (CSP violations among them) are kept on ``page.console_errors``. Options go to ``new_context`` (e.g. ``service_workers="block"``)."""
    contexts = []

    def new_phone(**options):  # type: ignore[no-untyped-def]
        context = chromium.new_context(**PHONE, **options)
        context.add_init_script(SCRIPTS_FIRST)
        contexts.append(context)
        page = context.new_page()
        page.console_errors = []
        page.on(
            "console",
            lambda message: message.type == "error" and page.console_errors.append(message.text),
        )
        page.on("pageerror", lambda error: page.console_errors.append(str(error)))
        return page

    yield new_phone
    for context in contexts:
        context.close()


@pytest.fixture
def phone(make_phone):  # type: ignore[no-untyped-def]
    return make_phone()


@pytest.fixture
def store(demo_database: str) -> Iterator[Engine]:
    """The server's database, to check what arrived."""
    engine = make_engine(demo_database)
    yield engine
    engine.dispose()
