"""The worker runs every job, each in its own session; a failing job is logged without its
message and the others still run; the loop ends when asked to stop."""

from __future__ import annotations

import threading
from datetime import datetime

import pytest
from sqlalchemy import Engine
from sqlmodel import Session

from app import worker
from app.auth.models import User
from app.config import Settings
from app.push.models import MessageState
from tests.push.fake_push_service import FakePushService, subscribe
from tests.push.support import queue
from tests.support import FrozenClock


def test_run_jobs_once_delivers_the_push_outbox(
    engine: Engine,
    session: Session,
    settings: Settings,
    clock: FrozenClock,
    push_service: FakePushService,
    people: tuple[User, User],
) -> None:
    carer, _ = people
    phone = subscribe(session, push_service, carer.id, now=clock.now())
    message = queue(session, carer, clock.now())

    worker.run_jobs_once(engine, settings, clock)

    assert len(push_service.received_by(phone)) == 1
    session.commit()  # a new transaction: see what the worker wrote
    session.refresh(message)
    assert message.state == MessageState.sent


def test_a_failing_job_is_logged_without_its_message_and_the_next_job_runs(
    engine: Engine,
    session: Session,
    settings: Settings,
    clock: FrozenClock,
    push_service: FakePushService,
    people: tuple[User, User],
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    carer, _ = people
    phone = subscribe(session, push_service, carer.id, now=clock.now())
    queue(session, carer, clock.now())

    def reminders(_session: Session, _settings: Settings, _now: datetime) -> None:
        raise ValueError(f"could not remind {carer.email}")

    monkeypatch.setattr(worker, "JOBS", [reminders, *worker.JOBS])
    worker.run_jobs_once(engine, settings, clock)

    assert "job reminders failed: ValueError" in caplog.text
    assert carer.email not in caplog.text
    assert len(push_service.received_by(phone)) == 1


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
