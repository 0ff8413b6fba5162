"""Every route of the app, for every role, at their own site and at another site.

Generated from the app's route table, so a new route fails ``test_every_route_has_a_rule``
until it says who may use it. For each persona and each route:
- signed out: pages send you to sign in, the API answers 401;
- a route with an id from a site you do not belong to answers 404, and changes nothing;
- at your own site, reading is 200 for the roles in the rule and 403 for the rest; a write
  with an empty body is refused (403 for a role that may not, 422 for missing fields) and
  changes nothing. Never a 500.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta

import pytest
from fastapi import FastAPI
from sqlalchemy import text
from sqlmodel import Session
from starlette.testclient import TestClient

from app.action import service as action_service
from app.action.models import ActionSource
from app.action.schemas import ActionCreate
from app.auth.models import User
from app.engagement import service as engagement_service
from app.engagement.schemas import EngagementNoteCreate
from app.handover import service as handover_service
from app.handover.schemas import HandoverStart
from app.models import metadata
from app.org.models import Role, Site
from app.theme import service as theme_service
from app.theme.models import LearningTheme
from tests.observation.helpers import observe
from tests.support import START, World, actor_for, make_bare_handover, sign_in

EVERYONE = frozenset(Role)
SITE_STAFF = frozenset({Role.care_worker, Role.team_lead, Role.manager})
LEADERS = frozenset({Role.manager, Role.admin})
THEME_MANAGERS = frozenset({Role.quality_lead, Role.admin})
ADMIN = frozenset({Role.admin})
MANAGER = frozenset({Role.manager})
LEADS = frozenset({Role.team_lead, Role.manager})
OBSERVERS = frozenset({Role.manager, Role.quality_lead})
OBSERVATION_READERS = frozenset({Role.care_worker, Role.manager, Role.quality_lead, Role.admin})

PUBLIC = {
    "openapi",
    "health",
    "api:docs",
    "home:root",
    "auth:login_form",
    "auth:login",
    "auth:invitation",
    "auth:accept_invitation",
    "pwa:manifest",
    "pwa:service_worker",
    "pwa:offline",
    "auth_api:login",
}
# Ending the session is tested on its own (tests/auth); here it would sign the persona out.
SIGN_OUT = {"auth:logout", "auth_api:logout"}

# Who may use each route: roles at the site the route's ids belong to (or, for routes without
# a site, anywhere). The note and the action used were written for and owned by the site's
# care worker, so for "author or manager" and "owner or lead" routes the care worker stands
# for the author and the owner.
RULES: dict[str, frozenset[Role]] = {
    "home:home": EVERYONE,
    "auth:account": EVERYONE,
    "auth:change_password": EVERYONE,
    "auth_api:me": EVERYONE,
    "org:sites": EVERYONE,
    "org:site_new": ADMIN,
    "org:site_create": ADMIN,
    "org:site": EVERYONE,
    "org:site_edit": ADMIN,
    "org:site_update": ADMIN,
    "org:shifts": EVERYONE,
    "org:shifts_update": LEADERS,
    "org:people": EVERYONE,
    "org:person_new": LEADERS,
    "org:person_create": LEADERS,
    "org:person_edit": LEADERS,
    "org:person_update": LEADERS,
    "org:staff": LEADERS,
    "org:invite": LEADERS,
    "org:invite_create": LEADERS,
    "org:staff_member": LEADERS,
    "org:staff_role": LEADERS,
    "org:staff_deactivate": LEADERS,
    "org:staff_reactivate": LEADERS,
    "org:organisation_staff": ADMIN,
    "org:organisation_invite": ADMIN,
    "org:organisation_invite_create": ADMIN,
    "api_sites": EVERYONE,
    "api_site": EVERYONE,
    "api_people": EVERYONE,
    "theme:list": EVERYONE,
    "theme:new": THEME_MANAGERS,
    "theme:create": THEME_MANAGERS,
    "theme:detail": EVERYONE,
    "theme:edit": THEME_MANAGERS,
    "theme:update": THEME_MANAGERS,
    "theme:transition": THEME_MANAGERS,
    "theme:revision": EVERYONE,
    "theme_api:list": EVERYONE,
    "theme_api:create": THEME_MANAGERS,
    "theme_api:get": EVERYONE,
    "theme_api:update": THEME_MANAGERS,
    "theme_api:transition": THEME_MANAGERS,
    "theme_api:transitions": EVERYONE,
    "engagement:person": EVERYONE,
    "engagement:new": SITE_STAFF,
    "engagement:create": SITE_STAFF,
    "engagement:detail": EVERYONE,
    "engagement:amend_form": frozenset({Role.care_worker, Role.manager}),
    "engagement:amend": frozenset({Role.care_worker, Role.manager}),
    "engagement:void": frozenset({Role.care_worker, Role.manager}),
    "engagement:review": MANAGER,
    "engagement:review_list": MANAGER,
    "engagement_api:create": SITE_STAFF,
    "engagement_api:list": EVERYONE,
    "engagement_api:get": EVERYONE,
    "engagement_api:amend": frozenset({Role.care_worker, Role.manager}),
    "engagement_api:void": frozenset({Role.care_worker, Role.manager}),
    "engagement_api:review": MANAGER,
    "engagement:quick_picks": LEADERS,
    "engagement:quick_picks_update": LEADERS,
    "action:mine": EVERYONE,
    "action:site": frozenset({Role.team_lead, Role.manager, Role.quality_lead, Role.admin}),
    "action:complete": frozenset(
        {Role.care_worker, Role.team_lead, Role.manager, Role.quality_lead, Role.admin}
    ),
    "action:reopen": frozenset(
        {Role.care_worker, Role.team_lead, Role.manager, Role.quality_lead, Role.admin}
    ),
    "action_api:list": EVERYONE,
    "action_api:get": EVERYONE,
    "action_api:complete": EVERYONE,
    "sync_api:sync": EVERYONE,
    "pwa:outbox": EVERYONE,
    "handover:list": EVERYONE,
    "handover:detail": EVERYONE,
    "handover:start": LEADS,
    "handover:person": LEADS,
    "handover:prompt": LEADS,
    "handover:attend": LEADS,
    "handover:action": LEADS,
    "handover:complete": LEADS,
    "handover:amend": LEADS,
    "handover:acknowledge": SITE_STAFF,
    "handover_api:list": EVERYONE,
    "handover_api:get": EVERYONE,
    "handover_api:acknowledgements": EVERYONE,
    "handover_api:create": LEADS,
    "handover_api:person": LEADS,
    "handover_api:prompt_response": LEADS,
    "handover_api:attend": LEADS,
    "handover_api:action": LEADS,
    "handover_api:complete": LEADS,
    "handover_api:amend": LEADS,
    "handover_api:acknowledge": SITE_STAFF,
    "observation:new": OBSERVERS,
    "observation:create": OBSERVERS,
    "observation:list": frozenset({Role.manager, Role.quality_lead, Role.admin}),
    "observation:detail": OBSERVATION_READERS,
    "observation:reflect": frozenset({Role.care_worker}),
    "observation:void": MANAGER,
    "observation:mine": EVERYONE,
    "observation_api:create": OBSERVERS,
    "observation_api:list": EVERYONE,
    "observation_api:get": OBSERVATION_READERS,
    "observation_api:reflect": frozenset({Role.care_worker}),
    "observation_api:void": MANAGER,
}

# An observation is feedback to one person: those who may not read it get "not found", so
# they do not even learn it exists. (The observation used was of the site's care worker.)
HIDDEN_FROM_NON_READERS = dict.fromkeys(
    (
        "observation:detail",
        "observation:reflect",
        "observation:void",
        "observation_api:get",
        "observation_api:reflect",
        "observation_api:void",
    ),
    OBSERVATION_READERS,
)

PERSONAS = ["carer", "lead", "manager", "quality", "admin", "outsider"]
ROLE_OF = {
    "carer": Role.care_worker,
    "lead": Role.team_lead,
    "manager": Role.manager,
    "quality": Role.quality_lead,
    "admin": Role.admin,
    "outsider": Role.care_worker,
}
ORGANISATION_WIDE = {"quality", "admin"}


@dataclass(frozen=True)
class RouteCase:
    name: str
    method: str
    path: str

    @property
    def is_api(self) -> bool:
        return self.path.startswith("/api/")

    @property
    def reads(self) -> bool:
        return self.method == "GET"

    @property
    def has_ids(self) -> bool:
        return "{" in self.path


def walk_routes(app: FastAPI) -> Iterator[RouteCase]:
    """Every (name, method, path) the app answers, through included routers too."""
    for route in app.routes:
        contexts = (
            route.effective_route_contexts()
            if hasattr(route, "effective_route_contexts")
            else [route]
        )
        for context in contexts:
            for method in sorted(getattr(context, "methods", None) or ()):
                if method != "HEAD":
                    yield RouteCase(context.name, method, context.path)


@pytest.fixture
def routes(app: FastAPI) -> list[RouteCase]:
    return sorted(walk_routes(app), key=lambda case: (case.path, case.method))


@dataclass(frozen=True)
class Ids:
    site_id: uuid.UUID
    person_id: uuid.UUID
    user_id: uuid.UUID
    theme_id: uuid.UUID
    note_id: uuid.UUID
    action_id: uuid.UUID
    handover_id: uuid.UUID
    prompt_id: uuid.UUID
    observation_id: uuid.UUID
    revision: int = 1


def note_by(session: Session, world: World, author: str, person_id: uuid.UUID) -> uuid.UUID:
    saved = engagement_service.record_engagement_note(
        session,
        actor=actor_for(session, world.user(author)),
        data=EngagementNoteCreate(id=uuid.uuid4(), person_id=person_id, level=2),
        now=START - timedelta(minutes=5),
    )
    return saved.record.id


def action_for(session: Session, world: World, site: Site, owner: User) -> uuid.UUID:
    """An action at ``site`` owned by ``owner``, hung on a bare handover row."""
    handover = make_bare_handover(session, site=site, lead=owner)
    saved = action_service.add_action(
        session,
        actor=actor_for(session, world.admin),
        site_id=site.id,
        source=ActionSource.handover,
        source_id=handover.id,
        data=ActionCreate(id=uuid.uuid4(), description="Check the rota", owner_id=owner.id),
        now=START,
    )
    return saved.record.id


def handover_at(session: Session, site: Site, lead: User) -> uuid.UUID:
    saved = handover_service.start_handover(
        session,
        actor=actor_for(session, lead),
        data=HandoverStart(id=uuid.uuid4(), site_id=site.id),
        now=START,
    )
    return saved.record.id


def first_prompt(session: Session, theme: LearningTheme) -> uuid.UUID:
    return theme_service.view_theme(session, theme=theme).prompts[0].id


@pytest.fixture
def ids(session: Session, world: World) -> dict[str, Ids]:
    """Ids of records at Rosewood House (where the personas work, but the outsider) and at
    Beech Court (where only the outsider and the organisation-wide roles belong)."""
    rosewood = Ids(
        site_id=world.site.id,
        person_id=world.person.id,
        user_id=world.colleague.id,
        theme_id=world.theme.id,
        note_id=note_by(session, world, "carer", world.person.id),
        action_id=action_for(session, world, world.site, world.carer),
        handover_id=handover_at(session, world.site, world.lead),
        prompt_id=first_prompt(session, world.theme),
        observation_id=observe(session, world).id,
    )
    beech = Ids(
        site_id=world.other_site.id,
        person_id=world.other_person.id,
        user_id=world.outsider_manager.id,
        theme_id=world.other_theme.id,
        note_id=note_by(session, world, "outsider", world.other_person.id),
        action_id=action_for(session, world, world.other_site, world.outsider),
        handover_id=handover_at(session, world.other_site, world.outsider_manager),
        prompt_id=first_prompt(session, world.other_theme),
        observation_id=observe(
            session,
            world,
            by="outsider_manager",
            site_id=str(world.other_site.id),
            theme_id=str(world.other_theme.id),
            observed_user_id=str(world.outsider.id),
            ratings={},
        ).id,
    )
    session.commit()
    return {"rosewood": rosewood, "beech": beech}


def belongs(persona: str, site: str) -> bool:
    return persona in ORGANISATION_WIDE or (persona == "outsider") == (site == "beech")


def row_count(session: Session) -> int:
    """All rows outside the sign-in bookkeeping: a refused request must not change it."""
    counted = [
        t.name for t in metadata.sorted_tables if t.name not in ("auth_session", "login_failure")
    ]
    query = " + ".join(f'(SELECT count(*) FROM "{name}")' for name in counted)  # noqa: S608
    session.expire_all()
    return session.execute(text(f"SELECT {query}")).scalar_one()


def send(client: TestClient, case: RouteCase, path: str):  # type: ignore[no-untyped-def]
    if case.reads:
        return client.get(path)
    if case.is_api:
        return client.request(case.method, path, json={})
    return client.request(case.method, path, data={})


def test_every_route_has_a_rule(routes: list[RouteCase]) -> None:
    named = {case.name for case in routes}
    assert named - PUBLIC - SIGN_OUT - set(RULES) == set()
    assert set(RULES) - named == set(), "rules for routes that no longer exist"


def test_signed_out_visitors_reach_only_public_routes(
    client: TestClient, routes: list[RouteCase], ids: dict[str, Ids]
) -> None:
    client.headers.pop("Origin")
    failures = []
    for case in routes:
        if case.name in PUBLIC | SIGN_OUT:
            continue
        response = send(client, case, case.path.format(**vars(ids["rosewood"])))
        expected = 401 if case.is_api else 303
        if response.status_code != expected:
            failures.append(f"{case.method} {case.path}: {response.status_code}, wanted {expected}")
    assert failures == [], "\n".join(failures)


@pytest.mark.parametrize("persona", PERSONAS)
def test_each_role_reaches_exactly_what_its_rules_allow(
    client: TestClient,
    session: Session,
    world: World,
    routes: list[RouteCase],
    ids: dict[str, Ids],
    persona: str,
) -> None:
    sign_in(client, world.user(persona))
    failures = []
    for case in routes:
        if case.name not in RULES:
            continue
        for site in ("rosewood", "beech") if case.has_ids else ("rosewood",):
            path = case.path.format(**vars(ids[site]))
            before = row_count(session)
            response = send(client, case, path)
            outcome = (
                f"{persona} {case.method} {path} ({case.name}, {site}): {response.status_code}"
            )
            if response.status_code >= 500:
                failures.append(outcome)
                continue
            role = ROLE_OF[persona]
            allowed = role in RULES[case.name]
            refused = 404 if role not in HIDDEN_FROM_NON_READERS.get(case.name, EVERYONE) else 403
            if case.has_ids and not belongs(persona, site):
                wanted: set[int] = {404}
            elif case.reads:
                wanted = {200} if allowed else {refused}
            else:
                wanted = {200, 201, 303, 422} if allowed else {refused, 422}
            if response.status_code not in wanted:
                failures.append(f"{outcome}, wanted {sorted(wanted)}")
            if response.status_code in (403, 404, 422) and row_count(session) != before:
                failures.append(f"{outcome} changed the store")
    assert failures == [], "\n".join(failures)
