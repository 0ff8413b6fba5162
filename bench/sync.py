"""Sync ingest on SQLite: engagement notes in batches of 50 through ``POST /api/v1/sync``,
beside the raw insert rate of the same rows measured in the same run.

The sync figure is one signed-in care worker's client sending batch after batch over loopback,
each batch answered only once the server has committed it. Each note carries the moment it was
written on the phone, a few minutes before it is sent, as the outbox sends it.

The raw figure is SQLAlchemy Core inserting the rows the sync writes for each note (the note,
its first revision and its audit event) straight into a second demo store built the same way
(same pragmas: WAL, ``synchronous=FULL``), one transaction per batch of 50. A second raw line
inserts the note rows alone, for comparison with earlier runs. Goal: sync at least a fifth of
the raw rate of the same rows.
"""

from __future__ import annotations

import hashlib
import json
import statistics
import time
import uuid
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import Engine, insert, select

from app.audit.models import AuditEvent
from app.auth.models import User
from app.db import WRITE_OPTION, make_engine
from app.engagement.models import EngagementNote, EngagementNoteRevision
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


def _content(index: int, person_id: str, written_at: datetime) -> dict[str, Any]:
    """The note a care worker might write: a level, an activity, one thing that helped."""
    return {
        "person_id": person_id,
        "level": index % 4,
        "occurred_at": written_at.isoformat(),
        "activity": f"{ACTIVITIES[index % len(ACTIVITIES)]} ({index})",
        "helped": ["Offered a choice"],
    }


def _written_at(index: int) -> datetime:
    """Written on the phone a few minutes before the sync, a second apart."""
    return datetime.now(UTC) - timedelta(minutes=10) + timedelta(seconds=index % 600)


def run(carer: Account, site_id: str, workdir: Path) -> None:
    """Sync as the care worker to the served store, then insert raw into a second store."""
    listed = carer.http.get(f"/api/v1/sites/{site_id}/people").raise_for_status().json()
    people = [person["id"] for person in listed]
    synced = _sync(carer.http, [_sync_batch(number, people) for number in range(BATCHES)])
    engine = make_engine(make_demo_store(workdir / "raw.db"))
    batches = _raw_batches(engine, carer.email)
    same_rows = _raw(engine, batches, "Core: note + revision + audit event", tables=3)
    notes_only = _raw(engine, _fresh_ids(batches), "Core: note rows only", tables=1)
    engine.dispose()
    _print(synced, same_rows, notes_only)


def _sync_batch(number: int, people: list[str]) -> list[dict[str, Any]]:
    first = number * BATCH_SIZE
    return [
        {
            "id": str(uuid.uuid4()),
            "type": "engagement_note",
            "payload": _content(index, people[index % len(people)], _written_at(index)),
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


RawBatch = list[tuple[dict[str, Any], dict[str, Any], dict[str, Any]]]
TABLES = (EngagementNote, EngagementNoteRevision, AuditEvent)


def _raw(engine: Engine, batches: list[RawBatch], path: str, *, tables: int) -> Timing:
    """Insert each batch in one transaction, one executemany a table."""
    writer = engine.execution_options(**{WRITE_OPTION: True})
    latencies = []
    started = time.perf_counter()
    for batch in batches:
        begun = time.perf_counter()
        with writer.begin() as connection:
            for model, rows in zip(TABLES[:tables], zip(*batch, strict=True), strict=False):
                connection.execute(insert(model.__table__), list(rows))  # type: ignore[attr-defined]
        latencies.append(time.perf_counter() - begun)
    seconds = time.perf_counter() - started
    return Timing(path, BATCH_SIZE * len(batches), seconds, latencies)


def _raw_batches(engine: Engine, carer_email: str) -> list[RawBatch]:
    """The same notes as rows (note, first revision, audit event), made before the clock
    starts."""
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
    fixed = {"organisation_id": site.organisation_id, "site_id": site.id, "author_id": author_id}
    rows = [
        _rows(_content(index, str(people[index % len(people)]), _written_at(index)), **fixed)
        for index in range(BATCH_SIZE * BATCHES)
    ]
    return [rows[start : start + BATCH_SIZE] for start in range(0, len(rows), BATCH_SIZE)]


def _fresh_ids(batches: list[RawBatch]) -> list[RawBatch]:
    """The same notes again under new ids, for the second raw run into the same store."""
    return [
        [({**note, "id": uuid.uuid4()}, revision, event) for note, revision, event in batch]
        for batch in batches
    ]


def _rows(
    note: dict[str, Any],
    *,
    organisation_id: uuid.UUID,
    site_id: uuid.UUID,
    author_id: uuid.UUID,
) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
    """The rows the sync path writes for ``note``: the note, its first revision, its event."""
    now = datetime.now(UTC)
    occurred_at = datetime.fromisoformat(note["occurred_at"])
    digest = hashlib.sha256(json.dumps(note, sort_keys=True).encode()).hexdigest()
    content = {
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
    }
    note_id = uuid.uuid4()
    note_row = {
        "id": note_id,
        "organisation_id": organisation_id,
        "site_id": site_id,
        "person_id": uuid.UUID(note["person_id"]),
        "author_id": author_id,
        "occurred_at": occurred_at,
        "recorded_at": now,
        "shift_name": "Early",
        "shift_date": now.date(),
        **content,
        "revision": 1,
        "content_hash": digest,
        "voided_at": None,
        "voided_by_id": None,
        "void_reason": "",
        "reviewed_at": None,
        "reviewed_by_id": None,
    }
    revision = {
        "id": uuid.uuid4(),
        "note_id": note_id,
        "revision": 1,
        "content": {**content, "occurred_at": note["occurred_at"]},
        "author_id": author_id,
        "at": now,
        "reason": "",
    }
    event = {
        "id": uuid.uuid4(),
        "organisation_id": organisation_id,
        "site_id": site_id,
        "actor_id": author_id,
        "action": "create",
        "entity": "engagement_note",
        "entity_id": note_id,
        "at": now,
        "summary": f"level={note['level']}",
    }
    return note_row, revision, event


def _print(synced: Timing, same_rows: Timing, notes_only: Timing) -> None:
    print_table(
        f"Sync ingest on SQLite, {BATCHES} batches of {BATCH_SIZE} engagement notes",
        ["path", "notes", "seconds", "notes/s", "p50 ms/batch", "p95 ms/batch"],
        [
            [t.path, t.notes, t.seconds, t.rate, t.percentile_ms(50), t.percentile_ms(95)]
            for t in (synced, same_rows, notes_only)
        ],
    )
    print()
    for raw in (same_rows, notes_only):
        ratio = synced.rate / raw.rate
        share = f" (1/{1 / ratio:.1f})" if ratio else ""
        print(f"  sync / raw [{raw.path}] = {ratio:.2f}{share}")
    ratio = synced.rate / same_rows.rate
    verdict = "within goal" if ratio >= GOAL_RATIO else "UNDER goal"
    print(f"  goal: sync >= {GOAL_RATIO:.2f} of the raw rate of the same rows: {verdict}")
