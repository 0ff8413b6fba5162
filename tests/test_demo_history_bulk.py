"""Writing a generated history in bulk (``app.demo_history.writer``): COPY on PostgreSQL stores
exactly what INSERT stores, and the interaction snapshots a history holds are what the snapshot
service would have stored (sent again through it, each is "already there")."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from app.auth import service as auth_service
from app.auth.models import User
from app.auth.passwords import Passwords
from app.demo import DEMO_LOGINS, load_demo_data
from app.demo_history import WRITE_ORDER, generate_history
from app.demo_history.demo import PATTERNS, add_colleagues
from app.org.models import Site
from app.snapshot import service as snapshot_service
from app.snapshot.models import InteractionKind, InteractionSnapshot
from app.snapshot.schemas import SnapshotCreate
from app.theme import service as theme_service
from tests.conftest import TEST_DATABASE_URL, settings_for
from tests.test_demo_history import NOW, aware

WEEKS = 6


def _generate(session: Session, *, copy: bool) -> dict[str, int]:
    sites = list(session.exec(select(Site)).all())
    admin = session.exec(select(User).where(User.email == DEMO_LOGINS[5].email)).one()
    actor = auth_service.load_actor(session, user=admin)
    themes = theme_service.list_themes(session, actor=actor)
    return generate_history(
        session,
        actor=actor,
        sites=sites,
        patterns={theme.id: PATTERNS[theme.title] for theme in themes},
        weeks=WEEKS,
        now=NOW,
        snapshots_per_week=3,
        copy=copy,
    )


@pytest.fixture
def store(engine: Engine, database_url: str) -> Iterator[Session]:
    settings = settings_for(database_url, demo_mode=True)
    with Session(engine, expire_on_commit=False) as session:
        load_demo_data(session, settings=settings, passwords=Passwords(settings), now=NOW)
        add_colleagues(
            session, sites={site.name: site for site in session.exec(select(Site)).all()}, now=NOW
        )
        yield session


def _every_row(session: Session) -> list[tuple[Any, ...]]:
    found = []
    for model in WRITE_ORDER:
        table = model.__table__  # type: ignore[attr-defined]
        found += [tuple(row) for row in session.execute(table.select().order_by(table.c.id))]
    return found


@pytest.mark.skipif(
    not TEST_DATABASE_URL,
    reason="COPY is PostgreSQL's: runs in make test's PostgreSQL pass, or wherever "
    "TEST_DATABASE_URL is set",
)
def test_copy_stores_what_insert_stores(store: Session) -> None:
    written = []
    for copy in (True, False):
        attempt = store.begin_nested()
        counts = _generate(store, copy=copy)
        written.append((counts, _every_row(store)))
        attempt.rollback()
    (copied_counts, copied), (inserted_counts, inserted) = written
    assert copied_counts == inserted_counts
    assert copied_counts["engagement_note"] > 1000
    assert copied_counts["interaction_snapshot"] > 0
    assert copied == inserted


def test_snapshots_sent_again_through_the_service_are_already_there(store: Session) -> None:
    counts = _generate(store, copy=True)
    sites = store.exec(select(Site)).all()
    assert counts["interaction_snapshot"] == 3 * len(sites) * (WEEKS + 1)
    snapshots = store.exec(select(InteractionSnapshot)).all()
    assert {snapshot.shift_name for snapshot in snapshots} == {"Early", "Late", "Night"}
    assert any(snapshot.theme_id is not None for snapshot in snapshots)
    for snapshot in snapshots[:: max(1, len(snapshots) // 5)]:
        observer = auth_service.load_actor(store, user=store.get_one(User, snapshot.observer_id))
        again = snapshot_service.record_interaction_snapshot(
            store,
            actor=observer,
            data=SnapshotCreate(
                id=snapshot.id,
                site_id=snapshot.site_id,
                theme_id=snapshot.theme_id,
                started_at=aware(snapshot.started_at),
                minutes=snapshot.minutes,
                location=snapshot.location,
                **{kind.value: snapshot.count(kind) for kind in InteractionKind},
            ),
            now=aware(snapshot.recorded_at),
        )
        assert not again.created
