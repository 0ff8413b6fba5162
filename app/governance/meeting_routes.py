"""The quality meeting page: the week's agenda, and the decisions the lead records there as
actions with owners."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response
from sqlmodel import Session
from starlette.datastructures import URL

from app.action.models import FollowUpAction
from app.auth.actor import Actor
from app.auth.dependencies import PageActorDep
from app.clock import ClockDep
from app.db import SessionDep
from app.errors import Invalid
from app.forms import FormDep, form_page, submit_form, validate
from app.governance import decisions, meeting
from app.governance.schemas import MeetingDecisionCreate
from app.schemas import IsoDate

router = APIRouter(tags=["governance"], include_in_schema=False)

DECISION_FIELDS = ("id", "week", "site_id", "description", "owner_id", "due_on", "theme_id")
DECISION_MESSAGES = {
    "site_id": "Choose the site the decision is for.",
    "owner_id": "Choose who will do it.",
    "theme_id": "Choose one of the learning themes, or none.",
    "due_on": "Enter the due date like 2026-12-12.",
    "week": "Open the meeting again and record the decision from its page.",
}
DECISION_EMPTY = {"description": "Say what was decided: what needs doing."}


@router.get("/governance/meeting", name="governance:meeting")
def quality_meeting(
    request: Request,
    actor: PageActorDep,
    session: SessionDep,
    clock: ClockDep,
    week: Annotated[IsoDate | None, Query(description="A day of the week to meet about")] = None,
    recorded: uuid.UUID | None = None,
    site_id: Annotated[uuid.UUID | None, Query(description="The site to decide for")] = None,
) -> Response:
    """``recorded`` names a decision just saved, which the page confirms; ``site_id`` the site
    a decision is being recorded for, whose staff the form offers."""
    now = clock.now()
    week_of = week or now.date()
    values = {
        "id": str(uuid.uuid4()),
        "week": week_of.isoformat(),
        "theme_id": "",
        "site_id": str(site_id or ""),
    }
    return _meeting_page(
        request, session, actor=actor, week_of=week_of, now=now, values=values, recorded=recorded
    )


@router.post("/governance/meeting/decisions", name="governance:meeting_decision")
def record_decision(
    request: Request, actor: PageActorDep, form: FormDep, session: SessionDep, clock: ClockDep
) -> Response:
    """Save the decision once (the form's id), then back to the week's page saying so."""
    decisions.require_deciding(actor)
    values = {name: str(form.get(name, "")) for name in DECISION_FIELDS}
    now = clock.now()

    def save() -> URL:
        data = validate(
            MeetingDecisionCreate,
            {**values, "theme_id": values["theme_id"] or None},
            messages=DECISION_MESSAGES,
            empty=DECISION_EMPTY,
        )
        saved = decisions.record_decision(session, actor=actor, data=data, now=now)
        target = request.url_for("governance:meeting").include_query_params(
            week=data.week.isoformat(), recorded=saved.record.id
        )
        return target.replace(fragment="m-decisions")

    return submit_form(
        session,
        save,
        show_again=lambda error: _meeting_page(
            request,
            session,
            actor=actor,
            week_of=_week_typed(values["week"], now),
            now=now,
            values=values,
            error=error,
        ),
    )


def _uuid_or_none(typed: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(typed)
    except ValueError:
        return None


def _week_typed(typed: str, now: datetime) -> date:
    """The week the form was posted from; this week when that was lost or tampered with."""
    try:
        return date.fromisoformat(typed)
    except ValueError:
        return now.date()


def _meeting_page(
    request: Request,
    session: Session,
    *,
    actor: Actor,
    week_of: date,
    now: datetime,
    values: dict[str, str],
    recorded: uuid.UUID | None = None,
    error: Invalid | None = None,
) -> Response:
    agenda = meeting.quality_meeting(session, actor=actor, week_of=week_of, now=now)
    names = {site_id: site.name for site_id, site in agenda.sites.items()}
    choices = decisions.decision_choices(
        session, actor=actor, site_names=names, site_id=_uuid_or_none(values.get("site_id", ""))
    )
    context = {
        "meeting": agenda,
        "choices": choices,
        "can_decide": bool(choices.sites),
        "just_recorded": _just_recorded(agenda, recorded),
        "values": values,
    }
    return form_page(request, "governance/meeting.html", context, errors=error)


def _just_recorded(
    agenda: meeting.QualityMeeting, recorded: uuid.UUID | None
) -> FollowUpAction | None:
    """The decision a notice at the top confirms: one of the week's, or nothing."""
    return next((d for d in agenda.decisions if d.id == recorded), None)
