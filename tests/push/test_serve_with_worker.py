"""The service as an operator runs it: `shift-companion serve --worker` on PostgreSQL (plain
`serve` on SQLite, which always runs the worker in-process), with push on. A manager's
feedback reaches the observed lead's phone once, through the real HTTP API, the worker's own
loop and a push service that checks the signature and decrypts the message."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx

from app.demo import DEMO_PASSWORD
from tests.conftest import TEST_DATABASE_URL
from tests.e2e.conftest import _wait_until_up
from tests.push.conftest import CONTACT
from tests.push.fake_push_service import FakePushService, fake_push_service
from tests.test_config_and_cli import run_cli

# The worker runs every 10 seconds; the first push is due within one round of it.
DEADLINE_SECONDS = 30
CHEAP_PASSWORDS = {
    "SHIFT_ARGON2_MEMORY_COST": "64",
    "SHIFT_ARGON2_TIME_COST": "1",
    "SHIFT_ARGON2_PARALLELISM": "1",
}


def test_feedback_reaches_the_leads_phone_once_through_the_served_worker(
    database_url: str, tmp_path: Path
) -> None:
    environment = {
        **os.environ,
        **CHEAP_PASSWORDS,
        "DATABASE_URL": database_url,
        "SHIFT_PUSH_CONTACT": CONTACT,
        "SHIFT_PUSH_ALLOW_LOCAL_ENDPOINTS": "true",
        "PYTHONUNBUFFERED": "1",
    }
    seeded = run_cli(
        tmp_path, "demo-data", "--weeks", "0", DATABASE_URL=database_url, SHIFT_DEMO_MODE="true"
    )
    assert "Demo data loaded." in seeded.stdout, seeded.stderr
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    command = ["serve", "--port", str(port)]
    if TEST_DATABASE_URL:
        command.append("--worker")
    server = subprocess.Popen(
        [sys.executable, "-m", "app.cli", *command],
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        _wait_until_up(url, server)
        with (
            signed_in(url, "lead@rosewood.demo") as lead,
            signed_in(url, "manager@rosewood.demo") as manager,
        ):
            key = lead.get("/api/v1/push/vapid-public-key").json()["public_key"]
            with fake_push_service(key, CONTACT) as push_service:
                subscribe_at(push_service, lead)
                record_feedback(manager, observed=lead.get("/api/v1/me").json()["id"])
                wait_for_a_push(push_service, server)
        assert [push.payload["title"] for push in push_service.received] == [
            "Feedback on your practice is ready"
        ]
        assert push_service.rejected == []
    finally:
        server.terminate()
        output, _ = server.communicate(timeout=30)
    assert server.returncode == 0, output
    assert "Background jobs (reminders, push delivery) run in this process." in output


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def signed_in(url: str, email: str) -> Iterator[httpx.Client]:
    """A client signed in through the API, as the phone's scripts sign in."""
    with httpx.Client(base_url=url, headers={"Origin": url}, timeout=10) as client:
        login = {"email": email, "password": DEMO_PASSWORD}
        response = client.post("/api/v1/auth/login", json=login)
        assert response.status_code == 200, response.text
        yield client


def subscribe_at(push_service: FakePushService, client: httpx.Client) -> None:
    """What the page's script sends after ``pushManager.subscribe``."""
    endpoint, p256dh, auth = push_service.new_endpoint()
    body = {"endpoint": endpoint, "keys": {"p256dh": p256dh, "auth": auth}}
    response = client.post("/api/v1/push/subscriptions", json=body)
    assert response.status_code == 201, response.text


def record_feedback(manager: httpx.Client, *, observed: str) -> None:
    """The manager's observation of the lead's practice, on the first theme of their site."""
    [site] = manager.get("/api/v1/sites").json()
    theme = next(t for t in manager.get("/api/v1/themes").json() if site["id"] in t["site_ids"])
    first, second = (behaviour["id"] for behaviour in theme["behaviours"][:2])
    observation: dict[str, Any] = {
        "id": str(uuid.uuid4()),
        "site_id": site["id"],
        "theme_id": theme["id"],
        "observed_user_id": observed,
        "location": "Lounge",
        "ratings": {first: 2, second: 1},
        "could_explain": "partly",
        "went_well": "You offered a choice of two activities.",
        "next_step": "Wait for the answer before starting.",
    }
    response = manager.post("/api/v1/observations", json=observation)
    assert response.status_code == 201, response.text


def wait_for_a_push(push_service: FakePushService, server: subprocess.Popen[str]) -> None:
    """Until the push service has received something, the server dies, or the deadline."""
    deadline = time.monotonic() + DEADLINE_SECONDS
    while not push_service.received and time.monotonic() < deadline:
        try:
            server.wait(timeout=0.1)  # the pause between looks, cut short if it dies
        except subprocess.TimeoutExpired:
            continue
        raise AssertionError(f"the server exited with {server.returncode}")
    assert push_service.received, "no push arrived before the deadline"
