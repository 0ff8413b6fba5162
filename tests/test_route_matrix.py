"""Every route of the app, for every role, at their own site and at another site.

Generated from the app's route table, so a new route fails ``test_every_route_has_a_rule``
until it says which capability it needs; the roles that expect to get in are read from the
permission table (``app/auth/permissions.py``). For each persona and each route:
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
from sqlmodel import Session, select
from starlette.testclient import TestClient

from app.action import service as action_service
from app.action.models import ActionSource
from app.action.schemas import ActionCreate
from app.auth.models import Role, User
from app.auth.permissions import ORG_RULES, SITE_RULES, OrgCapability, SiteCapability
from app.config import Settings
from app.engagement import service as engagement_service
from app.engagement.schemas import EngagementNoteCreate
from app.governance.check import check_organisation
from app.governance.models import DriftAlert, LifecycleProposal
from app.handover import service as handover_service
from app.handover.schemas import HandoverStart
from app.inbox.models import Kind, Notification
from app.inbox.service import notify
from app.models import metadata
from app.org.models import Site
from app.theme import service as theme_service
from app.theme.models import LearningTheme, ThemeStatus
from tests.conftest import settings_for
from tests.observation.helpers import observe
from tests.snapshot.helpers import take_snapshot
from tests.support import (
    PERSONA_ROLES,
    START,
    World,
    actor_for,
    make_bare_handover,
    sign_in,
)

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


@dataclass(frozen=True)
class Or:
    """A capability, or being the one person the record is by, of or for, whatever their role.

    The records used stand for that person by a persona: the note was written by the site's care
    worker, the action is owned by them and the observation is of them; the handover was led by
    the team lead."""

    capability: SiteCapability | None
    person: Role


SIGNED_IN = None  # any signed-in role
Need = SiteCapability | OrgCapability | Or | None

# Who may use each route, as the capability the route's service checks: the roles that expect
# to get in are read from the permission table (``SITE_RULES``/``ORG_RULES``), so a change of
# rule there changes what this test expects. For a route with an id, the capability is checked
# at the site the id belongs to.
NEEDS: dict[str, Need] = {
    "home:home": SIGNED_IN,
    "auth:account": SIGNED_IN,
    "auth:change_password": SIGNED_IN,
    "auth_api:me": SIGNED_IN,
    "org:sites": SIGNED_IN,
    "org:site_new": OrgCapability.manage_sites,
    "org:site_create": OrgCapability.manage_sites,
    "org:site": SiteCapability.view,
    "org:site_edit": SiteCapability.edit_site,
    "org:site_update": SiteCapability.edit_site,
    "org:shifts": SiteCapability.view,
    "org:shifts_update": SiteCapability.manage_shifts,
    "org:people": SiteCapability.view,
    "org:person_new": SiteCapability.manage_people,
    "org:person_create": SiteCapability.manage_people,
    "org:person_edit": SiteCapability.manage_people,
    "org:person_update": SiteCapability.manage_people,
    "org:staff": SiteCapability.manage_staff,
    "org:invite": SiteCapability.manage_staff,
    "org:invite_create": SiteCapability.manage_staff,
    "org:staff_member": SiteCapability.manage_staff,
    "org:staff_role": SiteCapability.manage_staff,
    "org:staff_deactivate": SiteCapability.manage_staff,
    "org:staff_reactivate": SiteCapability.manage_staff,
    "org:organisation_staff": OrgCapability.invite_organisation_roles,
    "org:organisation_invite": OrgCapability.invite_organisation_roles,
    "org:organisation_invite_create": OrgCapability.invite_organisation_roles,
    "api_sites": SIGNED_IN,
    "api_site": SiteCapability.view,
    "api_people": SiteCapability.view,
    "theme:list": SIGNED_IN,
    "theme:new": OrgCapability.manage_themes,
    "theme:create": OrgCapability.manage_themes,
    "theme:detail": SiteCapability.view,
    "theme:edit": OrgCapability.manage_themes,
    "theme:update": OrgCapability.manage_themes,
    "theme:revision": SiteCapability.view,
    "theme_api:list": SIGNED_IN,
    "theme_api:create": OrgCapability.manage_themes,
    "theme_api:get": SiteCapability.view,
    "theme_api:update": OrgCapability.manage_themes,
    "governance_api:theme_move": OrgCapability.manage_themes,
    "theme_api:transitions": SiteCapability.view,
    "engagement:mine": SIGNED_IN,
    "engagement:person": SiteCapability.view,
    "engagement:new": SiteCapability.record_notes,
    "engagement:create": SiteCapability.record_notes,
    "engagement:detail": SiteCapability.view,
    "engagement:amend_form": Or(SiteCapability.change_any_note, Role.care_worker),
    "engagement:amend": Or(SiteCapability.change_any_note, Role.care_worker),
    "engagement:void": Or(SiteCapability.change_any_note, Role.care_worker),
    "engagement:review": SiteCapability.review_notes,
    "engagement:review_list": SiteCapability.review_notes,
    "engagement_api:create": SiteCapability.record_notes,
    "engagement_api:list": SIGNED_IN,
    "engagement_api:get": SiteCapability.view,
    "engagement_api:amend": Or(SiteCapability.change_any_note, Role.care_worker),
    "engagement_api:void": Or(SiteCapability.change_any_note, Role.care_worker),
    "engagement_api:review": SiteCapability.review_notes,
    "engagement:quick_picks": SiteCapability.manage_quick_picks,
    "engagement:quick_picks_update": SiteCapability.manage_quick_picks,
    "action:mine": SIGNED_IN,
    "action:site": SiteCapability.oversee_actions,
    "action:complete": Or(SiteCapability.oversee_actions, Role.care_worker),
    "action:reopen": Or(SiteCapability.oversee_actions, Role.care_worker),
    "action_api:list": SIGNED_IN,
    "action_api:get": Or(SiteCapability.oversee_actions, Role.care_worker),
    "action_api:complete": Or(SiteCapability.oversee_actions, Role.care_worker),
    "sync_api:sync": SIGNED_IN,
    "pwa:outbox": SIGNED_IN,
    "handover:list": SiteCapability.view,
    "handover:detail": SiteCapability.view,
    "handover:start": SiteCapability.lead_shift,
    "handover:person": SiteCapability.lead_shift,
    "handover:prompt": SiteCapability.lead_shift,
    "handover:attend": SiteCapability.lead_shift,
    "handover:action": SiteCapability.lead_shift,
    "handover:complete": SiteCapability.lead_shift,
    "handover:amend": Or(SiteCapability.amend_any_handover, Role.team_lead),
    "handover:acknowledge": SiteCapability.work_shifts,
    "handover_api:list": SIGNED_IN,
    "handover_api:get": SiteCapability.view,
    "handover_api:acknowledgements": SiteCapability.view,
    "handover_api:create": SiteCapability.lead_shift,
    "handover_api:person": SiteCapability.lead_shift,
    "handover_api:prompt_response": SiteCapability.lead_shift,
    "handover_api:attend": SiteCapability.lead_shift,
    "handover_api:action": SiteCapability.lead_shift,
    "handover_api:complete": SiteCapability.lead_shift,
    "handover_api:amend": Or(SiteCapability.amend_any_handover, Role.team_lead),
    "handover_api:acknowledge": SiteCapability.work_shifts,
    "observation:new": SiteCapability.observe_practice,
    "observation:create": SiteCapability.observe_practice,
    "observation:list": SiteCapability.read_observations,
    "observation:detail": Or(SiteCapability.read_observations, Role.care_worker),
    "observation:reflect": Or(None, Role.care_worker),
    "observation:void": SiteCapability.void_any_observation,
    "observation:mine": SIGNED_IN,
    "observation_api:create": SiteCapability.observe_practice,
    "observation_api:list": SIGNED_IN,
    "observation_api:get": Or(SiteCapability.read_observations, Role.care_worker),
    "observation_api:reflect": Or(None, Role.care_worker),
    "observation_api:void": SiteCapability.void_any_observation,
    "governance_api:indicators": SiteCapability.read_indicators,
    "governance_api:evidence_pack": SiteCapability.read_indicators,
    "governance:evidence_pack": SiteCapability.read_indicators,
    "governance_api:signals": SiteCapability.read_indicators,
    "governance:site": SiteCapability.read_indicators,
    "governance:organisation": SiteCapability.read_indicators,
    "governance:meeting": SiteCapability.read_indicators,
    "governance:meeting_decision": SiteCapability.record_meeting_decisions,
    "governance:theme_move": OrgCapability.manage_themes,
    "governance_api:meeting_decision": SiteCapability.record_meeting_decisions,
    "governance:trends": SiteCapability.read_indicators,
    "governance:alert": SiteCapability.read_indicators,
    "governance:alert_seen": SiteCapability.respond_to_alerts,
    "governance:alert_resolve": SiteCapability.respond_to_alerts,
    "governance_api:alerts": SIGNED_IN,
    "governance_api:proposals": SIGNED_IN,
    "governance_api:criteria": SIGNED_IN,
    "governance_api:set_criteria": OrgCapability.manage_themes,
    "governance:criteria": OrgCapability.manage_themes,
    "governance:criteria_save": OrgCapability.manage_themes,
    "governance_api:proposal_decision": OrgCapability.manage_themes,
    "governance:proposal": OrgCapability.manage_themes,
    "governance:proposal_decision": OrgCapability.manage_themes,
    "governance_api:alert_seen": SiteCapability.respond_to_alerts,
    "governance_api:alert_resolve": SiteCapability.respond_to_alerts,
    "snapshot:new": SiteCapability.record_snapshot,
    "snapshot:create": SiteCapability.record_snapshot,
    "snapshot:detail": SiteCapability.read_snapshots,
    "snapshot_api:create": SiteCapability.record_snapshot,
    "snapshot_api:get": SiteCapability.read_snapshots,
    "push:remove_device": SIGNED_IN,
    "push_api:public_key": SIGNED_IN,
    "push_api:subscribe": SIGNED_IN,
    "push_api:unsubscribe": SIGNED_IN,
    "inbox:list": SIGNED_IN,
    "inbox:mark_all_read": SIGNED_IN,
    "inbox:open": Or(None, Role.care_worker),
    "reminders:settings": SIGNED_IN,
    "reminders:save_settings": SIGNED_IN,
    "reminders:site": SiteCapability.manage_shifts,
    "reminders:save_site": SiteCapability.manage_shifts,
}

# Routes that read the records they are about from the query rather than the path.
QUERIES = {
    "governance_api:indicators": "?theme_id={theme_id}&site_id={site_id}",
    "governance_api:evidence_pack": "?theme_id={theme_id}&site_id={site_id}",
    "governance:evidence_pack": "?theme_id={theme_id}&site_id={site_id}",
    "governance_api:signals": "?theme_id={theme_id}&site_id={site_id}",
}


def allowed_roles(need: Need) -> frozenset[Role]:
    """The roles the permission table lets in for ``need``."""
    if need is None:
        return frozenset(Role)
    if isinstance(need, Or):
        by_capability = SITE_RULES[need.capability] if need.capability else frozenset()
        return by_capability | {need.person}
    if isinstance(need, SiteCapability):
        return SITE_RULES[need]
    return ORG_RULES[need]


RULES = {name: allowed_roles(need) for name, need in NEEDS.items()}

# An observation is feedback to one person: those who may not read it get "not found", so
# they do not even learn it exists. (The observation used was of the site's care worker.)
OBSERVATION_READERS = allowed_roles(NEEDS["observation:detail"])
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
# A notification is its user's alone (the one used was the site's care worker's): anyone
# else's id is "not found".
HIDDEN_FROM_NON_READERS["inbox:open"] = allowed_roles(NEEDS["inbox:open"])
# Reads that answer by sending the reader on: opening a notification goes to its page.
REDIRECTS = {"inbox:open"}

PERSONAS = list(PERSONA_ROLES)


@pytest.fixture
def settings(database_url: str) -> Settings:
    """Every feature on, so every route answers as it would for a real service: push too."""
    return settings_for(database_url, push_contact="mailto:care-it@example.org")


ORGANISATION_WIDE = {"quality", "admin"}


@dataclass(frozen=True)
class RouteCase:
    name: str
    method: str
    route_path: str

    @property
    def path(self) -> str:
        """The route's path, with its query of ids where it takes them there."""
        return self.route_path + QUERIES.get(self.name, "")

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
    return sorted(walk_routes(app), key=lambda case: (case.route_path, case.method))


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
    snapshot_id: uuid.UUID
    alert_id: uuid.UUID
    proposal_id: uuid.UUID
    notification_id: uuid.UUID
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


def alert_at(session: Session, site: Site, theme: LearningTheme) -> uuid.UUID:
    """A drift alert the governance check raised (no shift is observed yet)."""
    check_organisation(session, organisation_id=site.organisation_id, now=START)
    found = session.exec(
        select(DriftAlert).where(DriftAlert.site_id == site.id, DriftAlert.theme_id == theme.id)
    )
    return found.first().id  # type: ignore[union-attr]


def proposal_for(session: Session, theme: LearningTheme) -> uuid.UUID:
    proposal = LifecycleProposal(
        id=uuid.uuid4(),
        organisation_id=theme.organisation_id,
        theme_id=theme.id,
        from_status=theme.status,
        to_status=ThemeStatus.embedded,
        evidence=["Every shift on target for 8 weeks"],
        proposed_at=START,
        open_key=f"{theme.id}:test",
    )
    session.add(proposal)
    session.flush()
    return proposal.id


def notification_for(session: Session, user: User) -> uuid.UUID:
    notify(
        session,
        users=[user.id],
        kind=Kind.action_assigned,
        title="An action was given to you",
        url="/my/actions",
        source_key=f"matrix:{user.id}",
        now=START,
    )
    found = session.exec(select(Notification.id).where(Notification.user_id == user.id))
    return found.first()  # type: ignore[return-value]


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
        snapshot_id=take_snapshot(session, world).id,
        alert_id=alert_at(session, world.site, world.theme),
        proposal_id=proposal_for(session, world.theme),
        notification_id=notification_for(session, world.carer),
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
        snapshot_id=take_snapshot(
            session, world, by="outsider_manager", site_id=str(world.other_site.id)
        ).id,
        alert_id=alert_at(session, world.other_site, world.other_theme),
        proposal_id=proposal_for(session, world.other_theme),
        notification_id=notification_for(session, world.outsider),
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
            role = PERSONA_ROLES[persona]
            allowed = role in RULES[case.name]
            refused = 404 if role not in HIDDEN_FROM_NON_READERS.get(case.name, set(Role)) else 403
            if case.has_ids and not belongs(persona, site):
                wanted: set[int] = {404}
            elif case.reads:
                wanted = {303 if case.name in REDIRECTS else 200} if allowed else {refused}
            else:
                wanted = {200, 201, 303, 422} if allowed else {refused, 422}
            if response.status_code not in wanted:
                failures.append(f"{outcome}, wanted {sorted(wanted)}")
            if response.status_code in (403, 404, 422) and row_count(session) != before:
                failures.append(f"{outcome} changed the store")
    assert failures == [], "\n".join(failures)
