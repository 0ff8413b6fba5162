"""The site a reminders page is about: one whose handover reminders the actor may set (those
who manage its shift pattern), "not allowed" for another role there, or "not found"."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from app.auth.permissions import SiteCapability
from app.org.dependencies import site_for
from app.org.models import Site

SiteRemindersDep = Annotated[Site, Depends(site_for(SiteCapability.manage_shifts))]
