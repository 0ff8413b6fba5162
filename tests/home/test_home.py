"""Each role's home, over HTTP: what it offers follows the permission table, not a role name."""

from __future__ import annotations

import pytest
from sqlmodel import Session, col, delete
from starlette.testclient import TestClient

from app.auth.models import Membership, Role
from app.auth.passwords import Passwords
from app.auth.permissions import ORG_RULES, SITE_RULES, OrgCapability, SiteCapability
from tests.support import PERSONA_ROLES, World, make_user, sign_in

SHIFT_HOME = SITE_RULES[SiteCapability.work_shifts]


def on_shift_home(capability: SiteCapability) -> frozenset[Role]:
    """Roles who see a site's tool on their home: they work its shifts and hold the capability."""
    return SITE_RULES[capability] & SHIFT_HOME


# What a home shows, and the roles the permission table shows it to.
OFFERS = {
    "Record a note — who?": on_shift_home(SiteCapability.record_notes),
    "Your tools": on_shift_home(SiteCapability.lead_shift),
    "Restrictive practice to review": on_shift_home(SiteCapability.review_notes),
    "Staff and invitations": on_shift_home(SiteCapability.manage_staff),
    "Your sites": frozenset(Role) - SHIFT_HOME,
    ">Manage<": ORG_RULES[OrgCapability.manage_sites],
    ">Sites<": ORG_RULES[OrgCapability.manage_sites],
    "Quality leads and admins": ORG_RULES[OrgCapability.invite_organisation_roles],
}
PERSONAS = {persona: role for persona, role in PERSONA_ROLES.items() if persona != "outsider"}


@pytest.mark.parametrize("persona", PERSONAS)
def test_a_home_offers_what_the_table_allows(
    client: TestClient, world: World, persona: str
) -> None:
    sign_in(client, world.user(persona))
    page = client.get("/home").text
    shown = {offer for offer in OFFERS if offer in page}
    assert shown == {offer for offer, roles in OFFERS.items() if PERSONAS[persona] in roles}


def test_an_account_without_a_role_is_told_to_ask_for_one(
    client: TestClient, session: Session, passwords: Passwords, world: World
) -> None:
    user = make_user(session, passwords, organisation=world.organisation, role=Role.care_worker)
    session.exec(delete(Membership).where(col(Membership.user_id) == user.id))
    session.commit()
    sign_in(client, user)
    page = client.get("/home").text
    assert "Your account has no role at any site yet" in page
    assert "My actions" not in page
