"""Pages for sites, shift patterns and people supported (the JSON API is in ``app.org.api``).

Pages validate their own forms and, when something is wrong, show the form again (422) with the
message beside the field and nothing saved. Every read and write goes through the org services,
which check the actor's scope: another site's id is "not found".
"""

from __future__ import annotations

import re
from typing import Any

from fastapi import APIRouter, Request, Response
from sqlmodel import Session
from starlette.datastructures import URL, FormData

from app.auth.actor import Actor
from app.auth.dependencies import PageActorDep
from app.auth.permissions import OrgCapability, SiteCapability
from app.clock import ClockDep
from app.db import SessionDep
from app.errors import FieldError, Invalid
from app.forms import FormDep, form_page, submit_form, validate
from app.org import service, staff
from app.org.dependencies import (
    PersonToManageDep,
    SiteDep,
    SitePeopleDep,
    SiteShiftsDep,
    SiteToEditDep,
)
from app.org.models import PersonSupported, Shift, Site, SiteKind
from app.org.schemas import (
    TIME_ZONES,
    PersonInput,
    ShiftInput,
    ShiftPatternInput,
    SiteInput,
)
from app.web import render

router = APIRouter(tags=["org"], include_in_schema=False)

SITE_FIELDS = ("name", "kind", "time_zone")
PERSON_FIELDS = ("preferred_name", "room")
SHIFT_FIELDS = ("name", "starts_at", "ends_at")
SHIFT_FIELD = re.compile(r"shifts\.(\d+)\.(?:name|starts_at|ends_at)")
BLANK_SHIFT_ROWS = 3
MAX_SHIFTS = 12
STILL_SUPPORTED = "yes"


def form_fields(form: FormData, names: tuple[str, ...]) -> dict[str, str]:
    return {name: str(form.get(name, "")) for name in names}


# Sites


@router.get("/sites", name="org:sites")
def sites(request: Request, actor: PageActorDep, session: SessionDep) -> Response:
    context = {
        "sites": service.list_sites(session, actor=actor),
        "can_add": actor.can_org(OrgCapability.manage_sites),
    }
    return render(request, "org/sites.html", context)


@router.get("/sites/new", name="org:site_new")
def site_new(request: Request, actor: PageActorDep) -> Response:
    actor.require_org(OrgCapability.manage_sites)
    values = {"name": "", "kind": SiteKind.care_home.value, "time_zone": "Europe/London"}
    return _site_form(request, site=None, values=values)


@router.post("/sites", name="org:site_create")
def site_create(
    request: Request, actor: PageActorDep, form: FormDep, session: SessionDep, clock: ClockDep
) -> Response:
    actor.require_org(OrgCapability.manage_sites)
    values = form_fields(form, SITE_FIELDS)

    def save() -> URL:
        data = validate(SiteInput, values)
        site = service.create_site(session, actor=actor, data=data, now=clock.now())
        return request.url_for("org:site", site_id=site.id)

    return submit_form(
        session,
        save,
        show_again=lambda error: _site_form(request, site=None, values=values, error=error),
    )


@router.get("/sites/{site_id}", name="org:site")
def site_overview(
    request: Request, actor: PageActorDep, site: SiteDep, session: SessionDep, clock: ClockDep
) -> Response:
    context = {
        "site": site,
        "access": service.site_access(actor, site.id),
        "shifts": service.list_shifts(session, actor=actor, site_id=site.id),
        "on_shift": service.current_shift(session, site=site, now=clock.now()),
        "people_count": len(service.list_people(session, actor=actor, site_id=site.id)),
        "staff_count": staff.count_site_staff(session, actor=actor, site_id=site.id),
    }
    return render(request, "org/site.html", context)


@router.get("/sites/{site_id}/edit", name="org:site_edit")
def site_edit(request: Request, actor: PageActorDep, site: SiteToEditDep) -> Response:
    values = {"name": site.name, "kind": site.kind.value, "time_zone": site.time_zone}
    return _site_form(request, site=site, values=values)


@router.post("/sites/{site_id}/edit", name="org:site_update")
def site_update(
    request: Request,
    actor: PageActorDep,
    site: SiteToEditDep,
    form: FormDep,
    session: SessionDep,
    clock: ClockDep,
) -> Response:
    values = form_fields(form, SITE_FIELDS)

    def save() -> URL:
        data = validate(SiteInput, values)
        service.update_site(session, actor=actor, site=site, data=data, now=clock.now())
        return request.url_for("org:site", site_id=site.id)

    return submit_form(
        session,
        save,
        show_again=lambda error: _site_form(request, site=site, values=values, error=error),
    )


def _site_form(
    request: Request, *, site: Site | None, values: dict[str, str], error: Invalid | None = None
) -> Response:
    context = {
        "site": site,
        "values": values,
        "kinds": [(kind.value, kind.label) for kind in SiteKind],
        "time_zones": [("", "Choose a time zone")] + [(zone, zone) for zone in TIME_ZONES],
    }
    return form_page(request, "org/site_form.html", context, errors=error)


# Shift pattern


@router.get("/sites/{site_id}/shifts", name="org:shifts")
def shifts(request: Request, actor: PageActorDep, site: SiteDep, session: SessionDep) -> Response:
    saved = service.list_shifts(session, actor=actor, site_id=site.id)
    rows = [_shift_row(shift) for shift in saved]
    blanks = max(0, min(BLANK_SHIFT_ROWS, MAX_SHIFTS - len(rows)))
    rows += [dict.fromkeys(SHIFT_FIELDS, "") for _ in range(blanks)]
    return _shifts_page(request, session, actor=actor, site=site, rows=rows)


@router.post("/sites/{site_id}/shifts", name="org:shifts_update")
def shifts_update(
    request: Request,
    actor: PageActorDep,
    site: SiteShiftsDep,
    form: FormDep,
    session: SessionDep,
    clock: ClockDep,
) -> Response:
    rows = _posted_shift_rows(form)

    def save() -> URL:
        pattern = _read_pattern(rows)
        service.set_shift_pattern(session, actor=actor, site=site, data=pattern, now=clock.now())
        return request.url_for("org:shifts", site_id=site.id)

    return submit_form(
        session,
        save,
        show_again=lambda error: _shifts_page(
            request, session, actor=actor, site=site, rows=rows, error=error
        ),
    )


def _shifts_page(
    request: Request,
    session: Session,
    *,
    actor: Actor,
    site: Site,
    rows: list[dict[str, str]],
    error: Invalid | None = None,
) -> Response:
    """Everyone at the site reads the pattern; only those who manage it get the form."""
    context = {
        "site": site,
        "shifts": service.list_shifts(session, actor=actor, site_id=site.id),
        "rows": rows if actor.can(SiteCapability.manage_shifts, site.id) else None,
    }
    return form_page(request, "org/shifts.html", context, errors=error)


def _shift_row(shift: Shift) -> dict[str, str]:
    return {
        "name": shift.name,
        "starts_at": shift.starts_at.strftime("%H:%M"),
        "ends_at": shift.ends_at.strftime("%H:%M"),
    }


def _posted_shift_rows(form: FormData) -> list[dict[str, str]]:
    """The rows as posted, in order and numbered from 0, so errors line up with the page."""
    indices = sorted({int(match[1]) for key in form if (match := SHIFT_FIELD.fullmatch(key))})
    return [
        {field: str(form.get(f"shifts.{index}.{field}", "")).strip() for field in SHIFT_FIELDS}
        for index in indices
    ]


def _read_pattern(rows: list[dict[str, str]]) -> ShiftPatternInput:
    """Rows left fully blank are dropped; every error names the row and field it is about."""
    filled = [(index, row) for index, row in enumerate(rows) if any(row.values())]
    errors: list[FieldError] = []
    for index, row in filled:
        try:
            validate(ShiftInput, row)
        except Invalid as error:
            errors += [
                # A shift-wide error (it ends when it starts) is shown beside its end time.
                FieldError(f"shifts.{index}.{_row_field(found.field)}", found.reason)
                for found in error.errors
            ]
    errors += _repeated_names(filled)
    if not filled:
        errors.append(FieldError("shifts", "Add at least one shift."))
    if len(filled) > MAX_SHIFTS:
        errors.append(FieldError("shifts", f"Use at most {MAX_SHIFTS} shifts."))
    if errors:
        raise Invalid(errors)
    return validate(ShiftPatternInput, {"shifts": [row for _, row in filled]})


def _row_field(field: str) -> str:
    return field if field in SHIFT_FIELDS else "ends_at"


def _repeated_names(filled: list[tuple[int, dict[str, str]]]) -> list[FieldError]:
    seen: set[str] = set()
    errors: list[FieldError] = []
    for index, row in filled:
        name = row["name"].casefold()
        if name and name in seen:
            errors.append(FieldError(f"shifts.{index}.name", "Give each shift a different name."))
        seen.add(name)
    return errors


# People supported


@router.get("/sites/{site_id}/people", name="org:people")
def people(request: Request, actor: PageActorDep, site: SiteDep, session: SessionDep) -> Response:
    access = service.site_access(actor, site.id)
    everyone = service.list_people(
        session, actor=actor, site_id=site.id, include_inactive=access.manage_people
    )
    context = {
        "site": site,
        "access": access,
        "people": [person for person in everyone if person.active],
        "moved_out": [person for person in everyone if not person.active],
    }
    return render(request, "org/people.html", context)


@router.get("/sites/{site_id}/people/new", name="org:person_new")
def person_new(request: Request, actor: PageActorDep, site: SitePeopleDep) -> Response:
    values = {"preferred_name": "", "room": "", "active": True}
    return _person_form(request, site=site, person=None, values=values)


@router.post("/sites/{site_id}/people", name="org:person_create")
def person_create(
    request: Request,
    actor: PageActorDep,
    site: SitePeopleDep,
    form: FormDep,
    session: SessionDep,
    clock: ClockDep,
) -> Response:
    values: dict[str, Any] = {**form_fields(form, PERSON_FIELDS), "active": True}

    def save() -> URL:
        data = validate(PersonInput, values)
        service.add_person(session, actor=actor, site=site, data=data, now=clock.now())
        return request.url_for("org:people", site_id=site.id)

    return submit_form(
        session,
        save,
        show_again=lambda error: _person_form(
            request, site=site, person=None, values=values, error=error
        ),
    )


@router.get("/people/{person_id}/edit", name="org:person_edit")
def person_edit(
    request: Request, actor: PageActorDep, person: PersonToManageDep, session: SessionDep
) -> Response:
    site = service.get_site(session, actor=actor, site_id=person.site_id)
    values = {"preferred_name": person.preferred_name, "room": person.room, "active": person.active}
    return _person_form(request, site=site, person=person, values=values)


@router.post("/people/{person_id}/edit", name="org:person_update")
def person_update(
    request: Request,
    actor: PageActorDep,
    person: PersonToManageDep,
    form: FormDep,
    session: SessionDep,
    clock: ClockDep,
) -> Response:
    site = service.get_site(session, actor=actor, site_id=person.site_id)
    values: dict[str, Any] = {
        **form_fields(form, PERSON_FIELDS),
        "active": form.get("active") == STILL_SUPPORTED,
    }

    def save() -> URL:
        data = validate(PersonInput, values)
        service.update_person(session, actor=actor, person=person, data=data, now=clock.now())
        return request.url_for("org:people", site_id=site.id)

    return submit_form(
        session,
        save,
        show_again=lambda error: _person_form(
            request, site=site, person=person, values=values, error=error
        ),
    )


def _person_form(
    request: Request,
    *,
    site: Site,
    person: PersonSupported | None,
    values: dict[str, Any],
    error: Invalid | None = None,
) -> Response:
    context = {
        "site": site,
        "person": person,
        "values": values,
        "still_supported": STILL_SUPPORTED,
    }
    return form_page(request, "org/person_form.html", context, errors=error)
