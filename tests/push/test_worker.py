"""The worker runs every job, each in its own session and as often as it asks; a failing job is
logged without its message and the others still run; the loop ends when asked to stop."""

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

    monkeypatch.setattr(worker, "JOBS", [worker.Job(reminders, every=30), *worker.JOBS])
    worker.run_jobs_once(engine, delivery.settings, delivery.clock)

    assert "job reminders failed: ValueError" in caplog.text
    assert email not in caplog.text
    assert len(delivery.service.received_by(phone)) == 1


def test_the_worker_loop_runs_each_job_as_often_as_it_asks_until_it_is_stopped(
    engine: Engine, settings: Settings, clock: FrozenClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    stop = threading.Event()
    often: list[datetime] = []
    seldom: list[datetime] = []

    def deliver(_session: Session, _settings: Settings, now: datetime) -> None:
        often.append(now)
        if len(often) == 3:
            stop.set()

    def remind(_session: Session, _settings: Settings, now: datetime) -> None:
        seldom.append(now)

    monkeypatch.setattr(
        worker, "JOBS", [worker.Job(remind, every=3600), worker.Job(deliver, every=0)]
    )
    worker.run_worker(engine, settings, clock, stop)

    assert often == [clock.now()] * 3
    assert seldom == [clock.now()]  # its hour had not come round again
