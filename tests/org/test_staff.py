"""Staff of a site: who works there, changing their role, deactivating and reactivating them;
and the organisation's quality leads and admins."""

from __future__ import annotations

import pytest
from sqlmodel import Session, col, select
from starlette.testclient import TestClient

from app.auth.models import AuthSession, Membership, Role, User
from tests.org.helpers import assert_refused_beside, audit_actions, fresh, signed_in
from tests.support import PASSWORD, START, World


def role_at_site(session: Session, world: World, persona: str) -> Role:
    user_id = world.user(persona).id
    return (
        fresh(session)
        .exec(
            select(Membership.role).where(
                Membership.user_id == user_id, Membership.site_id == world.site.id
            )
        )
        .one()
    )


def is_active(session: Session, user: User) -> bool:
    return fresh(session).get_one(User, user.id).active


def staff_path(world: World, persona: str, action: str = "") -> str:
    path = f"/sites/{world.site.id}/staff/{world.user(persona).id}"
    return f"{path}/{action}" if action else path


def test_manager_sees_the_staff_of_their_site_with_roles(client: TestClient, world: World) -> None:
    page = signed_in(client, world, "manager").get(f"/sites/{world.site.id}/staff")
    assert page.status_code == 200
    for name in ("Alice Carer", "Colin Colleague", "Lee Lead", "Maya Manager (you)"):
        assert name in page.text
    assert "Team lead" in page.text
    assert "Oscar Outsider" not in page.text
    assert "Quinn Quality" not in page.text
    assert "No invitations are waiting to be used." in page.text


def test_admin_sees_the_staff_of_any_site(client: TestClient, world: World) -> None:
    page = signed_in(client, world, "admin").get(f"/sites/{world.other_site.id}/staff")
    assert page.status_code == 200
    assert "Oscar Outsider" in page.text
    assert "Alice Carer" not in page.text


@pytest.mark.parametrize("persona", ["carer", "lead"])
def test_care_worker_and_team_lead_cannot_see_or_change_staff(
    client: TestClient, world: World, session: Session, persona: str
) -> None:
    signed_in(client, world, persona)
    for path in (
        f"/sites/{world.site.id}/staff",
        f"/sites/{world.site.id}/staff/invite",
        staff_path(world, "colleague"),
    ):
        assert client.get(path).status_code == 403, path
    assert (
        client.post(staff_path(world, "colleague", "role"), data={"role": "manager"}).status_code
        == 403
    )
    assert client.post(staff_path(world, "colleague", "deactivate")).status_code == 403
    assert role_at_site(session, world, "colleague") == Role.care_worker
    assert is_active(session, world.colleague)


def test_another_sites_manager_cannot_see_or_change_staff_here(
    client: TestClient, world: World, session: Session
) -> None:
    signed_in(client, world, "outsider_manager")
    assert client.get(f"/sites/{world.site.id}/staff").status_code == 404
    assert client.get(staff_path(world, "carer")).status_code == 404
    assert client.post(staff_path(world, "carer", "deactivate")).status_code == 404
    assert is_active(session, world.carer)


def test_manager_makes_a_care_worker_a_team_lead(
    client: TestClient, world: World, session: Session
) -> None:
    signed_in(client, world, "manager")
    page = client.get(staff_path(world, "carer"))
    assert page.status_code == 200
    assert "Role at Rosewood House" in page.text
    assert ">Admin<" not in page.text
    response = client.post(staff_path(world, "carer", "role"), data={"role": "team_lead"})
    assert response.status_code == 303
    assert response.headers["location"].endswith(f"/sites/{world.site.id}/staff")
    assert role_at_site(session, world, "carer") == Role.team_lead
    assert ("change_role", "membership", "from=care_worker to=team_lead") in audit_actions(session)


@pytest.mark.parametrize(
    ("role", "message"),
    [
        ("boss", "Choose one of the options."),
        ("admin", "You cannot give this role here."),
        ("quality_lead", "You cannot give this role here."),
        ("", "Choose one of the options."),
    ],
)
def test_role_change_says_what_is_wrong_beside_the_field_and_changes_nothing(
    client: TestClient, world: World, session: Session, role: str, message: str
) -> None:
    signed_in(client, world, "manager")
    events = len(audit_actions(session))
    response = client.post(staff_path(world, "carer", "role"), data={"role": role})
    assert_refused_beside(response, "role")
    assert message in response.text
    assert role_at_site(session, world, "carer") == Role.care_worker
    assert len(audit_actions(session)) == events


def test_manager_cannot_change_their_own_role(
    client: TestClient, world: World, session: Session
) -> None:
    signed_in(client, world, "manager")
    page = client.get(staff_path(world, "manager"))
    assert "This is you." in page.text
    assert "Change role" not in page.text
    response = client.post(staff_path(world, "manager", "role"), data={"role": "care_worker"})
    assert response.status_code == 403
    assert role_at_site(session, world, "manager") == Role.manager


def test_manager_cannot_change_the_role_of_someone_from_another_site(
    client: TestClient, world: World, session: Session
) -> None:
    signed_in(client, world, "manager")
    path = f"/sites/{world.site.id}/staff/{world.outsider.id}/role"
    assert client.post(path, data={"role": "team_lead"}).status_code == 404
    outsider_role = (
        fresh(session)
        .exec(select(Membership.role).where(Membership.user_id == world.outsider.id))
        .one()
    )
    assert outsider_role == Role.care_worker


def test_deactivation_ends_the_persons_sessions_at_once(
    client: TestClient, make_client, world: World, session: Session
) -> None:  # type: ignore[no-untyped-def]
    carer = signed_in(make_client(), world, "carer")
    site_page = f"/sites/{world.site.id}"
    assert carer.get(site_page).status_code == 200
    signed_in(client, world, "manager")
    response = client.post(staff_path(world, "carer", "deactivate"))
    assert response.status_code == 303
    assert response.headers["location"].endswith(staff_path(world, "carer"))
    bounced = carer.get(site_page)
    assert bounced.status_code == 303
    assert "/login" in bounced.headers["location"]
    assert not is_active(session, world.carer)
    open_sessions = session.exec(
        select(AuthSession).where(
            AuthSession.user_id == world.carer.id, col(AuthSession.revoked_at).is_(None)
        )
    ).all()
    assert open_sessions == []
    again = make_client().post("/login", data={"email": world.carer.email, "password": PASSWORD})
    assert again.status_code == 401
    assert ("deactivate", "user", "") in audit_actions(session)
    assert "Deactivated: cannot sign in" in client.get(staff_path(world, "carer")).text


def test_reactivated_staff_can_sign_in_again(
    client: TestClient, make_client, world: World, session: Session
) -> None:  # type: ignore[no-untyped-def]
    signed_in(client, world, "manager")
    client.post(staff_path(world, "carer", "deactivate"))
    page = client.get(staff_path(world, "carer"))
    assert "Reactivate account" in page.text
    assert client.post(staff_path(world, "carer", "reactivate")).status_code == 303
    assert is_active(session, world.carer)
    back = make_client().post("/login", data={"email": world.carer.email, "password": PASSWORD})
    assert back.status_code == 303
    assert ("reactivate", "user", "") in audit_actions(session)


def test_nobody_deactivates_themselves(client: TestClient, world: World, session: Session) -> None:
    signed_in(client, world, "manager")
    assert client.post(staff_path(world, "manager", "deactivate")).status_code == 403
    assert is_active(session, world.manager)
    assert client.get(f"/sites/{world.site.id}").status_code == 200


def test_manager_cannot_deactivate_someone_who_also_works_at_another_site(
    client: TestClient, make_client, world: World, session: Session
) -> None:  # type: ignore[no-untyped-def]
    session.add(
        Membership(
            user_id=world.carer.id,
            organisation_id=world.organisation.id,
            site_id=world.other_site.id,
            role=Role.care_worker,
            created_at=START,
        )
    )
    session.commit()
    signed_in(client, world, "manager")
    page = client.get(staff_path(world, "carer"))
    assert "only an admin can deactivate" in page.text
    assert "Deactivate account" not in page.text
    assert client.post(staff_path(world, "carer", "deactivate")).status_code == 403
    assert is_active(session, world.carer)
    admin = signed_in(make_client(), world, "admin")
    assert admin.post(staff_path(world, "carer", "deactivate")).status_code == 303
    assert not is_active(session, world.carer)


def test_admin_sees_the_quality_leads_and_admins(client: TestClient, world: World) -> None:
    page = signed_in(client, world, "admin").get("/staff")
    assert page.status_code == 200
    assert "Quinn Quality" in page.text
    assert "Alex Admin (you)" in page.text
    assert "Alice Carer" not in page.text
    assert "Invite a quality lead or admin" in page.text


@pytest.mark.parametrize("persona", ["manager", "quality", "carer"])
def test_only_an_admin_manages_the_quality_leads_and_admins(
    client: TestClient, world: World, persona: str
) -> None:
    signed_in(client, world, persona)
    assert client.get("/staff").status_code == 403
    assert client.get("/staff/invite").status_code == 403
    invited = client.post(
        "/staff/invite", data={"name": "Q", "email": "q@example.org", "role": "admin"}
    )
    assert invited.status_code == 403
