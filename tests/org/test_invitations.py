"""Inviting staff: the form, the link shown once, and the invited person setting up their account."""

from __future__ import annotations

import re

import pytest
from httpx import Response
from sqlmodel import Session, func, select
from starlette.testclient import TestClient

from app.auth.models import Invitation, Membership, Role, User
from app.security import SESSION_COOKIE
from tests.org.helpers import assert_refused_beside, audit_actions, fresh, signed_in
from tests.support import FrozenClock, World

STRONG_PASSWORD = "violet harbour kettle marathon"
LINK = re.compile(r"data-copy-source>(http://testserver(/invitations/[^<\s]+))</p>")


def invite(client: TestClient, world: World, **overrides: str) -> Response:
    form = {"name": "Nia Newstart", "email": "nia@example.org", "role": "care_worker"}
    return client.post(f"/sites/{world.site.id}/staff/invite", data=form | overrides)


def invitation_path(page: Response) -> str:
    match = LINK.search(page.text)
    assert match is not None, page.text
    return match[2]


def invitation_count(session: Session) -> int:
    return fresh(session).exec(select(func.count()).select_from(Invitation)).one()


def test_manager_invites_a_care_worker_who_sets_up_their_account(
    client: TestClient, make_client, world: World, session: Session
) -> None:  # type: ignore[no-untyped-def]
    signed_in(client, world, "manager")
    form = client.get(f"/sites/{world.site.id}/staff/invite")
    assert form.status_code == 200
    assert ">Care worker<" in form.text
    assert ">Team lead<" in form.text
    assert ">Manager<" in form.text
    assert ">Admin<" not in form.text
    assert ">Quality lead<" not in form.text

    shown = invite(client, world)
    assert shown.status_code == 200
    assert "expires in 7 days" in shown.text
    assert 'x-data="copyText"' in shown.text
    assert shown.headers["cache-control"] == "no-store"
    path = invitation_path(shown)
    staff_page = client.get(f"/sites/{world.site.id}/staff")
    assert "Nia Newstart" in staff_page.text
    assert path not in staff_page.text  # the link is shown once, then only its hash is kept

    newcomer = make_client()
    welcome = newcomer.get(path)
    assert welcome.status_code == 200
    assert "Welcome, Nia Newstart" in welcome.text
    weak = newcomer.post(
        path, data={"password": "password1234", "confirm_password": "password1234"}
    )
    assert_refused_beside(weak, "password")
    mismatch = newcomer.post(
        path, data={"password": STRONG_PASSWORD, "confirm_password": STRONG_PASSWORD + "x"}
    )
    assert_refused_beside(mismatch, "confirm_password")
    assert fresh(session).exec(select(User).where(User.email == "nia@example.org")).first() is None

    accepted = newcomer.post(
        path, data={"password": STRONG_PASSWORD, "confirm_password": STRONG_PASSWORD}
    )
    assert accepted.status_code == 303
    assert accepted.headers["location"].endswith("/home")
    assert SESSION_COOKIE in newcomer.cookies
    assert newcomer.get(f"/sites/{world.site.id}").status_code == 200
    user = fresh(session).exec(select(User).where(User.email == "nia@example.org")).one()
    membership = session.exec(select(Membership).where(Membership.user_id == user.id)).one()
    assert (membership.site_id, membership.role) == (world.site.id, Role.care_worker)
    actions = audit_actions(session)
    assert ("invite", "invitation", "role=care_worker") in actions
    assert ("accept_invitation", "invitation", "role=care_worker") in actions

    assert make_client().get(path).status_code == 404
    assert "Nia Newstart" in client.get(f"/sites/{world.site.id}/staff").text
    assert (
        "No invitations are waiting to be used." in client.get(f"/sites/{world.site.id}/staff").text
    )


def test_invitation_link_expires_after_seven_days(
    client: TestClient, make_client, world: World, clock: FrozenClock
) -> None:  # type: ignore[no-untyped-def]
    path = invitation_path(invite(signed_in(client, world, "manager"), world))
    newcomer = make_client()
    clock.advance(days=6, hours=23)
    assert newcomer.get(path).status_code == 200
    clock.advance(hours=1)
    expired = newcomer.get(path)
    assert expired.status_code == 404
    assert "expired or has already been used" in expired.text
    refused = newcomer.post(
        path, data={"password": STRONG_PASSWORD, "confirm_password": STRONG_PASSWORD}
    )
    assert refused.status_code == 404
    assert SESSION_COOKIE not in newcomer.cookies


def test_another_sites_invitation_for_the_same_email_stays_open(
    client: TestClient, make_client, world: World
) -> None:  # type: ignore[no-untyped-def]
    rosewood = invitation_path(invite(signed_in(client, world, "manager"), world))
    beech_manager = signed_in(make_client(), world, "outsider_manager")
    form = {"name": "Nia Newstart", "email": "nia@example.org", "role": "care_worker"}
    beech = beech_manager.post(f"/sites/{world.other_site.id}/staff/invite", data=form)
    assert beech.status_code == 200
    assert make_client().get(rosewood).status_code == 200
    assert make_client().get(invitation_path(beech)).status_code == 200


def test_a_new_invitation_at_the_same_site_replaces_the_open_one(
    client: TestClient, make_client, world: World
) -> None:  # type: ignore[no-untyped-def]
    first = invitation_path(invite(signed_in(client, world, "manager"), world))
    second = invitation_path(invite(client, world))
    assert make_client().get(first).status_code == 404
    assert make_client().get(second).status_code == 200


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"name": "   "}, "name"),
        ({"name": "n" * 10_000}, "name"),
        ({"email": "not an email"}, "email"),
        ({"email": ""}, "email"),
        ({"role": "overlord"}, "role"),
        ({"role": "admin"}, "role"),
        ({"role": "quality_lead"}, "role"),
    ],
)
def test_invitation_form_says_what_is_wrong_and_invites_nobody(
    client: TestClient, world: World, session: Session, overrides: dict[str, str], field: str
) -> None:
    response = invite(signed_in(client, world, "manager"), world, **overrides)
    assert_refused_beside(response, field)
    assert "/invitations/" not in response.text
    assert invitation_count(session) == 0


def test_nobody_is_invited_twice_with_the_email_of_an_existing_account(
    client: TestClient, world: World, session: Session
) -> None:
    response = invite(signed_in(client, world, "manager"), world, email=world.carer.email)
    assert_refused_beside(response, "email")
    assert "already has an account" in response.text
    assert invitation_count(session) == 0


def test_team_lead_cannot_invite(client: TestClient, world: World, session: Session) -> None:
    response = invite(signed_in(client, world, "lead"), world)
    assert response.status_code == 403
    assert invitation_count(session) == 0


def test_another_sites_manager_cannot_invite_here(
    client: TestClient, world: World, session: Session
) -> None:
    signed_in(client, world, "outsider_manager")
    assert client.get(f"/sites/{world.site.id}/staff/invite").status_code == 404
    assert invite(client, world).status_code == 404
    assert invitation_count(session) == 0


def test_admin_invites_a_quality_lead_for_the_whole_organisation(
    client: TestClient, make_client, world: World, session: Session
) -> None:  # type: ignore[no-untyped-def]
    signed_in(client, world, "admin")
    form = client.get("/staff/invite")
    assert ">Quality lead<" in form.text
    assert ">Care worker<" not in form.text
    shown = client.post(
        "/staff/invite",
        data={"name": "Pat Quality", "email": "pat@example.org", "role": "quality_lead"},
    )
    assert shown.status_code == 200
    invitation = fresh(session).exec(select(Invitation)).one()
    assert (invitation.site_id, invitation.role) == (None, Role.quality_lead)
    assert "Pat Quality" in client.get("/staff").text

    path = invitation_path(shown)
    newcomer = make_client()
    newcomer.post(path, data={"password": STRONG_PASSWORD, "confirm_password": STRONG_PASSWORD})
    sites = newcomer.get("/api/v1/sites").json()
    assert {site["name"] for site in sites} == {"Rosewood House", "Beech Court"}


def test_organisation_invitation_refuses_a_site_role(
    client: TestClient, world: World, session: Session
) -> None:
    response = signed_in(client, world, "admin").post(
        "/staff/invite", data={"name": "Pat", "email": "pat@example.org", "role": "care_worker"}
    )
    assert_refused_beside(response, "role")
    assert invitation_count(session) == 0
