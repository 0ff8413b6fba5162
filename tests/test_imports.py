"""Imports go one way, so a newcomer adding a domain cannot tie the layers in a knot.

Read from every module under ``app/`` with ``ast`` (nothing is imported to check it):
- the shared core (settings, database, web helpers, errors, records …) imports no domain;
- ``auth`` (accounts, memberships, roles, the Actor, the permission table) imports no other
  domain but ``audit``: ``org`` and every capture domain build on it, never the reverse;
- data builders (``demo_history``) are imported by the demos only (``app.demo``, the small one,
  and ``app.demo_provider``, the provider at scale);
- delivery (``push``) imports only ``auth`` and ``audit``: any domain may queue a push;
- the inbox (``inbox``) is a shared lower layer like delivery: it imports only ``auth``,
  ``audit``, ``push`` and the core, so any capture domain may notify in its own transaction;
- reading domains (``home``, ``governance``, ``reminders``) read the capture domains (auth, audit,
  org, theme, engagement, handover, observation, snapshot, action, sync, pwa), never the reverse: nothing
  imports a reading domain but another reading domain and what assembles the app: ``app/main.py``
  (its routers), ``app/models.py`` (every table, for migrations), ``app/cli.py`` (its commands) and
  ``app/worker.py`` (its jobs).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

APP = Path(__file__).resolve().parent.parent / "app"

CORE = {
    "app.api_docs",
    "app.clock",
    "app.config",
    "app.db",
    "app.errors",
    "app.forms",
    "app.health",
    "app.migrate",
    "app.problems",
    "app.records",
    "app.security",
    "app.web",
}
READING_DOMAINS = {"home", "governance", "reminders"}
CAPTURE_DOMAINS = {
    "action",
    "audit",
    "auth",
    "engagement",
    "handover",
    "observation",
    "org",
    "pwa",
    "snapshot",
    "sync",
    "theme",
}
# Builders of data (the demo's history) write through the capture domains' tables; only the
# demo loads them, never a page or a service.
DATA_BUILDERS = {"demo_history"}
DATA_BUILDER_USERS = {"app.demo", "app.demo_provider"}
AUTH_MAY_IMPORT = {"auth", "audit"}
# Delivery (web push) sends what the inbox asks it to: it knows accounts and sessions, nothing
# of the captures, so any domain may hand it a message without a knot.
DELIVERY_DOMAINS = {"push"}
DELIVERY_MAY_IMPORT = {"auth", "audit", "push"}
# The inbox is told by the captures and asks delivery to push: it knows accounts and the
# outbox, nothing of the captures, so capture domains may import it without a knot.
INBOX_DOMAINS = {"inbox"}
INBOX_MAY_IMPORT = {"auth", "audit", "push", "inbox"}
# create_app() includes every domain's routers; models gathers every table; cli every command.
ASSEMBLY = {"app.main", "app.models", "app.cli", "app.worker"}


def module_name(path: Path) -> str:
    parts = path.relative_to(APP.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def app_modules() -> Iterator[tuple[str, ast.Module]]:
    for path in sorted(APP.rglob("*.py")):
        if "migrations" not in path.parts:
            yield module_name(path), ast.parse(path.read_text(), filename=str(path))


def imported(tree: ast.Module) -> Iterator[str]:
    """Every ``app.…`` module a module imports, wherever the import statement stands."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.module
            yield from (f"{node.module}.{alias.name}" for alias in node.names)


def domain_of(module: str) -> str | None:
    """``app.org.staff`` → ``org``; a top-level module (``app.web``) has no domain."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and (APP / parts[1]).is_dir() else None


def arrows() -> Iterator[tuple[str, str]]:
    for module, tree in app_modules():
        for target in imported(tree):
            if target.startswith("app."):
                yield module, target


def test_the_checks_see_the_whole_app() -> None:
    """The lists above name real parts of the app, so a renamed domain cannot slip past."""
    domains = {path.name for path in APP.iterdir() if (path / "__init__.py").exists()}
    assert domains - {"migrations"} == (
        CAPTURE_DOMAINS
        | DELIVERY_DOMAINS
        | INBOX_DOMAINS
        | DATA_BUILDERS
        | (READING_DOMAINS & domains)
    )
    modules = {module for module, _ in app_modules()}
    assert modules >= CORE


def test_the_shared_core_imports_no_domain() -> None:
    wrong = [
        f"{module} imports {target}"
        for module, target in arrows()
        if module in CORE and domain_of(target) is not None
    ]
    assert wrong == []


def test_auth_does_not_import_org_or_any_other_domain() -> None:
    wrong = [
        f"{module} imports {target}"
        for module, target in arrows()
        if domain_of(module) == "auth" and domain_of(target) not in AUTH_MAY_IMPORT | {None}
    ]
    assert wrong == []


def test_delivery_imports_only_accounts() -> None:
    wrong = [
        f"{module} imports {target}"
        for module, target in arrows()
        if domain_of(module) in DELIVERY_DOMAINS
        and domain_of(target) not in DELIVERY_MAY_IMPORT | {None}
    ]
    assert wrong == []


def test_the_inbox_imports_only_accounts_and_delivery() -> None:
    wrong = [
        f"{module} imports {target}"
        for module, target in arrows()
        if domain_of(module) in INBOX_DOMAINS and domain_of(target) not in INBOX_MAY_IMPORT | {None}
    ]
    assert wrong == []


def test_only_the_app_assembly_imports_a_reading_domain() -> None:
    wrong = [
        f"{module} imports {target}"
        for module, target in arrows()
        if domain_of(target) in READING_DOMAINS
        and domain_of(module) not in READING_DOMAINS
        and module not in ASSEMBLY
    ]
    assert wrong == []


def test_only_the_demo_imports_a_data_builder() -> None:
    wrong = [
        f"{module} imports {target}"
        for module, target in arrows()
        if domain_of(target) in DATA_BUILDERS
        and domain_of(module) not in DATA_BUILDERS
        and module not in DATA_BUILDER_USERS
    ]
    assert wrong == []
