"""The worker runs every job, each in its own session; a failing job is logged without its
message and the others still run; the loop ends when asked to stop."""

from __future__ import annotations

import threading
from datetime import datetime

import pytest
from sqlalchemy import Engine
from sqlmodel import Session

from app import worker
from app.config import Settings
from app.push.models import MessageState
from tests.push.support import Delivery
from tests.support import FrozenClock


def test_run_jobs_once_delivers_the_push_outbox(engine: Engine, delivery: Delivery) -> None:
    phone = delivery.device()
    message = delivery.queue()

    worker.run_jobs_once(engine, delivery.settings, delivery.clock)

    assert len(delivery.service.received_by(phone)) == 1
    delivery.session.commit()  # a new transaction: see what the worker wrote
    assert delivery.message(message).state == MessageState.sent


def test_a_failing_job_is_logged_without_its_message_and_the_next_job_runs(
    engine: Engine,
    delivery: Delivery,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    phone = delivery.device()
    delivery.queue()
    email = delivery.carer.email

    def reminders(_session: Session, _settings: Settings, _now: datetime) -> None:
        raise ValueError(f"could not remind {email}")

    monkeypatch.setattr(worker, "JOBS", [reminders, *worker.JOBS])
    worker.run_jobs_once(engine, delivery.settings, delivery.clock)

    assert "job reminders failed: ValueError" in caplog.text
    assert email not in caplog.text
    assert len(delivery.service.received_by(phone)) == 1


def test_the_worker_loop_runs_until_it_is_stopped(
    engine: Engine, settings: Settings, clock: FrozenClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    stop = threading.Event()
    runs: list[datetime] = []

    def last_job(_session: Session, _settings: Settings, now: datetime) -> None:
        runs.append(now)
        if len(runs) == 3:
            stop.set()

    monkeypatch.setattr(worker, "JOBS", [last_job])
    worker.run_worker(engine, settings, clock, stop, interval=0)

    assert runs == [clock.now()] * 3
