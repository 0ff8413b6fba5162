"""The account page, and what other domains add to it and to ending sign-ins.

``auth`` imports no other domain, yet other domains have their part in a person's account (the
devices that get their notifications) and in ending sign-ins (forgetting those devices). They
hand it in: ``create_app`` puts their sections in ``app.state.account_sections`` and what they
do when sign-ins end in ``app.state.sign_ins_ended_hooks``, as it hands ``org``'s page header in.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from sqlmodel import Session

from app.auth.actor import Actor
from app.errors import Invalid
from app.forms import form_page

SignInsEnded = Callable[[Session, uuid.UUID], None]
SectionContext = Callable[[Request, Session, Actor, datetime], Mapping[str, Any] | None]


@dataclass(frozen=True)
class AccountSection:
    """A part of the account page: its template, included with ``section`` as what
    ``context`` answers; a section whose ``context`` answers ``None`` is not shown."""

    template: str
    context: SectionContext


def account_page(
    request: Request,
    session: Session,
    actor: Actor,
    now: datetime,
    context: Mapping[str, Any] | None = None,
    *,
    errors: Invalid | None = None,
) -> HTMLResponse:
    """The account page, with every domain's section that has something to show."""
    sections = []
    for section in request.app.state.account_sections:
        shown = section.context(request, session, actor, now)
        if shown is not None:
            sections.append((section.template, shown))
    page = {**(context or {}), "sections": sections}
    return form_page(request, "auth/account.html", page, errors=errors)


def sign_ins_ended(request: Request, session: Session, user_id: uuid.UUID) -> None:
    """Some or all of a person's sign-ins have just ended (they signed out, changed their
    password, or were deactivated): each domain forgets what those sign-ins left, in the same
    transaction, so nothing of theirs outlives the sign-in on a phone that was handed back."""
    for hook in request.app.state.sign_ins_ended_hooks:
        hook(session, user_id)
