"""The notification settings page: what reaches the phone, quiet hours, usual shifts."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response
from sqlmodel import Session
from starlette.datastructures import URL

from app.auth.actor import Actor
from app.auth.dependencies import PageActorDep
from app.clock import ClockDep
from app.db import SessionDep
from app.forms import FormDep, form_page, submit_form, validate
from app.inbox.models import Kind
from app.inbox.preferences import preference_of
from app.reminders import settings
from app.reminders.schemas import NotificationSettingsInput

router = APIRouter(tags=["reminders"], include_in_schema=False)
TEMPLATE = "reminders/settings.html"
TIME = "%H:%M"


@router.get("/account/notifications", name="reminders:settings")
def settings_page(
    request: Request, actor: PageActorDep, session: SessionDep, saved: bool = False
) -> Response:
    preference = preference_of(session, actor=actor)
    typed = {
        "kinds": [kind.value for kind in Kind if kind.value not in preference.kinds_off],
        "quiet_from": preference.quiet_from.strftime(TIME) if preference.quiet_from else "",
        "quiet_until": preference.quiet_until.strftime(TIME) if preference.quiet_until else "",
        "usual_shifts": settings.usual_shifts_of(session, actor=actor),
    }
    return form_page(request, TEMPLATE, _context(session, actor, typed, saved=saved))


@router.post("/account/notifications", name="reminders:save_settings")
def save_settings(
    request: Request, actor: PageActorDep, form: FormDep, session: SessionDep, clock: ClockDep
) -> Response:
    typed = {
        "kinds": form.getlist("kinds"),
        "quiet_from": str(form.get("quiet_from", "")).strip(),
        "quiet_until": str(form.get("quiet_until", "")).strip(),
        "usual_shifts": form.getlist("usual_shifts"),
    }

    def save() -> URL:
        data = validate(
            NotificationSettingsInput,
            {
                **typed,
                "quiet_from": typed["quiet_from"] or None,
                "quiet_until": typed["quiet_until"] or None,
            },
        )
        settings.save_settings(session, actor=actor, data=data, now=clock.now())
        return request.url_for("reminders:settings").include_query_params(saved="true")

    return submit_form(
        session,
        save,
        show_again=lambda error: form_page(
            request, TEMPLATE, _context(session, actor, typed), errors=error
        ),
    )


def _context(
    session: Session, actor: Actor, typed: dict[str, Any], *, saved: bool = False
) -> dict[str, Any]:
    return {
        "typed": typed,
        "kind_options": [(kind.value, kind.label) for kind in Kind],
        "sites": settings.shift_choices(session, actor=actor),
        "saved": saved,
    }
