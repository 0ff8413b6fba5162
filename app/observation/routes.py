"""Pages for walk-round observations.

A manager picks a theme (when the site has more than one active), rates each behaviour as seen,
records whether staff could explain why, the feedback given there and then, follow-up actions
and the date of the next observation, all on one page. The staff member observed reads the
feedback under "my feedback" and adds a reflection.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Request, Response
from sqlmodel import Session
from starlette.datastructures import URL, FormData

from app.action import service as action_service
from app.auth import service as auth_service
from app.auth.actor import Actor
from app.auth.dependencies import PageActorDep
from app.auth.permissions import SiteCapability
from app.clock import ClockDep
from app.db import SessionDep
from app.errors import Invalid
from app.forms import FormDep, form_page, local_time, submit_form, validate
from app.observation import feedback, service
from app.observation.dependencies import ObservationDep, OverseenSiteDep, SiteToObserveDep
from app.observation.models import CouldExplain, Observation
from app.observation.schemas import ObservationCreate, ReflectionInput, VoidRequest
from app.org import service as org_service
from app.org import staff as org_staff
from app.org.models import Site
from app.theme import service as theme_service
from app.web import render

router = APIRouter(tags=["observation"], include_in_schema=False)

ACTION_ROWS = 2
NO_CHANCE = "none"
RATING_CHOICES = [("2", "Seen"), ("1", "In part"), ("0", "Not seen"), (NO_CHANCE, "No chance")]
FORM_MESSAGES = {
    "theme_id": "Choose a learning theme.",
    "observed_user_id": "Choose someone who works at this site.",
    "location": "Use at most 80 characters for where it was.",
    "context_notes": "Use at most 1000 characters for what was happening.",
    "went_well": "Use at most 1000 characters for what went well.",
    "next_step": "Use at most 500 characters for the next step.",
    "follow_up_on": "Enter the follow-up date like 2026-12-12, or leave it blank.",
    **{f"actions.{row}.description": "Say what needs doing." for row in range(ACTION_ROWS)},
    **{f"actions.{row}.owner_id": "Choose who will do it." for row in range(ACTION_ROWS)},
    **{
        f"actions.{row}.due_on": "Enter the due date like 2026-12-12." for row in range(ACTION_ROWS)
    },
}


@router.get("/sites/{site_id}/observations/new", name="observation:new")
def new_observation(
    request: Request,
    actor: PageActorDep,
    site: SiteToObserveDep,
    session: SessionDep,
    clock: ClockDep,
    theme_id: str = "",
    observed_user_id: str = "",
) -> Response:
    values: dict[str, Any] = {
        "id": str(uuid.uuid4()),
        "theme_id": theme_id,
        "observed_user_id": observed_user_id,
        "could_explain": CouldExplain.not_asked.value,
        **{f"actions.{row}.id": str(uuid.uuid4()) for row in range(ACTION_ROWS)},
    }
    return _render_form(request, session, actor=actor, site=site, values=values, now=clock.now())


@router.post("/sites/{site_id}/observations", name="observation:create")
def create_observation(
    request: Request,
    actor: PageActorDep,
    site: SiteToObserveDep,
    form: FormDep,
    session: SessionDep,
    clock: ClockDep,
) -> Response:
    rows = _filled_rows(form)

    def save() -> URL:
        data = validate(
            ObservationCreate, _data_from_form(form, site=site, rows=rows), messages=FORM_MESSAGES
        )
        saved = service.record_observation(session, actor=actor, data=data, now=clock.now())
        target = request.url_for("observation:detail", observation_id=saved.record.id)
        return target.include_query_params(saved="1")

    return submit_form(
        session,
        save,
        show_again=lambda error: _render_form(
            request,
            session,
            actor=actor,
            site=site,
            values={key: form.get(key) for key in form},
            errors=_errors_by_row(error, rows),
            now=clock.now(),
        ),
    )


@router.get("/sites/{site_id}/observations", name="observation:list")
def list_observations(
    request: Request, actor: PageActorDep, site: OverseenSiteDep, session: SessionDep
) -> Response:
    observations = service.list_observations(
        session, actor=actor, where=service.ObservationFilter(site_id=site.id), limit=50
    )
    people = {o.observer_id for o in observations} | {o.observed_user_id for o in observations}
    return render(
        request,
        "observation/list.html",
        {
            "site": site,
            "observations": observations,
            "names": auth_service.user_names(session, (p for p in people if p)),
            "titles": theme_service.theme_titles(
                session, theme_ids={o.theme_id for o in observations}
            ),
            "zone": ZoneInfo(site.time_zone),
            "can_observe": actor.can(SiteCapability.observe_practice, site.id),
        },
    )


@router.get("/observations/{observation_id}", name="observation:detail")
def observation_detail(
    request: Request,
    actor: PageActorDep,
    observation: ObservationDep,
    session: SessionDep,
    saved: bool = False,
) -> Response:
    return _render_detail(request, session, actor=actor, observation=observation, saved=saved)


@router.post("/observations/{observation_id}/reflection", name="observation:reflect")
def reflect(
    request: Request,
    actor: PageActorDep,
    observation: ObservationDep,
    form: FormDep,
    session: SessionDep,
    clock: ClockDep,
) -> Response:
    def save() -> URL:
        data = validate(
            ReflectionInput,
            {"reflection": form.get("reflection", "")},
            messages={"reflection": "Write your reflection in at most 1000 characters."},
            empty={"reflection": "Write your reflection."},
        )
        service.add_reflection(
            session,
            actor=actor,
            observation=observation,
            reflection=data.reflection,
            now=clock.now(),
        )
        return request.url_for("observation:detail", observation_id=observation.id)

    return submit_form(
        session,
        save,
        show_again=lambda error: _render_detail(
            request,
            session,
            actor=actor,
            observation=observation,
            values={"reflection": form.get("reflection", "")},
            error=error,
        ),
    )


@router.post("/observations/{observation_id}/void", name="observation:void")
def void(
    request: Request,
    actor: PageActorDep,
    observation: ObservationDep,
    form: FormDep,
    session: SessionDep,
    clock: ClockDep,
) -> Response:
    def save() -> URL:
        data = validate(
            VoidRequest,
            {"reason": form.get("reason", "")},
            messages={"reason": "Say why this observation is void, in at most 500 characters."},
            empty={"reason": "Say why this observation is void."},
        )
        service.void_observation(
            session, actor=actor, observation=observation, reason=data.reason, now=clock.now()
        )
        return request.url_for("observation:detail", observation_id=observation.id)

    return submit_form(
        session,
        save,
        show_again=lambda error: _render_detail(
            request, session, actor=actor, observation=observation, error=error
        ),
    )


@router.get("/my/feedback", name="observation:mine")
def my_feedback(request: Request, actor: PageActorDep, session: SessionDep) -> Response:
    return render(
        request,
        "observation/mine.html",
        {"feedback": feedback.feedback_for_home(session, actor=actor)},
    )


def _render_form(
    request: Request,
    session: Session,
    *,
    actor: Actor,
    site: Site,
    values: dict[str, Any],
    now: datetime,
    errors: dict[str, str] | None = None,
) -> Response:
    """The checklist for the chosen theme; without one (and with a choice to make), the start."""
    themes = theme_service.observable_themes_for_site(session, actor=actor, site_id=site.id)
    chosen = next((v for v in themes if str(v.theme.id) == values.get("theme_id")), None)
    if chosen is None and len(themes) == 1 and "theme_id" not in (errors or {}):
        chosen = themes[0]
    members = org_staff.site_team(session, actor=actor, site_id=site.id)
    team = [member for member in members if member.user_id != actor.user_id]
    observed = next((m for m in team if str(m.user_id) == values.get("observed_user_id")), None)
    occurrence = org_service.current_shift(session, site=site, now=now)
    return form_page(
        request,
        "observation/form.html" if chosen else "observation/start.html",
        {
            "site": site,
            "shift": occurrence.name if occurrence else None,
            "themes": themes,
            "chosen": chosen,
            "values": values,
            "observed_name": observed.name if observed else None,
            "rows": range(ACTION_ROWS),
            "options": {
                "ratings": RATING_CHOICES,
                "could_explain": [(choice.value, choice.label) for choice in CouldExplain],
                "staff": [("", "Not one person")]
                + [(str(m.user_id), f"{m.name} · {m.role.label}") for m in team],
                "owners": [("", "Choose someone")] + [(str(m.user_id), m.name) for m in members],
                "themes": [(str(view.theme.id), view.theme.title) for view in themes],
            },
        },
        errors=errors,
    )


def _render_detail(
    request: Request,
    session: Session,
    *,
    actor: Actor,
    observation: Observation,
    saved: bool = False,
    values: dict[str, Any] | None = None,
    error: Invalid | None = None,
) -> Response:
    actions = action_service.list_actions(
        session,
        actor=actor,
        where=action_service.ActionFilter(observation_id=observation.id, open_only=False),
    )
    people = [observation.observer_id, observation.observed_user_id, observation.voided_by_id]
    people += [action.owner_id for action in actions]
    site = org_service.get_site(session, actor=actor, site_id=observation.site_id)
    is_observed = observation.observed_user_id == actor.user_id
    live = observation.voided_at is None
    return form_page(
        request,
        "observation/detail.html",
        {
            "observation": observation,
            "site": site,
            "theme": theme_service.theme_titles(session, theme_ids=[observation.theme_id]).get(
                observation.theme_id, ""
            ),
            "ratings": service.ratings_of(session, observations=[observation])[observation.id],
            "actions": actions,
            "names": auth_service.user_names(session, (p for p in people if p)),
            "zone": ZoneInfo(site.time_zone),
            "is_observed": is_observed,
            "can_reflect": is_observed and live,
            "can_void": service.may_void(actor, observation) and live,
            "saved": saved,
            "values": values or {"reflection": observation.reflection},
        },
        errors=error,
    )


def _filled_rows(form: FormData) -> list[int]:
    """The action rows with anything in them: blank rows are dropped."""
    fields = ("description", "owner_id", "due_on")
    return [
        row
        for row in range(ACTION_ROWS)
        if any(str(form.get(f"actions.{row}.{name}", "")).strip() for name in fields)
    ]


def _data_from_form(form: FormData, *, site: Site, rows: list[int]) -> dict[str, Any]:
    def chosen(name: str) -> str | None:
        value = str(form.get(name, "")).strip()
        return None if value in ("", NO_CHANCE) else value

    return {
        "id": form.get("id"),
        "site_id": site.id,
        "theme_id": chosen("theme_id"),
        "observed_user_id": chosen("observed_user_id"),
        "observed_at": local_time(
            chosen("observed_at"), ZoneInfo(site.time_zone), field="observed_at"
        ),
        "location": form.get("location", ""),
        "ratings": {
            key.removeprefix("ratings."): chosen(key) for key in form if key.startswith("ratings.")
        },
        "could_explain": chosen("could_explain") or CouldExplain.not_asked,
        "context_notes": form.get("context_notes", ""),
        "went_well": form.get("went_well", ""),
        "next_step": form.get("next_step", ""),
        "follow_up_on": chosen("follow_up_on"),
        "actions": [
            {
                "id": form.get(f"actions.{row}.id"),
                "description": form.get(f"actions.{row}.description", ""),
                "owner_id": chosen(f"actions.{row}.owner_id"),
                "due_on": chosen(f"actions.{row}.due_on"),
            }
            for row in rows
        ],
    }


def _errors_by_row(error: Invalid, rows: list[int]) -> dict[str, str]:
    """Errors named after the form's rows: the n-th action sent may be a later row on the page."""

    def on_page(field: str) -> str:
        parts = field.split(".")
        if len(parts) > 2 and parts[0] == "actions" and parts[1].isdigit():
            parts[1] = str(rows[int(parts[1])])
        return ".".join(parts)

    found: dict[str, str] = {}
    for field_error in error.errors:
        found.setdefault(on_page(field_error.field), field_error.reason)
    return found
