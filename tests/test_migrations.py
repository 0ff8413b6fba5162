"""The schema is built by the migrations, the same on SQLite and PostgreSQL, and agrees with the
models; the audit log refuses changes."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, insert, inspect, text
from sqlalchemy.exc import DBAPIError
from sqlmodel import Session

from app import migrate
from app.audit.service import record_event
from app.auth.passwords import Passwords
from app.db import make_engine
from app.handover.models import Handover
from app.models import metadata
from tests.support import START, build_world, make_bare_handover, make_organisation


def test_migrations_build_every_table_of_the_models(engine: Engine) -> None:
    tables = set(inspect(engine).get_table_names())
    assert set(metadata.tables) <= tables
    assert "alembic_version" in tables


def test_models_and_migrations_agree(engine: Engine) -> None:
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, metadata)
    assert differences == []


def test_schema_is_at_the_latest_migration(engine: Engine, database_url: str) -> None:
    assert migrate.current_revision(engine) == migrate.head_revision(database_url)


@pytest.mark.parametrize(
    "statement", ["UPDATE audit_event SET action = 'x'", "DELETE FROM audit_event"]
)
def test_audit_events_cannot_be_changed_or_deleted(session: Session, statement: str) -> None:
    organisation = make_organisation(session)
    record_event(
        session,
        organisation_id=organisation.id,
        actor_id=None,
        action="create",
        entity="site",
        entity_id=uuid.uuid4(),
        at=START,
    )
    session.commit()
    with pytest.raises(DBAPIError, match="append-only"):
        session.execute(text(statement))
    session.rollback()
    assert session.execute(text("SELECT count(*) FROM audit_event")).scalar_one() == 1


def test_embedded_store_uses_wal_full_sync_and_foreign_keys(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'data' / 'store.db'}")
    with engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    engine.dispose()


def test_one_handover_per_shift_change_is_refused_clearly_over_doubled_data(
    tmp_path: Path, passwords: Passwords
) -> None:
    """A store that already holds two handovers for one shift change (a race before 0004) is
    not migrated half-way: the migration stops and says what to do. Built on a SQLite file of
    its own, since it takes the schema down and up again."""
    url = f"sqlite:///{tmp_path / 'doubled.db'}"
    migrate.upgrade(url)
    engine = make_engine(url)
    with Session(engine) as session:
        world = build_world(session, passwords)
        first = make_bare_handover(session, site=world.site, lead=world.lead)
        twin = {**first.model_dump(), "id": uuid.uuid4()}
        session.commit()
        command.downgrade(migrate.alembic_config(url), "0003")
        session.execute(insert(Handover), [twin])
        session.commit()
    engine.dispose()
    with pytest.raises(RuntimeError, match="two handovers"):
        migrate.upgrade(url)
