"""The background worker: the jobs that run on their own, outside any request.

Each job runs as ``run(session, settings, now)``: it may commit as it goes (delivery commits its
lease before sending) and whatever it leaves open is committed when it returns. A job that
fails is logged and the next one runs, so one broken job never stops the others."""

from __future__ import annotations

import logging
import threading
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine
from sqlmodel import Session

from app.clock import Clock
from app.config import Settings
from app.push.dispatcher import deliver_pushes
from app.reminders.service import send_reminders

Run = Callable[[Session, Settings, datetime], object]


@dataclass(frozen=True)
class Job:
    """A job and how often it runs, in seconds."""

    run: Run
    every: float


# Delivery looks at the outbox every second, so a push leaves a second or so after the save that
# queued it; with nothing due that is one indexed read. Reminders count in minutes: twice a
# minute is soon enough, and spares the store their questions the rest of the time.
# Reminders first, so what they queue goes out in the same round.
JOBS: list[Job] = [Job(send_reminders, every=30.0), Job(deliver_pushes, every=1.0)]

logger = logging.getLogger(__name__)


def run_jobs_once(
    engine: Engine, settings: Settings, clock: Clock, jobs: list[Job] | None = None
) -> None:
    """Run each job once (every job unless told which), each in its own session and
    transaction."""
    for job in JOBS if jobs is None else jobs:
        with Session(engine, expire_on_commit=False) as session:
            try:
                job.run(session, settings, clock.now())
                session.commit()
            except Exception as error:
                session.rollback()
                _log_failure(job.run, error)


def run_worker(engine: Engine, settings: Settings, clock: Clock, stop: threading.Event) -> None:
    """Run each job as often as it asks until ``stop`` is set; a round that overruns delays
    the next, never doubles it."""
    next_run = dict.fromkeys(JOBS, 0.0)
    while not stop.is_set():
        started = time.monotonic()
        due = [job for job in JOBS if next_run[job] <= started]
        run_jobs_once(engine, settings, clock, due)
        for job in due:
            next_run[job] = started + job.every
        stop.wait(max(0.0, min(next_run.values()) - time.monotonic()))


def _log_failure(job: Run, error: Exception) -> None:
    """The job, the kind of error and where it happened, never its message: a database error
    can quote the row it was writing, and a row can hold personal data."""
    where = "".join(traceback.format_tb(error.__traceback__))
    name = getattr(job, "__name__", type(job).__name__)
    logger.error("job %s failed: %s\n%s", name, type(error).__name__, where)
