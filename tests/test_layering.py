"""Layering rules, read from the source with ``ast``.

Routes (``app/*/routes.py``, ``app/*/*_routes.py``, ``app/*/api.py``) never touch the database
session. A record a route is about is loaded by a dependency in its domain's
``dependencies.py`` (load it within the actor's scope, or "not found"), shared by the pages and
the API; everything else goes through a service; and the transaction ends in one place,
``app.db.get_session`` (commit once the route returns, keep nothing when it raises), with
``app.forms.submit_form`` dropping what a refused form wrote.

Decision on ``SessionDep``: a route may take the session, but only to hand it on. In a routes
module ``session`` (or ``something.session``) appears only as an argument of a call, to a
service, a dependency-built page object or the form helper; no attribute of it is ever read
(no ``session.get``, ``session.exec``, ``session.commit``, ``session.rollback``…). Routes do not
import query builders (``select``, ``insert``, ``col``…) from sqlmodel or sqlalchemy either.

Also here: only ``app/web.py`` changes the shared Jinja environment (domains declare their
``TEMPLATE_NAMES`` and ``create_app`` registers them), and no module grows past 400 lines.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

APP = Path(__file__).resolve().parents[1] / "app"
QUERY_BUILDERS = {"select", "insert", "update", "delete", "col", "func", "text", "or_", "and_"}
MAX_LINES = 400


def route_modules(app: Path = APP) -> list[Path]:
    found = {*app.glob("*/routes.py"), *app.glob("*/*_routes.py"), *app.glob("*/api.py")}
    return sorted(found)


def _is_session(node: ast.AST) -> bool:
    """``session``, or ``<anything>.session`` (a page object's session)."""
    return (isinstance(node, ast.Name) and node.id == "session") or (
        isinstance(node, ast.Attribute) and node.attr == "session"
    )


def session_touches(source: str) -> list[str]:
    """Each place a routes module reads an attribute of the session or imports a query builder."""
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Attribute) and _is_session(node.value):
            found.append((node.lineno, f"session.{node.attr}"))
        if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] in (
            "sqlmodel",
            "sqlalchemy",
        ):
            found += [
                (node.lineno, f"imports {alias.name} from {node.module}")
                for alias in node.names
                if alias.name in QUERY_BUILDERS
            ]
    return [f"line {line}: {what}" for line, what in sorted(found)]


def environment_changes(source: str) -> list[str]:
    """Each place a module reaches into ``templates.env`` (its filters, globals, tests)."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if (
            isinstance(node, ast.Attribute)
            and node.attr == "env"
            and isinstance(node.value, ast.Name)
            and node.value.id == "templates"
        ):
            found.append(f"line {node.lineno}: templates.env")
    return found


def test_the_rules_find_what_they_forbid() -> None:
    touching = """
from sqlmodel import Session, select
def page(session, page):
    site = session.get_one(Site, 1)
    page.session.commit()
    service.do(session, page.session, session=session)
"""
    assert session_touches(touching) == [
        "line 2: imports select from sqlmodel",
        "line 4: session.get_one",
        "line 5: session.commit",
    ]
    assert environment_changes('templates.env.globals["x"] = 1') == ["line 1: templates.env"]


def test_routes_modules_are_all_found() -> None:
    names = {path.relative_to(APP).as_posix() for path in route_modules()}
    assert {"engagement/routes.py", "engagement/api.py", "org/staff_routes.py"} <= names


@pytest.mark.parametrize("path", route_modules(), ids=lambda path: path.relative_to(APP).as_posix())
def test_routes_never_touch_the_session(path: Path) -> None:
    assert session_touches(path.read_text()) == []


def test_only_the_web_module_changes_the_template_environment() -> None:
    changes = {
        path.relative_to(APP).as_posix(): found
        for path in sorted(APP.rglob("*.py"))
        if path.name != "web.py" and (found := environment_changes(path.read_text()))
    }
    assert changes == {}


def test_domains_that_load_records_have_dependencies_modules() -> None:
    """A domain whose routes take a record's id from the path loads it in ``dependencies.py``."""
    missing = []
    for path in route_modules():
        domain = path.parent
        takes_ids = "_id}" in path.read_text() or "{token}" in path.read_text()
        if takes_ids and not (domain / "dependencies.py").exists():
            missing.append(domain.name)
    assert missing == []


def test_modules_stay_under_400_lines() -> None:
    long = {
        path.relative_to(APP).as_posix(): lines
        for path in sorted(APP.rglob("*.py"))
        if "migrations" not in path.parts
        and (lines := len(path.read_text().splitlines())) > MAX_LINES
    }
    assert long == {}
