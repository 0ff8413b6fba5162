"""Sync ingest on SQLite: engagement notes in batches of 50 through ``POST /api/v1/sync``,
beside the raw insert rate of the same rows measured in the same run.

The sync figure is one signed-in care worker's client sending batch after batch over loopback,
each batch answered only once the server has committed it. The raw figure is SQLAlchemy Core
inserting equivalent rows straight into ``engagement_note`` of a second demo store built the same
way (same pragmas: WAL, ``synchronous=FULL``), one transaction per batch of 50. Only the
engagement_note rows are raw-inserted; the sync path also writes each note's first revision and
its audit event, as every recorded note does. Goal: sync at least a fifth of the raw rate.
"""

from __future__ import annotations

import hashlib
import json
import statistics
import time
import uuid
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import Engine, insert, select

from app.auth.models import User
from app.db import WRITE_OPTION, make_engine
from app.engagement.models import EngagementNote
from app.org.models import PersonSupported, Site
from bench.demo import SITE, Account
from bench.report import print_table
from bench.server import make_demo_store

BATCH_SIZE = 50
BATCHES = 40
GOAL_RATIO = 1 / 5
ACTIVITIES = ("Baking", "Garden walk", "Music together", "Folding laundry", "Chose a film")


@dataclass(frozen=True)
class Timing:
    path: str
    notes: int
    seconds: float
    batch_seconds: list[float]

    @property
    def rate(self) -> float:
        return self.notes / self.seconds

    def percentile_ms(self, percent: int) -> float:
        cuts = statistics.quantiles(self.batch_seconds, n=100, method="inclusive")
        return cuts[percent - 1] * 1000


def _content(index: int, person_id: str) -> dict[str, Any]:
    """The note a care worker might write: a level, an activity, one thing that helped."""
    return {
        "person_id": person_id,
        "level": index % 4,
        "activity": f"{ACTIVITIES[index % len(ACTIVITIES)]} ({index})",
        "helped": ["Offered a choice"],
    }


def run(carer: Account, site_id: str, workdir: Path) -> None:
    """Sync as the care worker to the served store, then insert raw into a second store."""
    listed = carer.http.get(f"/api/v1/sites/{site_id}/people").raise_for_status().json()
    people = [person["id"] for person in listed]
    synced = _sync(carer.http, [_sync_batch(number, people) for number in range(BATCHES)])
    raw = _raw(make_demo_store(workdir / "raw.db"), carer.email)
    _print(synced, raw)


def _sync_batch(number: int, people: list[str]) -> list[dict[str, Any]]:
    first = number * BATCH_SIZE
    return [
        {
            "id": str(uuid.uuid4()),
            "type": "engagement_note",
            "payload": _content(index, people[index % len(people)]),
        }
        for index in range(first, first + BATCH_SIZE)
    ]


def _sync(http: httpx.Client, batches: list[list[dict[str, Any]]]) -> Timing:
    statuses: Counter[str] = Counter()
    latencies = []
    started = time.perf_counter()
    for batch in batches:
        sent = time.perf_counter()
        answer = http.post("/api/v1/sync", json={"items": batch}).raise_for_status()
        latencies.append(time.perf_counter() - sent)
        statuses.update(result["status"] for result in answer.json()["results"])
    seconds = time.perf_counter() - started
    if set(statuses) != {"created"}:
        print(f"  sync answered {dict(statuses)}: only created notes count")
    return Timing("POST /api/v1/sync", statuses["created"], seconds, latencies)


def _raw(database_url: str, carer_email: str) -> Timing:
    engine = make_engine(database_url).execution_options(**{WRITE_OPTION: True})
    batches = _raw_batches(engine, carer_email)
    table = EngagementNote.__table__  # type: ignore[attr-defined]
    latencies = []
    started = time.perf_counter()
    for batch in batches:
        begun = time.perf_counter()
        with engine.begin() as connection:
            connection.execute(insert(table), batch)
        latencies.append(time.perf_counter() - begun)
    seconds = time.perf_counter() - started
    engine.dispose()
    return Timing("SQLAlchemy Core executemany", BATCH_SIZE * len(batches), seconds, latencies)


def _raw_batches(engine: Engine, carer_email: str) -> list[list[dict[str, Any]]]:
    """The same notes as engagement_note rows, made before the clock starts."""
    with engine.connect() as connection:
        site = connection.execute(select(Site).where(Site.name == SITE)).one()
        people = (
            connection.execute(
                select(PersonSupported.id)
                .where(PersonSupported.site_id == site.id)
                .order_by(PersonSupported.preferred_name)
            )
            .scalars()
            .all()
        )
        author_id = connection.execute(
            select(User.id).where(User.email == carer_email)
        ).scalar_one()
    fixed = {
        "organisation_id": site.organisation_id,
        "site_id": site.id,
        "author_id": author_id,
        "now": datetime.now(UTC),
    }
    rows = [
        _row(_content(index, str(people[index % len(people)])), **fixed)
        for index in range(BATCH_SIZE * BATCHES)
    ]
    return [rows[start : start + BATCH_SIZE] for start in range(0, len(rows), BATCH_SIZE)]


def _row(
    note: dict[str, Any],
    *,
    organisation_id: uuid.UUID,
    site_id: uuid.UUID,
    author_id: uuid.UUID,
    now: datetime,
) -> dict[str, Any]:
    """An engagement_note row as the sync path would write it for ``note``."""
    digest = hashlib.sha256(json.dumps(note, sort_keys=True).encode()).hexdigest()
    return {
        "id": uuid.uuid4(),
        "organisation_id": organisation_id,
        "site_id": site_id,
        "person_id": uuid.UUID(note["person_id"]),
        "author_id": author_id,
        "occurred_at": now,
        "recorded_at": now,
        "shift_name": "Early",
        "shift_date": now.date(),
        "level": note["level"],
        "started_by": None,
        "mood": None,
        "activity": note["activity"],
        "helped": note["helped"],
        "helped_note": "",
        "hindered": [],
        "hindered_note": "",
        "restrictive_practice": None,
        "restrictive_reason": "",
        "theme_id": None,
        "revision": 1,
        "content_hash": digest,
        "voided_at": None,
        "voided_by_id": None,
        "void_reason": "",
        "reviewed_at": None,
        "reviewed_by_id": None,
    }


def _print(synced: Timing, raw: Timing) -> None:
    print_table(
        f"Sync ingest on SQLite, {BATCHES} batches of {BATCH_SIZE} engagement notes",
        ["path", "notes", "seconds", "notes/s", "p50 ms/batch", "p95 ms/batch"],
        [
            [t.path, t.notes, t.seconds, t.rate, t.percentile_ms(50), t.percentile_ms(95)]
            for t in (synced, raw)
        ],
    )
    ratio = synced.rate / raw.rate
    verdict = "within goal" if ratio >= GOAL_RATIO else "UNDER goal"
    share = f" (1/{1 / ratio:.1f})" if ratio else ""
    print(f"\n  sync / raw = {ratio:.2f}{share}; goal >= {GOAL_RATIO:.2f}: {verdict}")
    print(
        "  (raw inserts engagement_note rows only; each synced note also writes its first "
        "revision and an audit event)"
    )
