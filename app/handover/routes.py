"""Pages for handovers: a site's recent handovers, and the page a handover runs on.

The lead runs the whole handover on one page. Each section's small form posts and comes back to
the same section (an anchor); when something is wrong the page comes back (422) with the message
beside the field and nothing saved. Several forms share the page, so each form's fields carry
its own prefix (``person-<id>.status``, ``prompt-<id>.note``, ``actions.owner_id``): their ids
stay unique and an error lands beside the right field.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Any
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Depends, Request, Response
from fastapi.responses import RedirectResponse
from sqlmodel import Session
from starlette.datastructures import URL, FormData

from app.action.schemas import ActionCreate
from app.auth import service as auth_service
from app.auth.actor import Actor
from app.auth.dependencies import PageActorDep
from app.auth.permissions import SiteCapability
from app.clock import ClockDep
from app.db import SessionDep
from app.errors import Invalid
from app.forms import FormDep, form_page, submit_form, validate
from app.handover import recording, service, shift_change, view
from app.handover.dependencies import HandoverDep, SiteToLeadDep
from app.handover.models import Handover, PersonStatus
from app.handover.schemas import (
    AcknowledgementCreate,
    AmendmentCreate,
    AttendanceCreate,
    HandoverStart,
    PersonUpdate,
    PromptResponseCreate,
)
from app.org import service as org_service
from app.org.dependencies import SiteDep
from app.org.models import Site
from app.schemas import Offset
from app.web import render

router = APIRouter(tags=["handover"], include_in_schema=False)


def new_client_id() -> str:
    """A fresh id for a form's hidden ``id`` field: a double-tapped submit sends it twice."""
    return str(uuid.uuid4())


TEMPLATE_NAMES = {"new_client_id": new_client_id}

RECENT = 20
RELOAD = "This form is out of date. Reload the page and try again."
START_FIELDS = ("id", "outgoing.name", "outgoing.date", "incoming.name", "incoming.date")
START_MESSAGES = {
    "id": RELOAD,
    "outgoing.name": "Choose the shift that is handing over.",
    "incoming.name": "Choose the shift that is taking over.",
}


@router.get("/sites/{site_id}/handovers", name="handover:list")
def handover_list(
    request: Request,
    actor: PageActorDep,
    site: SiteDep,
    session: SessionDep,
    clock: ClockDep,
    offset: Offset = 0,
) -> Response:
    values = {"id": new_client_id()}
    return _render_list(
        request, session, actor=actor, site=site, now=clock.now(), values=values, offset=offset
    )


@router.post("/sites/{site_id}/handovers", name="handover:start")
def start(
    request: Request,
    actor: PageActorDep,
    site: SiteToLeadDep,
    form: FormDep,
    session: SessionDep,
    clock: ClockDep,
) -> Response:
    values = {name: str(form.get(name, "")).strip() for name in START_FIELDS}

    def save() -> URL:
        data = validate(
            HandoverStart,
            {"id": values["id"], "site_id": site.id, **_chosen_shifts(values)},
            messages=START_MESSAGES,
        )
        try:
            saved = service.start_handover(session, actor=actor, data=data, now=clock.now())
        except service.AlreadyStarted as started:
            return request.url_for("handover:detail", handover_id=started.handover_id)
        return request.url_for("handover:detail", handover_id=saved.record.id)

    return submit_form(
        session,
        save,
        show_again=lambda error: _render_list(
            request, session, actor=actor, site=site, now=clock.now(), values=values, error=error
        ),
    )


def _chosen_shifts(values: dict[str, str]) -> dict[str, Any]:
    """Shifts the lead chose; none chosen means the shift change happening now."""
    chosen: dict[str, Any] = {}
    for side in ("outgoing", "incoming"):
        name, day = values[f"{side}.name"], values[f"{side}.date"]
        if name or day:
            chosen[side] = {"name": name, "date": day or None}
    return chosen


@dataclass(frozen=True)
class HandoverPage:
    """The page a handover runs on, as each of its forms needs it: shown again with what went
    wrong, or returned to at the form's section once its change is saved."""

    request: Request
    session: Session
    actor: Actor
    handover: Handover
    now: datetime

    def render(
        self, *, values: dict[str, str] | None = None, errors: dict[str, str] | None = None
    ) -> Response:
        found = view.view_handover(
            self.session, actor=self.actor, handover=self.handover, now=self.now
        )
        context = {
            "view": found,
            "statuses": [(status.value, status.label) for status in PersonStatus],
            "options": _options(found),
            "values": values or {},
            # the sections whose form is shown open: those with an error
            "opened": {field.rpartition(".")[0] for field in errors or {}},
        }
        return form_page(self.request, "handover/detail.html", context, errors=errors)

    def save(self, section: str, values: dict[str, str], save: Callable[[], object]) -> Response:
        """Run one section's ``save``; its fields, values and errors are named ``<section>.<field>``."""

        def saved() -> Response:
            save()
            return self.back_to(section)

        return submit_form(
            self.session,
            saved,
            show_again=lambda error: self.render(
                values=_with_prefix(values, section), errors=_with_prefix(error.by_field(), section)
            ),
        )

    def back_to(self, section: str) -> Response:
        url = self.request.url_for("handover:detail", handover_id=self.handover.id)
        return RedirectResponse(f"{url}#{section}", status_code=303)


def _handover_page(
    request: Request,
    actor: PageActorDep,
    handover: HandoverDep,
    session: SessionDep,
    clock: ClockDep,
) -> HandoverPage:
    return HandoverPage(request, session, actor, handover, clock.now())


PageDep = Annotated[HandoverPage, Depends(_handover_page)]


@router.get("/handovers/{handover_id}", name="handover:detail")
def handover_detail(page: PageDep) -> Response:
    return page.render()


@router.post("/handovers/{handover_id}/people/{person_id}", name="handover:person")
def person_update(page: PageDep, person_id: uuid.UUID, form: FormDep) -> Response:
    section = f"person-{person_id}"
    values = _fields(form, section, ("status", "update", "risks"))

    def save() -> None:
        data = validate(
            PersonUpdate, values, messages={"status": "Choose stable, watch or unwell."}
        )
        recording.record_person_update(
            page.session,
            actor=page.actor,
            handover=page.handover,
            person_id=person_id,
            data=data,
            now=page.now,
        )

    return page.save(section, values, save)


@router.post("/handovers/{handover_id}/prompts/{prompt_id}", name="handover:prompt")
def prompt_response(page: PageDep, prompt_id: uuid.UUID, form: FormDep) -> Response:
    section = f"prompt-{prompt_id}"
    values = _fields(form, section, ("id", "discussed", "note"))

    def save() -> None:
        data = validate(
            PromptResponseCreate,
            {**values, "prompt_id": prompt_id},
            messages={"id": RELOAD, "discussed": "Choose Discussed or Not discussed."},
        )
        recording.record_prompt_response(
            page.session, actor=page.actor, handover=page.handover, data=data, now=page.now
        )

    return page.save(section, values, save)


@router.post("/handovers/{handover_id}/attendance", name="handover:attend")
def attend(page: PageDep, form: FormDep) -> Response:
    """Who is here, ticked in one list and saved at once: the ticked are recorded as attending,
    the unticked no longer are (the lead who runs it always is)."""
    chosen = [str(value) for value in form.getlist("attendance.user_id")]

    def save() -> None:
        user_ids = [
            validate(AttendanceCreate, {"user_id": value}, messages={"user_id": RELOAD}).user_id
            for value in chosen
        ]
        recording.set_attendance(
            page.session, actor=page.actor, handover=page.handover, user_ids=user_ids, now=page.now
        )

    return page.save("attendance", {}, save)


@router.post("/handovers/{handover_id}/actions", name="handover:action")
def add_action(page: PageDep, form: FormDep) -> Response:
    values = _fields(form, "actions", ("id", "description", "owner_id", "due_on", "person_id"))

    def save() -> None:
        optional = {name: values[name] or None for name in ("due_on", "person_id")}
        data = validate(
            ActionCreate,
            {**values, **optional},
            messages={"id": RELOAD, "owner_id": "Choose who will do it."},
        )
        recording.add_handover_action(
            page.session, actor=page.actor, handover=page.handover, data=data, now=page.now
        )

    return page.save("actions", values, save)


@router.post("/handovers/{handover_id}/complete", name="handover:complete")
def complete(page: PageDep, form: FormDep) -> Response:
    """Complete the handover. While someone supported has not been handed over yet, the lead
    is first shown who, and completes only on ``confirm=yes`` from that page."""
    found = view.view_handover(page.session, actor=page.actor, handover=page.handover, now=page.now)
    missing = [row.person for row in found.people if row.entry is None]
    if found.can_run and missing and form.get("confirm") != "yes":
        context = {"view": found, "missing": missing}
        return render(page.request, "handover/complete_confirm.html", context)
    service.complete_handover(page.session, actor=page.actor, handover=page.handover, now=page.now)
    return page.back_to("acknowledgements")


@router.post("/handovers/{handover_id}/amendments", name="handover:amend")
def amend(page: PageDep, form: FormDep) -> Response:
    values = _fields(form, "amendments", ("id", "change", "reason"))

    def save() -> None:
        data = validate(AmendmentCreate, values, messages={"id": RELOAD})
        service.amend_handover(
            page.session, actor=page.actor, handover=page.handover, data=data, now=page.now
        )

    return page.save("amendments", values, save)


@router.post("/handovers/{handover_id}/acknowledgements", name="handover:acknowledge")
def acknowledge(page: PageDep, form: FormDep) -> Response:
    """A staff member's "I've received this handover"; ``return_to=home`` goes back home."""

    def save() -> Response:
        data = validate(AcknowledgementCreate, {"id": form.get("id")}, messages={"id": RELOAD})
        service.acknowledge_handover(
            page.session, actor=page.actor, handover=page.handover, data=data, now=page.now
        )
        if form.get("return_to") == "home":
            home = page.request.url_for("home:home")
            return RedirectResponse(f"{home}#handover-for-home", status_code=303)
        return page.back_to("acknowledge")

    return submit_form(
        page.session, save, show_again=lambda error: page.render(errors=error.by_field())
    )


def _render_list(
    request: Request,
    session: Session,
    *,
    actor: Actor,
    site: Site,
    now: datetime,
    values: dict[str, str],
    offset: int = 0,
    error: Invalid | None = None,
) -> Response:
    where = service.HandoverFilter(site_id=site.id)
    found = service.list_handovers(
        session, actor=actor, where=where, limit=RECENT + 1, offset=offset
    )
    change = shift_change.current_change(session, site=site, now=now)
    return form_page(
        request,
        "handover/list.html",
        {
            "site": site,
            "zone": ZoneInfo(site.time_zone),
            "handovers": found[:RECENT],
            "next_offset": offset + RECENT if len(found) > RECENT else None,
            "offset": offset,
            "names": auth_service.user_names(session, (h.lead_id for h in found)),
            "change": change,
            "current": next((h for h in found if change and _is_for(h, change)), None),
            "can_start": actor.can(SiteCapability.lead_shift, site.id),
            "shift_names": [
                (shift.name, shift.name)
                for shift in org_service.list_shifts(session, actor=actor, site_id=site.id)
            ],
            "values": values,
        },
        errors=error,
    )


def _is_for(handover: Handover, change: shift_change.ShiftChange) -> bool:
    shifts = (handover.outgoing_shift, handover.outgoing_date)
    shifts += (handover.incoming_shift, handover.incoming_date)
    return shifts == (
        change.outgoing.name,
        change.outgoing.start_date,
        change.incoming.name,
        change.incoming.start_date,
    )


def _options(found: view.HandoverView) -> dict[str, list[tuple[str, str]]]:
    """(value, label) pairs for the page's choices of staff and people."""
    team = [(str(m.user_id), f"{m.name} ({m.role.label})") for m in found.team]
    lead = str(found.handover.lead_id)
    return {
        "attending": [str(row.user_id) for row in found.attendance],
        "others": [pair for pair in team if pair[0] != lead],
        "owners": team,
        "people": [(str(row.person.id), row.person.preferred_name) for row in found.people],
    }


def _fields(form: FormData, section: str, names: tuple[str, ...]) -> dict[str, str]:
    return {name: str(form.get(f"{section}.{name}", "")) for name in names}


def _with_prefix(found: dict[str, str], section: str) -> dict[str, str]:
    return {f"{section}.{name}": value for name, value in found.items()}
