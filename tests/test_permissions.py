"""Who may do what is decided in one table, ``app/auth/permissions.py``.

Read from the source with ``ast`` (nothing is imported to check it):
- no module of ``app/`` but ``permissions.py`` names a group of roles (a set, tuple or list of
  ``Role.…``) or asks whether a role is among the actor's (``Role.x in …``): a rule about roles
  is a row of the table, and services ask ``actor.can``/``actor.require``;
- every service function that reads a site's data by the site's id takes the actor, so it is
  scoped by it; a function given a record its caller loaded within scope (a ``Site``, a
  ``Handover``) needs no actor;
- no template branches on a role (``{% if … role … %}``, ``main_role``, ``'manager'``): pages
  receive booleans (``can_review``, ``works_shifts`` …) computed from the table.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest
from jinja2 import nodes
from sqlmodel import Session

from app.action import service as action_service
from app.auth.models import Role
from app.auth.permissions import ORG_RULES, SITE_RULES, OrgCapability, SiteCapability
from app.engagement import quick_picks
from app.engagement import service as engagement_service
from app.errors import Forbidden, NotFound
from app.handover import recording
from app.org import service as org_service
from app.theme import service as theme_service
from app.web import TEMPLATES_DIR, templates
from tests.support import World, actor_for

APP = Path(__file__).resolve().parent.parent / "app"
TABLE = APP / "auth" / "permissions.py"

# Functions that take a site's id to write, after their callers checked the actor.
WRITERS_GIVEN_A_CHECKED_SITE = {
    ("app/audit/service.py", "record_event"),  # the audit log of a change already allowed
    ("app/auth/service.py", "create_account"),  # an accepted invitation or the first admin
    # who to tell of a change at the site already allowed (app/inbox notifies them)
    ("app/auth/recipients.py", "holders_at_site"),
    ("app/org/staff.py", "on_shift"),  # which of those work the shift a handover hands to
}


def modules() -> Iterator[tuple[Path, ast.Module]]:
    for path in sorted(APP.rglob("*.py")):
        if "migrations" not in path.parts:
            yield path, ast.parse(path.read_text(), filename=str(path))


def is_role(node: ast.expr) -> bool:
    return (
        isinstance(node, ast.Attribute)
        and isinstance(node.value, ast.Name)
        and node.value.id == "Role"
    )


def names_roles(node: ast.AST) -> bool:
    """A literal group of roles, ``frozenset({Role.a, …})`` or ``(Role.a, Role.b)``, or a test
    ``Role.a in …``."""
    if isinstance(node, ast.Set | ast.Tuple | ast.List):
        return any(is_role(element) for element in node.elts)
    if isinstance(node, ast.Compare):
        return is_role(node.left) and any(isinstance(op, ast.In | ast.NotIn) for op in node.ops)
    return False


def where(path: Path, node: ast.AST) -> str:
    return f"{path.relative_to(APP.parent)}:{getattr(node, 'lineno', '?')}"


def test_no_module_but_the_table_names_groups_of_roles() -> None:
    found = [
        where(path, node)
        for path, tree in modules()
        if path != TABLE
        for node in ast.walk(tree)
        if names_roles(node)
    ]
    assert found == [], "decide it in app/auth/permissions.py:\n" + "\n".join(found)


def test_the_check_finds_a_group_of_roles() -> None:
    source = "OVERSEERS = frozenset({Role.manager, Role.admin})\nok = Role.manager in roles\n"
    assert sum(names_roles(node) for node in ast.walk(ast.parse(source))) == 2


ROLE_WORDS = {"role", "roles", "main_role", "role_at", "roles_at"} | {role.value for role in Role}


def role_branches(source: str) -> list[int]:
    """Lines of ``{% if %}``/``{% elif %}`` tests and ``a if b else c`` conditions that name a
    role: an attribute or variable called role, or a role's value in quotes."""
    found = []
    for branch in templates.env.parse(source).find_all((nodes.If, nodes.CondExpr)):
        test = branch.test
        named = {node.name for node in test.find_all(nodes.Name)}
        named |= {node.attr for node in test.find_all(nodes.Getattr)}
        named |= {str(node.value) for node in test.find_all(nodes.Const)}
        if named & ROLE_WORDS:
            found.append(branch.lineno)
    return found


def test_no_template_branches_on_a_role() -> None:
    found = [
        f"{path.relative_to(TEMPLATES_DIR)}:{line}"
        for path in sorted(TEMPLATES_DIR.rglob("*.html"))
        for line in role_branches(path.read_text())
    ]
    assert found == [], "pass the page a boolean from the permission table:\n" + "\n".join(found)


@pytest.mark.parametrize(
    "source",
    [
        "{% if home.role is none %}x{% endif %}",
        "{% if a %}{% elif focus.role.value in ('team_lead', 'manager') %}x{% endif %}",
        "{{ 'Manage' if actor.main_role == 'admin' else 'Learning' }}",
    ],
)
def test_the_check_finds_a_role_branch(source: str) -> None:
    assert role_branches(source) != []


def test_every_reader_given_a_site_id_takes_the_actor() -> None:
    missing = []
    for path, tree in modules():
        if path.name in ("routes.py", "api.py") or path.name.endswith("_routes.py"):
            continue  # pages and API take the actor as a dependency
        for node in tree.body:
            if not isinstance(node, ast.FunctionDef) or node.name.startswith("_"):
                continue
            arguments = {a.arg for a in node.args.args + node.args.kwonlyargs}
            place = (str(path.relative_to(APP.parent)), node.name)
            if (
                "session" in arguments
                and arguments & {"site_id", "site_ids"}
                and "actor" not in arguments
                and place not in WRITERS_GIVEN_A_CHECKED_SITE
            ):
                missing.append(where(path, node) + f" {node.name}")
    assert missing == [], "take the actor and check it:\n" + "\n".join(missing)


@pytest.mark.parametrize("rules", [SITE_RULES, ORG_RULES])
def test_every_capability_has_a_rule(rules: dict) -> None:  # type: ignore[type-arg]
    capabilities = SiteCapability if rules is SITE_RULES else OrgCapability
    assert set(rules) == set(capabilities)
    assert all(roles <= set(Role) for roles in rules.values())


READERS = {
    "open actions": action_service.open_actions_at_site,
    "quick picks": quick_picks.for_site,
    "active themes": theme_service.active_themes_for_site,
    "handover prompts": recording.active_prompt_themes,
    "shift pattern": org_service.list_shifts,
}


@pytest.mark.parametrize("reader", READERS)
def test_a_reader_answers_not_found_for_another_sites_id(
    session: Session, world: World, reader: str
) -> None:
    outsider = actor_for(session, world.outsider)
    READERS[reader](session, actor=outsider, site_id=world.other_site.id)  # their own site
    with pytest.raises(NotFound):
        READERS[reader](session, actor=outsider, site_id=world.site.id)


def test_restrictive_practice_waiting_for_review_is_counted_for_managers_only(
    session: Session, world: World
) -> None:
    manager, carer = actor_for(session, world.manager), actor_for(session, world.carer)
    assert engagement_service.count_to_review(session, actor=manager, site_id=world.site.id) == 0
    with pytest.raises(Forbidden):
        engagement_service.count_to_review(session, actor=carer, site_id=world.site.id)
    with pytest.raises(NotFound):
        engagement_service.count_to_review(session, actor=manager, site_id=world.other_site.id)
    with pytest.raises(NotFound):
        org_service.list_shifts_by_site(
            session, actor=manager, site_ids=[world.site.id, world.other_site.id]
        )
