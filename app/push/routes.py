"""The account page's "Notifications on this phone": turning them on (``static/js/push.js``),
and the list of the person's devices, each with a Remove button."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Request, Response
from sqlmodel import Session
from starlette.datastructures import URL

from app.auth.account import AccountSection, account_page
from app.auth.actor import Actor
from app.auth.dependencies import PageActorDep
from app.clock import ClockDep
from app.db import SessionDep
from app.forms import FormDep, submit_form, validate
from app.push import service
from app.push.schemas import DevicePublic, DeviceRemoval

router = APIRouter(tags=["push"], include_in_schema=False)

# A person's devices are theirs, not a site's: their times are shown in the organisation's zone.
ZONE = ZoneInfo("Europe/London")


@router.post("/account/devices/remove", name="push:remove_device")
def remove_device(
    request: Request, actor: PageActorDep, form: FormDep, session: SessionDep, clock: ClockDep
) -> Response:
    """Remove one of your devices; back to the account page, which says so."""

    def save() -> URL:
        chosen = validate(DeviceRemoval, dict(form))
        this_phone = service.remove_device(session, actor=actor, device_id=chosen.device_id)
        removed = "this_phone" if this_phone else "1"
        return request.url_for("auth:account").include_query_params(device_removed=removed)

    return submit_form(
        session,
        save,
        show_again=lambda error: account_page(request, session, actor, clock.now(), errors=error),
    )


def devices_section(
    request: Request, session: Session, actor: Actor, now: datetime
) -> Mapping[str, Any] | None:
    """The section's context; nothing while push is off for this service."""
    if request.app.state.settings.push_contact is None:
        return None
    devices = [
        DevicePublic.of(device, actor=actor)
        for device in service.list_devices(session, actor=actor)
    ]
    removed = request.query_params.get("device_removed")  # "1", or "this_phone"
    return {
        "devices": devices,
        "this_phone_on": any(device.this_sign_in for device in devices),
        "removed": removed in {"1", "this_phone"},
        "forget_here": removed == "this_phone",
        "zone": ZONE,
    }


ACCOUNT_SECTION = AccountSection(template="push/_devices.html", context=devices_section)
