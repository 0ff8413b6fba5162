"""Pages and API for engagement-quality notes.

The common case is three taps: a person on the home screen, a level, Save. Everything else on
the note is optional and folded away.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Any
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Depends, Request, Response
from sqlmodel import Session
from starlette.datastructures import FormData

from app.auth import service as auth_service
from app.auth.actor import Actor
from app.auth.dependencies import PageActorDep
from app.auth.permissions import SiteCapability
from app.clock import ClockDep
from app.db import SessionDep
from app.engagement import quick_picks, service
from app.engagement import review as reviews
from app.engagement.models import (
    EngagementLevel,
    EngagementNote,
    Mood,
    QuickPickKind,
    RestrictivePractice,
    ReviewOutcome,
    StartedBy,
)
from app.engagement.my_notes import my_notes_today
from app.engagement.schemas import (
    EngagementContent,
    EngagementNoteAmend,
    EngagementNoteCreate,
    ReviewCreate,
    VoidRequest,
)
from app.errors import Invalid
from app.forms import FormDep, validate
from app.org import service as org_service
from app.org import staff as org_staff
from app.org.models import PersonSupported, Site
from app.theme import service as theme_service
from app.theme.service import ThemeView
from app.web import render, templates

router = APIRouter(tags=["engagement"], include_in_schema=False)

FORM_MESSAGES = {"level": "Choose how engaged they were."}
REVIEW_FIELDS = (
    *("id", "outcome", "debrief_held", "debrief_with", "debrief_on", "changes"),
    *("action.id", "action.description", "action.owner_id", "action.due_on"),
)
REVIEW_MESSAGES = {
    "id": "This form is out of date. Reload the page and try again.",
    "outcome": "Choose the outcome of the review.",
    "debrief_held": "Say whether there was a debrief.",
    "debrief_on": "Enter the date of the debrief like 2026-12-01, or leave it blank.",
    "changes": "Use at most 1000 characters for what will change.",
    "action.description": "Say what needs doing, in at most 200 characters.",
    "action.owner_id": "Choose who will do it.",
    "action.due_on": "Enter the due date like 2026-12-12, or leave it blank.",
}
templates.env.globals["engagement_levels"] = {level.value: level for level in EngagementLevel}
LOCAL_TIME_FORMAT = "%Y-%m-%dT%H:%M"


def _page_person(person_id: uuid.UUID, actor: PageActorDep, session: SessionDep) -> PersonSupported:
    return org_service.get_person(session, actor=actor, person_id=person_id)


def _page_note(note_id: uuid.UUID, actor: PageActorDep, session: SessionDep) -> EngagementNote:
    return service.get_note(session, actor=actor, note_id=note_id)


PagePersonDep = Annotated[PersonSupported, Depends(_page_person)]
PageNoteDep = Annotated[EngagementNote, Depends(_page_note)]


@router.get("/people/{person_id}", name="engagement:person")
def person_page(
    request: Request, person: PagePersonDep, actor: PageActorDep, session: SessionDep
) -> Response:
    notes = service.list_notes(
        session, actor=actor, where=service.NoteFilter(person_id=person.id), limit=30
    )
    return render(
        request,
        "engagement/person.html",
        {
            "person": person,
            "notes": notes,
            "names": auth_service.user_names(session, (note.author_id for note in notes)),
            "zone": _zone(session, person.site_id),
            "can_record": actor.can(SiteCapability.record_notes, person.site_id),
            "is_late": service.is_late,
        },
    )


@router.get("/people/{person_id}/notes/new", name="engagement:new")
def new_note(
    request: Request, person: PagePersonDep, actor: PageActorDep, session: SessionDep
) -> Response:
    actor.require(SiteCapability.record_notes, person.site_id)
    return _render_form(
        request, session, actor=actor, person=person, values={"id": str(uuid.uuid4())}
    )


@router.post("/people/{person_id}/notes", name="engagement:create")
def create_note(
    request: Request,
    person: PagePersonDep,
    actor: PageActorDep,
    form: FormDep,
    session: SessionDep,
    clock: ClockDep,
) -> Response:
    values = _form_values(form)
    try:
        content = _content_from_form(form, zone=_zone(session, person.site_id))
        data = validate(
            EngagementNoteCreate,
            {**content, "id": form.get("id"), "person_id": person.id},
            messages=FORM_MESSAGES,
        )
        saved = service.record_engagement_note(session, actor=actor, data=data, now=clock.now())
    except Invalid as error:
        return _render_form(
            request,
            session,
            actor=actor,
            person=person,
            values=values,
            errors=error.by_field(),
            status_code=422,
        )
    session.commit()
    target = request.url_for("home:home").include_query_params(saved=str(saved.record.id))
    return _see_other(str(target))


@router.get("/notes/{note_id}", name="engagement:detail")
def note_detail(
    request: Request, note: PageNoteDep, actor: PageActorDep, session: SessionDep
) -> Response:
    return _render_detail(request, session, actor=actor, note=note)


@router.get("/notes/{note_id}/amend", name="engagement:amend_form")
def amend_form(
    request: Request, note: PageNoteDep, actor: PageActorDep, session: SessionDep
) -> Response:
    service.require_can_change(actor, note)
    person = session.get_one(PersonSupported, note.person_id)
    zone = _zone(session, note.site_id)
    return _render_form(
        request, session, actor=actor, person=person, values=_note_values(note, zone), note=note
    )


@router.post("/notes/{note_id}/amend", name="engagement:amend")
def amend(
    request: Request,
    note: PageNoteDep,
    actor: PageActorDep,
    form: FormDep,
    session: SessionDep,
    clock: ClockDep,
) -> Response:
    person = session.get_one(PersonSupported, note.person_id)
    try:
        content = _content_from_form(form, zone=_zone(session, note.site_id))
        data = validate(
            EngagementNoteAmend,
            {**content, "reason": form.get("reason", "")},
            messages=FORM_MESSAGES,
        )
        service.amend_note(
            session,
            actor=actor,
            note=note,
            data=EngagementContent.model_validate(data.model_dump(exclude={"reason"})),
            reason=data.reason,
            now=clock.now(),
        )
    except Invalid as error:
        return _render_form(
            request,
            session,
            actor=actor,
            person=person,
            values=_form_values(form),
            errors=error.by_field(),
            note=note,
            status_code=422,
        )
    session.commit()
    return _see_other(str(request.url_for("engagement:detail", note_id=note.id)))


@router.post("/notes/{note_id}/void", name="engagement:void")
def void(
    request: Request,
    note: PageNoteDep,
    actor: PageActorDep,
    form: FormDep,
    session: SessionDep,
    clock: ClockDep,
) -> Response:
    try:
        request_data = validate(
            VoidRequest,
            {"reason": form.get("reason", "")},
            messages={"reason": "Say why this note is void."},
        )
        service.void_note(
            session, actor=actor, note=note, reason=request_data.reason, now=clock.now()
        )
    except Invalid as error:
        return _render_detail(
            request, session, actor=actor, note=note, errors=error.by_field(), status_code=422
        )
    session.commit()
    return _see_other(str(request.url_for("engagement:detail", note_id=note.id)))


@router.post("/notes/{note_id}/review", name="engagement:review")
def review(
    request: Request,
    note: PageNoteDep,
    actor: PageActorDep,
    form: FormDep,
    session: SessionDep,
    clock: ClockDep,
) -> Response:
    """A manager's review of the note's restrictive practice; the note's page then shows it."""
    values = {name: str(form.get(name, "")) for name in REVIEW_FIELDS}
    action = {name: values[f"action.{name}"] for name in ("id", "description", "owner_id")}
    set_action = action["description"] or action["owner_id"]
    try:
        data = validate(
            ReviewCreate,
            {
                **values,
                "debrief_on": values["debrief_on"] or None,
                "action": {**action, "due_on": values["action.due_on"] or None}
                if set_action
                else None,
            },
            messages=REVIEW_MESSAGES,
        )
        reviews.review_restrictive_practice(
            session, actor=actor, note=note, data=data, now=clock.now()
        )
    except Invalid as error:
        return _render_detail(
            request,
            session,
            actor=actor,
            note=note,
            errors=error.by_field(),
            values=values,
            status_code=422,
        )
    session.commit()
    return _see_other(str(request.url_for("engagement:detail", note_id=note.id)) + "#review")


@router.get("/sites/{site_id}/notes/to-review", name="engagement:review_list")
def review_list(
    request: Request, site_id: uuid.UUID, actor: PageActorDep, session: SessionDep
) -> Response:
    notes = service.notes_to_review(session, actor=actor, site_id=site_id)
    people = {
        person.id: person
        for person in org_service.list_people(
            session, actor=actor, site_id=site_id, include_inactive=True
        )
    }
    return render(
        request,
        "engagement/review.html",
        {
            "site": session.get_one(Site, site_id),
            "notes": notes,
            "people": people,
            "names": auth_service.user_names(session, (note.author_id for note in notes)),
            "zone": _zone(session, site_id),
        },
    )


def _render_form(
    request: Request,
    session: Session,
    *,
    actor: Actor,
    person: PersonSupported,
    values: dict[str, Any],
    errors: dict[str, str] | None = None,
    note: EngagementNote | None = None,
    status_code: int = 200,
) -> Response:
    themes = theme_service.active_themes_for_site(session, actor=actor, site_id=person.site_id)
    if note is None and len(themes) == 1:
        values.setdefault("theme_id", str(themes[0].theme.id))
    return render(
        request,
        "engagement/form.html",
        {
            "person": person,
            "note": note,
            "values": values,
            "errors": errors or {},
            "themes": themes,
            "levels": sorted(EngagementLevel, reverse=True),
            "options": _options(
                session, actor=actor, site_id=person.site_id, themes=themes, values=values
            ),
        },
        status_code=status_code,
    )


def _options(
    session: Session,
    *,
    actor: Actor,
    site_id: uuid.UUID,
    themes: list[ThemeView],
    values: dict[str, Any],
) -> dict[str, list[tuple[str, str]]]:
    """(value, label) pairs for the note form's optional questions. Picks a note already has
    stay on offer even if the site has since dropped them, so an amendment keeps them."""
    picks = quick_picks.for_site(session, actor=actor, site_id=site_id)
    not_sure = [("", "Not sure")]

    def with_chosen(kind: QuickPickKind, name: str) -> list[tuple[str, str]]:
        labels = picks[kind] + [
            label for label in values.get(name) or [] if label not in picks[kind]
        ]
        return [(label, label) for label in labels]

    return {
        "started_by": not_sure + [(choice.value, choice.label) for choice in StartedBy],
        "mood": not_sure + [(choice.value, choice.label) for choice in Mood],
        "helped": with_chosen(QuickPickKind.helped, "helped"),
        "hindered": with_chosen(QuickPickKind.hindered, "hindered"),
        "restrictive": [("none", "No")]
        + [(choice.value, choice.label) for choice in RestrictivePractice],
        "themes": [("none", "None")] + [(str(view.theme.id), view.theme.title) for view in themes],
    }


def _render_detail(
    request: Request,
    session: Session,
    *,
    actor: Actor,
    note: EngagementNote,
    errors: dict[str, str] | None = None,
    values: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    revisions = service.list_revisions(session, note=note)
    review = reviews.latest_review(session, note=note)
    people_ids = [note.author_id, *(r.author_id for r in revisions)]
    if note.voided_by_id:
        people_ids.append(note.voided_by_id)
    if review:
        people_ids.append(review.reviewer_id)
    return render(
        request,
        "engagement/detail.html",
        {
            "note": note,
            "person": session.get_one(PersonSupported, note.person_id),
            "revisions": revisions,
            "names": auth_service.user_names(session, people_ids),
            "zone": _zone(session, note.site_id),
            "late": service.is_late(note),
            "needs_review": service.needs_review(note),
            "can_change": service.may_change(actor, note) and note.voided_at is None,
            "can_review": actor.can(SiteCapability.review_notes, note.site_id),
            "theme": theme_service.theme_titles(
                session, theme_ids=[note.theme_id] if note.theme_id else []
            ).get(note.theme_id),
            "review": review,
            "outcomes": [(outcome.value, outcome.label) for outcome in ReviewOutcome],
            "owners": [("", "Choose a person")]
            + [
                (str(member.user_id), f"{member.name} ({member.role.label})")
                for member in org_staff.site_team(session, actor=actor, site_id=note.site_id)
            ]
            if service.needs_review(note) and actor.can(SiteCapability.review_notes, note.site_id)
            else [],
            "values": values or {"id": str(uuid.uuid4()), "action.id": str(uuid.uuid4())},
            "errors": errors or {},
        },
        status_code=status_code,
    )


def _form_values(form: FormData) -> dict[str, Any]:
    values: dict[str, Any] = {key: form.get(key) for key in form}
    values["helped"] = form.getlist("helped")
    values["hindered"] = form.getlist("hindered")
    return values


def _note_values(note: EngagementNote, zone: ZoneInfo) -> dict[str, Any]:
    return {
        "level": str(note.level),
        "occurred_at": note.occurred_at.astimezone(zone).strftime(LOCAL_TIME_FORMAT),
        "started_by": note.started_by or "",
        "mood": note.mood or "",
        "activity": note.activity,
        "helped": note.helped,
        "helped_note": note.helped_note,
        "hindered": note.hindered,
        "hindered_note": note.hindered_note,
        "restrictive_practice": note.restrictive_practice or "none",
        "restrictive_reason": note.restrictive_reason,
        "theme_id": str(note.theme_id) if note.theme_id else "none",
    }


def _content_from_form(form: FormData, *, zone: ZoneInfo) -> dict[str, Any]:
    """The note's content from form fields: blanks and "none" mean nothing chosen; a time typed
    on the page is the site's local time."""

    def chosen(name: str) -> str | None:
        value = str(form.get(name, "")).strip()
        return None if value in ("", "none") else value

    return {
        "level": chosen("level"),
        "occurred_at": _local_time(chosen("occurred_at"), zone),
        "started_by": chosen("started_by"),
        "mood": chosen("mood"),
        "activity": form.get("activity", ""),
        "helped": form.getlist("helped"),
        "helped_note": form.get("helped_note", ""),
        "hindered": form.getlist("hindered"),
        "hindered_note": form.get("hindered_note", ""),
        "restrictive_practice": chosen("restrictive_practice"),
        "restrictive_reason": form.get("restrictive_reason", ""),
        "theme_id": chosen("theme_id"),
    }


def _local_time(value: str | None, zone: ZoneInfo) -> datetime | None:
    if value is None:
        return None
    try:
        return datetime.strptime(value, LOCAL_TIME_FORMAT).replace(tzinfo=zone)
    except ValueError:
        raise Invalid.one("occurred_at", "Enter a date and time, like 23/11/2026 14:30.") from None


def _zone(session: Session, site_id: uuid.UUID) -> ZoneInfo:
    return ZoneInfo(session.get_one(Site, site_id).time_zone)


def _see_other(url: str) -> Response:
    return Response(status_code=303, headers={"location": url})


@router.get("/sites/{site_id}/quick-picks", name="engagement:quick_picks")
def quick_picks_form(
    request: Request, site_id: uuid.UUID, actor: PageActorDep, session: SessionDep
) -> Response:
    site = org_service.get_site(
        session, actor=actor, site_id=site_id, capability=SiteCapability.manage_quick_picks
    )
    picks = quick_picks.for_site(session, actor=actor, site_id=site.id)
    values = {kind.value: "\n".join(labels) for kind, labels in picks.items()}
    return render(request, "engagement/quick_picks.html", {"site": site, "values": values})


@router.post("/sites/{site_id}/quick-picks", name="engagement:quick_picks_update")
def quick_picks_update(
    request: Request,
    site_id: uuid.UUID,
    actor: PageActorDep,
    form: FormDep,
    session: SessionDep,
    clock: ClockDep,
) -> Response:
    site = org_service.get_site(
        session, actor=actor, site_id=site_id, capability=SiteCapability.manage_quick_picks
    )
    values = {kind.value: str(form.get(kind.value, "")) for kind in QuickPickKind}
    picks = {kind: values[kind.value].splitlines() for kind in QuickPickKind}
    try:
        quick_picks.replace_for_site(
            session, actor=actor, site_id=site.id, picks=picks, now=clock.now()
        )
    except Invalid as error:
        context = {"site": site, "values": values, "errors": error.by_field()}
        return render(request, "engagement/quick_picks.html", context, status_code=422)
    session.commit()
    return _see_other(str(request.url_for("engagement:quick_picks", site_id=site.id)) + "?saved=1")


@router.get("/my/notes", name="engagement:mine")
def my_notes(
    request: Request, actor: PageActorDep, session: SessionDep, clock: ClockDep
) -> Response:
    """The notes I wrote today, each with "Change it" (an amendment with a reason)."""
    return render(
        request,
        "engagement/mine.html",
        {"notes": my_notes_today(session, actor=actor, now=clock.now())},
    )
