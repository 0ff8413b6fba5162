"""The notification settings page (what reaches the phone, quiet hours, usual shifts), and a
site's handover reminder page: how long before each handover its staff are reminded, set by
those who manage the site's shift pattern."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response
from sqlmodel import Session
from starlette.datastructures import URL

from app.auth.actor import Actor
from app.auth.dependencies import PageActorDep, SettingsDep
from app.clock import ClockDep
from app.config import FEWEST_REMINDER_MINUTES, MOST_REMINDER_MINUTES, Settings
from app.db import SessionDep
from app.forms import FormDep, form_page, submit_form, validate
from app.inbox.models import Kind
from app.inbox.preferences import preference_of
from app.org import service as org_service
from app.org.models import Site
from app.org.schemas import HandoverReminderInput
from app.reminders import settings
from app.reminders.dependencies import SiteRemindersDep
from app.reminders.schemas import NotificationSettingsInput
from app.reminders.service import minutes_before_handover

router = APIRouter(tags=["reminders"], include_in_schema=False)
TEMPLATE = "reminders/settings.html"
SITE_TEMPLATE = "reminders/site.html"
MINUTES_MESSAGE = (
    f"Enter a whole number of minutes from {FEWEST_REMINDER_MINUTES} to {MOST_REMINDER_MINUTES},"
    " or leave it empty for the usual time."
)
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


@router.get("/sites/{site_id}/reminders", name="reminders:site")
def site_page(
    request: Request,
    actor: PageActorDep,
    site: SiteRemindersDep,
    app_settings: SettingsDep,
    saved: bool = False,
) -> Response:
    own = site.handover_reminder_minutes
    context = _site_context(site, app_settings, "" if own is None else str(own), saved=saved)
    return form_page(request, SITE_TEMPLATE, context)


@router.post("/sites/{site_id}/reminders", name="reminders:save_site")
def save_site(
    request: Request,
    actor: PageActorDep,
    site: SiteRemindersDep,
    form: FormDep,
    session: SessionDep,
    clock: ClockDep,
    app_settings: SettingsDep,
) -> Response:
    typed = str(form.get("minutes", "")).strip()

    def save() -> URL:
        data = validate(
            HandoverReminderInput,
            {"minutes": typed or None},
            messages={"minutes": MINUTES_MESSAGE},
        )
        org_service.set_handover_reminder(
            session, actor=actor, site=site, minutes=data.minutes, now=clock.now()
        )
        return request.url_for("reminders:site", site_id=site.id).include_query_params(saved="true")

    return submit_form(
        session,
        save,
        show_again=lambda error: form_page(
            request, SITE_TEMPLATE, _site_context(site, app_settings, typed), errors=error
        ),
    )


def _site_context(
    site: Site, app_settings: Settings, typed: str, *, saved: bool = False
) -> dict[str, Any]:
    return {
        "site": site,
        "typed": typed,
        "minutes": minutes_before_handover(site, app_settings),
        "usual": app_settings.handover_reminder_minutes,
        "fewest": FEWEST_REMINDER_MINUTES,
        "most": MOST_REMINDER_MINUTES,
        "saved": saved,
    }
