"""The background worker: the jobs that run on their own, outside any request.

Each job is ``job(session, settings, now)``: it may commit as it goes (delivery commits its
lease before sending) and whatever it leaves open is committed when it returns. A job that
fails is logged and the next one runs, so one broken job never stops the others."""

from __future__ import annotations

import logging
import threading
import traceback
from collections.abc import Callable
from datetime import datetime

from sqlalchemy import Engine
from sqlmodel import Session

from app.clock import Clock
from app.config import Settings
from app.push.dispatcher import deliver_pushes
from app.reminders.service import send_reminders

Job = Callable[[Session, Settings, datetime], object]

# Reminders first, so what they queue goes out in the same round.
JOBS: list[Job] = [send_reminders, deliver_pushes]
INTERVAL_SECONDS = 10.0

logger = logging.getLogger(__name__)


def run_jobs_once(engine: Engine, settings: Settings, clock: Clock) -> None:
    """Run every job once, each in its own session and transaction."""
    for job in JOBS:
        with Session(engine, expire_on_commit=False) as session:
            try:
                job(session, settings, clock.now())
                session.commit()
            except Exception as error:
                session.rollback()
                _log_failure(job, error)


def run_worker(
    engine: Engine,
    settings: Settings,
    clock: Clock,
    stop: threading.Event,
    interval: float = INTERVAL_SECONDS,
) -> None:
    """Run the jobs every ``interval`` seconds until ``stop`` is set."""
    while not stop.is_set():
        run_jobs_once(engine, settings, clock)
        stop.wait(interval)


def _log_failure(job: Job, error: Exception) -> None:
    """The job, the kind of error and where it happened, never its message: a database error
    can quote the row it was writing, and a row can hold personal data."""
    where = "".join(traceback.format_tb(error.__traceback__))
    name = getattr(job, "__name__", type(job).__name__)
    logger.error("job %s failed: %s\n%s", name, type(error).__name__, where)
