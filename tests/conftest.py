"""Fixtures for the real parts: the database (SQLite file, or PostgreSQL with
TEST_DATABASE_URL), built by the migrations; the app over HTTP; a settable clock."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, make_url, text
from sqlmodel import Session
from starlette.testclient import TestClient

from app import migrate
from app.audit.models import AuditEvent
from app.auth.passwords import Passwords
from app.config import Settings
from app.db import make_engine
from app.main import create_app
from app.models import metadata
from tests.support import FrozenClock, World, build_world

TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL")
ORIGIN = "http://testserver"
AUDIT_TABLE = AuditEvent.__tablename__


def settings_for(database_url: str, **overrides: object) -> Settings:
    values: dict[str, object] = {
        "SHIFT_ENV": "development",
        "DATABASE_URL": database_url,
        "secret_key": "test-secret-key-that-is-long-enough-1234",
        # argon2id still, at a cost that keeps the suite quick
        "argon2_time_cost": 1,
        "argon2_memory_cost": 64,
        "argon2_parallelism": 1,
    }
    values.update(overrides)
    return Settings.model_validate(values)


@contextmanager
def worker_database(url: str) -> Iterator[str]:
    """The PostgreSQL database this test process uses: the one ``url`` names, or under
    pytest-xdist a database of the worker's own beside it (``<name>_gw0``), made for the run and
    dropped after, so two workers never empty each other's tables."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if worker is None:
        yield url
        return
    given = make_url(url)
    own = given.set(database=f"{given.database}_{worker}")
    server = create_engine(given, isolation_level="AUTOCOMMIT")
    with server.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{own.database}" WITH (FORCE)'))
        connection.execute(text(f'CREATE DATABASE "{own.database}"'))
    try:
        yield own.render_as_string(hide_password=False)
    finally:
        with server.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{own.database}" WITH (FORCE)'))
        server.dispose()


@pytest.fixture(scope="session")
def migrated_database(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A database built once by the migrations: a template file on SQLite, or the
    PostgreSQL database named by TEST_DATABASE_URL (one per worker under pytest-xdist)."""
    if TEST_DATABASE_URL:
        with worker_database(TEST_DATABASE_URL) as url:
            engine = make_engine(url)
            with engine.begin() as connection:
                connection.execute(text("DROP SCHEMA public CASCADE"))
                connection.execute(text("CREATE SCHEMA public"))
            engine.dispose()
            migrate.upgrade(url)
            yield url
        return
    template = tmp_path_factory.mktemp("template") / "template.db"
    url = f"sqlite:///{template}"
    migrate.upgrade(url)
    engine = make_engine(url)
    with engine.connect() as connection:
        connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    engine.dispose()
    yield url


@pytest.fixture
def database_url(migrated_database: str, tmp_path: Path) -> Iterator[str]:
    """A clean database per test: a copy of the template file, or PostgreSQL emptied after."""
    if TEST_DATABASE_URL:
        yield migrated_database
        # DELETE, each table before those it refers to: a test leaves a few rows, and TRUNCATE
        # of every table costs some 100 ms a test where this costs a few. The audit trail
        # refuses DELETE (it is append-only), so it alone is truncated.
        engine = make_engine(migrated_database)
        with engine.begin() as connection:
            for table in reversed(metadata.sorted_tables):
                if table.name == AUDIT_TABLE:
                    connection.execute(text(f"TRUNCATE {AUDIT_TABLE}"))
                else:
                    connection.execute(table.delete())
        engine.dispose()
        return
    copy = tmp_path / "test.db"
    shutil.copyfile(migrated_database.removeprefix("sqlite:///"), copy)
    yield f"sqlite:///{copy}"


@pytest.fixture
def settings(database_url: str) -> Settings:
    return settings_for(database_url)


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock()


@pytest.fixture
def app(settings: Settings, clock: FrozenClock):  # type: ignore[no-untyped-def]
    application = create_app(settings, clock=clock)
    yield application
    application.state.engine.dispose()


@pytest.fixture
def engine(app) -> Engine:  # type: ignore[no-untyped-def]
    return app.state.engine


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    with Session(engine, expire_on_commit=False) as db_session:
        yield db_session


@pytest.fixture
def passwords(app) -> Passwords:  # type: ignore[no-untyped-def]
    return app.state.passwords


@pytest.fixture
def client(app) -> Iterator[TestClient]:  # type: ignore[no-untyped-def]
    with TestClient(app, headers={"Origin": ORIGIN}, follow_redirects=False) as test_client:
        yield test_client


@pytest.fixture
def make_client(app):  # type: ignore[no-untyped-def]
    """More clients for tests with several people at once, each with their own cookies."""
    clients: list[TestClient] = []

    def new_client() -> TestClient:
        test_client = TestClient(app, headers={"Origin": ORIGIN}, follow_redirects=False)
        clients.append(test_client)
        return test_client

    yield new_client
    for test_client in clients:
        test_client.close()


@pytest.fixture
def world(session: Session, passwords: Passwords) -> World:
    return build_world(session, passwords)
