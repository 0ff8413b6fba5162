"""Pages for the staff of a site and for organisation-wide roles: who works where, in which
role, and the invitations that bring new staff in. Managers look after their own site's staff;
admins also invite quality leads and admins."""

from __future__ import annotations

import uuid
from datetime import datetime
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Request, Response
from sqlmodel import Session
from starlette.datastructures import URL, FormData

from app.auth import invitations
from app.auth.account import sign_ins_ended
from app.auth.actor import Actor
from app.auth.dependencies import PageActorDep, SettingsDep
from app.auth.permissions import OrgCapability
from app.clock import ClockDep
from app.config import Settings
from app.db import SessionDep
from app.errors import Invalid
from app.forms import FormDep, form_page, submit_form, validate
from app.org import staff
from app.org.dependencies import SiteStaffDep, StaffMemberDep
from app.org.models import Site
from app.org.routes import form_fields
from app.web import redirect_to, render

router = APIRouter(tags=["staff"], include_in_schema=False)

INVITATION_FIELDS = ("name", "email", "role")
# Organisations have no time zone of their own; organisation-wide dates are shown in UK time.
ORGANISATION_ZONE = ZoneInfo("Europe/London")


# Staff of a site


@router.get("/sites/{site_id}/staff", name="org:staff")
def site_staff(
    request: Request, actor: PageActorDep, site: SiteStaffDep, session: SessionDep, clock: ClockDep
) -> Response:
    context = {
        "site": site,
        "members": staff.list_site_staff(session, actor=actor, site_id=site.id),
        "invitations": invitations.list_open_invitations(
            session, actor=actor, site_id=site.id, now=clock.now()
        ),
        "zone": ZoneInfo(site.time_zone),
    }
    return render(request, "org/staff.html", context)


@router.get("/sites/{site_id}/staff/invite", name="org:invite")
def invite(request: Request, actor: PageActorDep, site: SiteStaffDep) -> Response:
    return _invitation_form(request, actor=actor, site=site, values={})


@router.post("/sites/{site_id}/staff/invite", name="org:invite_create")
def invite_create(
    request: Request,
    actor: PageActorDep,
    site: SiteStaffDep,
    form: FormDep,
    session: SessionDep,
    clock: ClockDep,
    settings: SettingsDep,
) -> Response:
    return _invite(
        request, session, actor=actor, site=site, form=form, now=clock.now(), settings=settings
    )


@router.get("/sites/{site_id}/staff/{user_id}", name="org:staff_member")
def staff_member(
    request: Request,
    actor: PageActorDep,
    site: SiteStaffDep,
    member: StaffMemberDep,
    session: SessionDep,
) -> Response:
    return _staff_member_page(request, session, actor=actor, site=site, member=member)


@router.post("/sites/{site_id}/staff/{user_id}/role", name="org:staff_role")
def staff_role(
    request: Request,
    actor: PageActorDep,
    site: SiteStaffDep,
    member: StaffMemberDep,
    form: FormDep,
    session: SessionDep,
    clock: ClockDep,
) -> Response:
    values = form_fields(form, ("role",))

    def save() -> URL:
        change = validate(staff.RoleChange, values)
        staff.change_staff_role(
            session,
            actor=actor,
            site_id=site.id,
            user_id=member.user_id,
            role=change.role,
            now=clock.now(),
        )
        return request.url_for("org:staff", site_id=site.id)

    return submit_form(
        session,
        save,
        show_again=lambda error: _staff_member_page(
            request,
            session,
            actor=actor,
            site=site,
            member=member,
            role=values["role"],
            error=error,
        ),
    )


@router.post("/sites/{site_id}/staff/{user_id}/deactivate", name="org:staff_deactivate")
def staff_deactivate(
    request: Request,
    site_id: uuid.UUID,
    user_id: uuid.UUID,
    actor: PageActorDep,
    session: SessionDep,
    clock: ClockDep,
) -> Response:
    staff.deactivate_staff(session, actor=actor, site_id=site_id, user_id=user_id, now=clock.now())
    sign_ins_ended(request, session, user_id)
    return redirect_to(request, "org:staff_member", site_id=site_id, user_id=user_id)


@router.post("/sites/{site_id}/staff/{user_id}/reactivate", name="org:staff_reactivate")
def staff_reactivate(
    request: Request,
    site_id: uuid.UUID,
    user_id: uuid.UUID,
    actor: PageActorDep,
    session: SessionDep,
    clock: ClockDep,
) -> Response:
    staff.reactivate_staff(session, actor=actor, site_id=site_id, user_id=user_id, now=clock.now())
    return redirect_to(request, "org:staff_member", site_id=site_id, user_id=user_id)


def _staff_member_page(
    request: Request,
    session: Session,
    *,
    actor: Actor,
    site: Site,
    member: staff.StaffMember,
    role: str | None = None,
    error: Invalid | None = None,
) -> Response:
    context = {
        "site": site,
        "member": member,
        "is_self": member.user_id == actor.user_id,
        "roles": _role_options(actor, site.id),
        "role": role if role is not None else member.role.value,
        "may_change_account": staff.may_change_account(
            session, actor=actor, user_id=member.user_id
        ),
    }
    return form_page(request, "org/staff_member.html", context, errors=error)


# Quality leads and admins, across the organisation


@router.get("/staff", name="org:organisation_staff")
def organisation_staff(
    request: Request, actor: PageActorDep, session: SessionDep, clock: ClockDep
) -> Response:
    context = {
        "members": staff.list_organisation_staff(session, actor=actor),
        "invitations": invitations.list_open_invitations(
            session, actor=actor, site_id=None, now=clock.now()
        ),
        "zone": ORGANISATION_ZONE,
    }
    return render(request, "org/organisation_staff.html", context)


@router.get("/staff/invite", name="org:organisation_invite")
def organisation_invite(request: Request, actor: PageActorDep) -> Response:
    actor.require_org(OrgCapability.invite_organisation_roles)
    return _invitation_form(request, actor=actor, site=None, values={})


@router.post("/staff/invite", name="org:organisation_invite_create")
def organisation_invite_create(
    request: Request,
    actor: PageActorDep,
    form: FormDep,
    session: SessionDep,
    clock: ClockDep,
    settings: SettingsDep,
) -> Response:
    actor.require_org(OrgCapability.invite_organisation_roles)
    return _invite(
        request, session, actor=actor, site=None, form=form, now=clock.now(), settings=settings
    )


def _invite(
    request: Request,
    session: Session,
    *,
    actor: Actor,
    site: Site | None,
    form: FormData,
    now: datetime,
    settings: Settings,
) -> Response:
    """Make the invitation and show its link once: only a hash of the token is kept."""
    values = form_fields(form, INVITATION_FIELDS)

    def save() -> Response:
        data = validate(staff.InvitationInput, values)
        new = invitations.invite_staff(
            session,
            actor=actor,
            email=data.email,
            name=data.name,
            site_id=site.id if site else None,
            role=data.role,
            now=now,
            settings=settings,
        )
        context = {
            "site": site,
            "invitation": new.invitation,
            "link": str(request.url_for("auth:invitation", token=new.token)),
            "days": settings.invitation_days,
        }
        response = render(request, "org/invitation_link.html", context)
        response.headers["Cache-Control"] = "no-store"
        return response

    return submit_form(
        session,
        save,
        show_again=lambda error: _invitation_form(
            request, actor=actor, site=site, values=values, error=error
        ),
    )


def _invitation_form(
    request: Request,
    *,
    actor: Actor,
    site: Site | None,
    values: dict[str, str],
    error: Invalid | None = None,
) -> Response:
    context = {
        "site": site,
        "values": values,
        "roles": _role_options(actor, site.id if site else None),
    }
    return form_page(request, "org/invite.html", context, errors=error)


def _role_options(actor: Actor, site_id: uuid.UUID | None) -> list[tuple[str, str]]:
    return [(role.value, role.label) for role in invitations.grantable_roles(actor, site_id)]
