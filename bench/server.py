"""A throwaway store and a uvicorn subprocess serving the app on a free loopback port.

The store is built the way ``make run`` builds one (``shift-companion migrate`` then
``demo-data``), in a temporary SQLite file; the server is started the way the browser tests
start theirs (tests/e2e/conftest.py).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

# Cheap password hashing: sign-in speed is not measured here, and the demo logins hash at load.
QUICK_ARGON2 = {
    "SHIFT_ARGON2_TIME_COST": "1",
    "SHIFT_ARGON2_MEMORY_COST": "64",
    "SHIFT_ARGON2_PARALLELISM": "1",
}
STARTUP_SECONDS = 30.0


def app_environment(database_url: str) -> dict[str, str]:
    return {
        **os.environ,
        **QUICK_ARGON2,
        "DATABASE_URL": database_url,
        "SHIFT_ENV": "development",
        "SHIFT_DEMO_MODE": "true",
        "SHIFT_SECRET_KEY": "bench-secret-key-that-is-long-enough-1234",
        "SHIFT_LOG_LEVEL": "WARNING",
    }


def make_demo_store(path: Path, *, weeks: int = 12) -> str:
    """Migrate a new SQLite file, load the demo data into it (with ``weeks`` of history) and
    run the governance check, as ``make run`` does; answers its database URL."""
    database_url = f"sqlite:///{path}"
    for command in (["migrate"], ["demo-data", "--weeks", str(weeks)], ["check-drift"]):
        subprocess.run(  # noqa: S603 - our own CLI, fixed arguments
            [sys.executable, "-m", "app.cli", *command],
            env=app_environment(database_url),
            check=True,
            capture_output=True,
        )
    return database_url


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def serve(database_url: str, log_path: Path) -> Iterator[str]:
    """Serve the app from ``database_url``; yields its base URL and stops it afterwards."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    with log_path.open("wb") as log:
        process = subprocess.Popen(  # noqa: S603 - our own CLI, fixed arguments
            [sys.executable, "-m", "app.cli", "serve", "--port", str(port)],
            env=app_environment(database_url),
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            _wait_until_up(url, process)
            yield url
        finally:
            process.terminate()
            process.wait(timeout=10)


def _wait_until_up(url: str, process: subprocess.Popen[bytes]) -> None:
    """Poll /healthz until the server answers; stop at once if the process has died."""
    deadline = time.monotonic() + STARTUP_SECONDS
    with httpx.Client(timeout=1.0) as http:
        while time.monotonic() < deadline:
            try:
                if http.get(f"{url}/healthz").status_code == 200:
                    return
            except httpx.TransportError:
                pass
            try:
                process.wait(timeout=0.05)
            except subprocess.TimeoutExpired:
                continue
            raise RuntimeError(f"the server exited with {process.returncode}")
    raise RuntimeError(f"the server did not answer within {STARTUP_SECONDS:.0f} s")
