"""Pages for learning themes (the JSON API is in ``app.theme.api``).

Everyone reads the themes that apply to their sites; quality leads and admins also create,
edit (a new revision each time) and move themes through their lifecycle, with a reason. The
theme page's "Move to…" posts to governance's move page (``app.governance.move_routes``), which
shows the evidence at each site beside the move before it is confirmed.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Request, Response
from sqlmodel import Session
from starlette.datastructures import URL, FormData

from app.auth import service as auth_service
from app.auth.actor import Actor
from app.auth.dependencies import PageActorDep
from app.auth.permissions import OrgCapability
from app.clock import ClockDep
from app.db import SessionDep
from app.errors import Invalid
from app.forms import FormDep, form_page, submit_form, validate
from app.org import service as org_service
from app.org.models import Site
from app.theme import history, moves, service
from app.theme.dependencies import PageManagerDep, ThemeDep
from app.theme.models import LearningTheme, SourceKind, ThemeStatus
from app.theme.schemas import (
    ThemeInput,
)
from app.theme.service import ThemeView
from app.web import render

router = APIRouter(tags=["themes"], include_in_schema=False)

LINE_INPUTS = 8
LINE_LABELS = {"behaviours": "Behaviour", "prompts": "Prompt"}
DEFAULT_ZONE = "Europe/London"

# Each message names its field, so the error summary at the top makes sense on its own.
FORM_MESSAGES = {
    "title": "Enter a title of at most 120 characters.",
    "why": "Say why it matters in at most 500 characters.",
    "source_kind": "Choose where it came from.",
    "source_reference": "Use at most 200 characters for the reference.",
    "start_date": "Enter the start date like 2026-12-01, or leave it blank.",
}
# What an empty required field is told (the messages above are about length).
FORM_EMPTY = {"title": "Enter a title.", "why": "Say why it matters."}


@dataclass(frozen=True)
class Display:
    """How a page names sites and shows times: in the actor's terms and their sites' zone."""

    sites: list[Site]

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.sites[0].time_zone if self.sites else DEFAULT_ZONE)

    def site_names(self, site_ids: Iterable[uuid.UUID | str]) -> list[str]:
        """Only the sites the actor may see: a template never receives any other."""
        wanted = {str(site_id) for site_id in site_ids}
        return [site.name for site in self.sites if str(site.id) in wanted]

    def when(self, at: datetime) -> str:
        local = (at if at.tzinfo else at.replace(tzinfo=UTC)).astimezone(self.zone)
        return f"{local.day} {local:%b %Y, %H:%M}"

    @staticmethod
    def day(value: str | None) -> str:
        if not value:
            return ""
        found = date.fromisoformat(value)
        return f"{found.day} {found:%B %Y}"

    @staticmethod
    def source(kind: str) -> str:
        """A past revision may name a kind of source we no longer offer: show it as it was."""
        try:
            return SourceKind(kind).label
        except ValueError:
            return kind


def _display(session: Session, actor: Actor) -> Display:
    return Display(sites=org_service.list_sites(session, actor=actor))


# Pages


@router.get("/themes", name="theme:list")
def theme_list(request: Request, actor: PageActorDep, session: SessionDep) -> Response:
    views = service.view_themes(session, themes=service.list_themes(session, actor=actor))
    groups = [
        (
            status,
            moves.STATUS_MEANINGS[status],
            [view for view in views if view.theme.status == status],
        )
        for status in ThemeStatus
    ]
    context = {
        "groups": [group for group in groups if group[2]],
        "can_manage": actor.can_org(OrgCapability.manage_themes),
        "display": _display(session, actor),
    }
    return render(request, "theme/list.html", context)


@router.get("/themes/new", name="theme:new")
def theme_new(request: Request, actor: PageManagerDep, session: SessionDep) -> Response:
    return _form_page(request, session, actor, values=_form_values(FormData()))


@router.post("/themes", name="theme:create")
def theme_create(
    request: Request, actor: PageManagerDep, form: FormDep, session: SessionDep, clock: ClockDep
) -> Response:
    values = _form_values(form)

    def save() -> URL:
        data = validate(ThemeInput, _input_data(values), messages=FORM_MESSAGES, empty=FORM_EMPTY)
        theme = service.create_theme(session, actor=actor, data=data, now=clock.now())
        return request.url_for("theme:detail", theme_id=theme.id)

    return submit_form(
        session,
        save,
        show_again=lambda error: _form_page(request, session, actor, values=values, error=error),
    )


@router.get("/themes/{theme_id}", name="theme:detail")
def theme_detail(
    request: Request, actor: PageActorDep, theme: ThemeDep, session: SessionDep
) -> Response:
    return _detail_page(request, session, actor, theme)


@router.get("/themes/{theme_id}/edit", name="theme:edit")
def theme_edit(
    request: Request, theme: ThemeDep, actor: PageManagerDep, session: SessionDep
) -> Response:
    values = _values_from(service.view_theme(session, theme=theme))
    return _form_page(request, session, actor, values=values, theme=theme)


@router.post("/themes/{theme_id}/edit", name="theme:update")
def theme_update(
    request: Request,
    theme: ThemeDep,
    actor: PageManagerDep,
    form: FormDep,
    session: SessionDep,
    clock: ClockDep,
) -> Response:
    values = _form_values(form)

    def save() -> URL:
        data = validate(ThemeInput, _input_data(values), messages=FORM_MESSAGES, empty=FORM_EMPTY)
        service.revise_theme(session, actor=actor, theme=theme, data=data, now=clock.now())
        return request.url_for("theme:detail", theme_id=theme.id)

    return submit_form(
        session,
        save,
        show_again=lambda error: _form_page(
            request, session, actor, values=values, theme=theme, error=error
        ),
    )


@router.get("/themes/{theme_id}/revisions/{revision}", name="theme:revision")
def theme_revision(
    request: Request, actor: PageActorDep, theme: ThemeDep, revision: int, session: SessionDep
) -> Response:
    found = history.get_revision(session, theme=theme, revision=revision)
    context = {
        "theme": theme,
        "revision": found,
        "content": found.content,
        "editor": auth_service.user_names(session, [found.edited_by_id]).get(
            found.edited_by_id, ""
        ),
        "display": _display(session, actor),
    }
    return render(request, "theme/revision.html", context)


def _detail_page(
    request: Request,
    session: Session,
    actor: Actor,
    theme: LearningTheme,
) -> Response:
    can_manage = actor.can_org(OrgCapability.manage_themes)
    context = {
        "theme": theme,
        "meaning": moves.STATUS_MEANINGS[theme.status],
        "content": _values_from(service.view_theme(session, theme=theme)),
        "history": history.theme_history(session, theme=theme),
        "can_manage": can_manage,
        "moves": moves.move_choices(theme.status) if can_manage else [],
        "display": _display(session, actor),
    }
    return form_page(request, "theme/detail.html", context)


def _form_page(
    request: Request,
    session: Session,
    actor: Actor,
    *,
    values: dict[str, Any],
    theme: LearningTheme | None = None,
    error: Invalid | None = None,
) -> Response:
    context = {
        "theme": theme,
        "values": {
            **values,
            "behaviours": _padded(values["behaviours"]),
            "prompts": _padded(values["prompts"]),
        },
        "source_kinds": [(kind.value, kind.label) for kind in SourceKind],
        "sites": [
            (str(site.id), site.name) for site in org_service.list_sites(session, actor=actor)
        ],
    }
    return form_page(
        request, "theme/form.html", context, errors=_form_errors(error) if error else None
    )


def _form_errors(error: Invalid) -> dict[str, str]:
    """Errors keyed by the control they sit beside: a bad site id belongs to the site choices,
    and a line's error says which line."""
    found: dict[str, str] = {}
    for field_error in error.errors:
        field, _, index = field_error.field.partition(".")
        if field == "site_ids" and index:
            found.setdefault(field, "Choose sites from your organisation.")
        elif field in LINE_LABELS and index.isdigit():
            reason = f"{LINE_LABELS[field]} {int(index) + 1}: {field_error.reason}"
            found.setdefault(field_error.field, reason)
        else:
            found.setdefault(field_error.field, field_error.reason)
    return found


def _padded(lines: list[str]) -> list[str]:
    return lines + [""] * (LINE_INPUTS - len(lines))


def _form_values(form: FormData) -> dict[str, Any]:
    """What was typed, to validate and to show again. Blank lines are dropped here so that a
    line's position matches the position Pydantic names in an error."""
    return {
        "title": str(form.get("title", "")),
        "why": str(form.get("why", "")),
        "source_kind": str(form.get("source_kind", "")),
        "source_reference": str(form.get("source_reference", "")),
        "start_date": str(form.get("start_date", "")),
        "site_ids": [str(site_id) for site_id in form.getlist("site_ids")],
        "behaviours": _filled(form.getlist("behaviours")),
        "prompts": _filled(form.getlist("prompts")),
    }


def _filled(lines: list[Any]) -> list[str]:
    return [str(line) for line in lines if str(line).strip()]


def _input_data(values: Mapping[str, Any]) -> dict[str, Any]:
    return {
        **values,
        "source_kind": values["source_kind"] or None,
        "start_date": values["start_date"] or None,
    }


def _values_from(view: ThemeView) -> dict[str, Any]:
    """The theme as it is now, in the shape of the form and of a kept revision's content."""
    theme = view.theme
    return {
        "title": theme.title,
        "why": theme.why,
        "source_kind": theme.source_kind.value,
        "source_reference": theme.source_reference,
        "start_date": theme.start_date.isoformat() if theme.start_date else "",
        "site_ids": [str(site_id) for site_id in view.site_ids],
        "behaviours": [line.text for line in view.behaviours],
        "prompts": [line.text for line in view.prompts],
    }
