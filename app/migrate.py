"""Applying the Alembic migrations from code: used by the CLI, the app's ``make run`` and tests."""

from __future__ import annotations

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

from app.config import PROJECT_ROOT


def alembic_config(database_url: str) -> Config:
    config = Config(PROJECT_ROOT / "alembic.ini")
    config.attributes["database_url"] = database_url
    return config


def upgrade(database_url: str, revision: str = "head") -> None:
    command.upgrade(alembic_config(database_url), revision)


def rebuild(database_url: str) -> None:
    """Drop every table through the migrations' downgrades, then build the schema again: an
    empty store (the demo's reset; the audit log cannot be emptied any other way)."""
    config = alembic_config(database_url)
    command.downgrade(config, "base")
    command.upgrade(config, "head")


def head_revision(database_url: str) -> str | None:
    return ScriptDirectory.from_config(alembic_config(database_url)).get_current_head()


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()
