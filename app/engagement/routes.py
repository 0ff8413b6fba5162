"""Pages for engagement-quality notes (the JSON API is in ``app.engagement.api``).

The common case is three taps: a person on the home screen, a level, Save. Everything else on
the note is optional and folded away.
"""

from __future__ import annotations

import uuid
from typing import Any
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Request, Response
from sqlmodel import Session
from starlette.datastructures import URL

from app.auth import service as auth_service
from app.auth.actor import Actor
from app.auth.dependencies import PageActorDep
from app.auth.permissions import SiteCapability
from app.clock import ClockDep
from app.db import SessionDep
from app.engagement import changes, note_form, quick_picks, service
from app.engagement import review as reviews
from app.engagement.dependencies import NoteDep, SiteQuickPicksDep
from app.engagement.models import EngagementLevel, EngagementNote, QuickPickKind, ReviewOutcome
from app.engagement.my_notes import my_notes_today
from app.engagement.schemas import (
    EngagementContent,
    EngagementNoteAmend,
    EngagementNoteCreate,
    VoidRequest,
)
from app.errors import Invalid
from app.forms import FormDep, form_page, submit_form, validate
from app.org import service as org_service
from app.org import staff as org_staff
from app.org.dependencies import PersonDep
from app.org.models import PersonSupported
from app.theme import service as theme_service
from app.web import render

router = APIRouter(tags=["engagement"], include_in_schema=False)

TEMPLATE_NAMES = {"engagement_levels": {level.value: level for level in EngagementLevel}}


@router.get("/people/{person_id}", name="engagement:person")
def person_page(
    request: Request, actor: PageActorDep, person: PersonDep, session: SessionDep
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
            "zone": _zone(session, actor, person.site_id),
            "can_record": actor.can(SiteCapability.record_notes, person.site_id),
            "is_late": service.is_late,
        },
    )


@router.get("/people/{person_id}/notes/new", name="engagement:new")
def new_note(
    request: Request, actor: PageActorDep, person: PersonDep, session: SessionDep
) -> Response:
    actor.require(SiteCapability.record_notes, person.site_id)
    return _note_form(
        request, session, actor=actor, person=person, values={"id": str(uuid.uuid4())}
    )


@router.post("/people/{person_id}/notes", name="engagement:create")
def create_note(
    request: Request,
    actor: PageActorDep,
    person: PersonDep,
    form: FormDep,
    session: SessionDep,
    clock: ClockDep,
) -> Response:
    def save() -> URL:
        content = note_form.content_from_form(form, zone=_zone(session, actor, person.site_id))
        data = validate(
            EngagementNoteCreate,
            {**content, "id": form.get("id"), "person_id": person.id},
            messages=note_form.FORM_MESSAGES,
        )
        saved = service.record_engagement_note(session, actor=actor, data=data, now=clock.now())
        return request.url_for("home:home").include_query_params(saved=str(saved.record.id))

    return submit_form(
        session,
        save,
        show_again=lambda error: _note_form(
            request,
            session,
            actor=actor,
            person=person,
            values=note_form.form_values(form),
            error=error,
        ),
    )


@router.get("/notes/{note_id}", name="engagement:detail")
def note_detail(
    request: Request, actor: PageActorDep, note: NoteDep, session: SessionDep
) -> Response:
    return detail_page(request, session, actor=actor, note=note)


@router.get("/notes/{note_id}/amend", name="engagement:amend_form")
def amend_form(
    request: Request, actor: PageActorDep, note: NoteDep, session: SessionDep
) -> Response:
    changes.require_can_change(actor, note)
    values = note_form.note_values(note, _zone(session, actor, note.site_id))
    return _note_form(
        request,
        session,
        actor=actor,
        person=_person(session, actor, note),
        values=values,
        note=note,
    )


@router.post("/notes/{note_id}/amend", name="engagement:amend")
def amend(
    request: Request,
    actor: PageActorDep,
    note: NoteDep,
    form: FormDep,
    session: SessionDep,
    clock: ClockDep,
) -> Response:
    person = _person(session, actor, note)

    def save() -> URL:
        content = note_form.content_from_form(form, zone=_zone(session, actor, note.site_id))
        data = validate(
            EngagementNoteAmend,
            {**content, "reason": form.get("reason", "")},
            messages=note_form.FORM_MESSAGES,
        )
        changes.amend_note(
            session,
            actor=actor,
            note=note,
            data=EngagementContent.model_validate(data.model_dump(exclude={"reason"})),
            reason=data.reason,
            now=clock.now(),
        )
        return request.url_for("engagement:detail", note_id=note.id)

    return submit_form(
        session,
        save,
        show_again=lambda error: _note_form(
            request,
            session,
            actor=actor,
            person=person,
            values=note_form.form_values(form),
            note=note,
            error=error,
        ),
    )


@router.post("/notes/{note_id}/void", name="engagement:void")
def void(
    request: Request,
    actor: PageActorDep,
    note: NoteDep,
    form: FormDep,
    session: SessionDep,
    clock: ClockDep,
) -> Response:
    def save() -> URL:
        request_data = validate(
            VoidRequest,
            {"reason": form.get("reason", "")},
            messages={"reason": "Say why this note is void."},
        )
        changes.void_note(
            session, actor=actor, note=note, reason=request_data.reason, now=clock.now()
        )
        return request.url_for("engagement:detail", note_id=note.id)

    return submit_form(
        session,
        save,
        show_again=lambda error: detail_page(request, session, actor=actor, note=note, error=error),
    )


def _note_form(
    request: Request,
    session: Session,
    *,
    actor: Actor,
    person: PersonSupported,
    values: dict[str, Any],
    note: EngagementNote | None = None,
    error: Invalid | None = None,
) -> Response:
    themes = theme_service.active_themes_for_site(session, actor=actor, site_id=person.site_id)
    if note is None and len(themes) == 1:
        values.setdefault("theme_id", str(themes[0].theme.id))
    context = {
        "person": person,
        "note": note,
        "values": values,
        "themes": themes,
        "levels": sorted(EngagementLevel, reverse=True),
        "options": note_form.options(
            session, actor=actor, site_id=person.site_id, themes=themes, values=values
        ),
    }
    return form_page(request, "engagement/form.html", context, errors=error)


def detail_page(
    request: Request,
    session: Session,
    *,
    actor: Actor,
    note: EngagementNote,
    values: dict[str, str] | None = None,
    error: Invalid | None = None,
) -> Response:
    revisions = changes.list_revisions(session, note=note)
    review = reviews.latest_review(session, note=note)
    people_ids = [note.author_id, *(r.author_id for r in revisions)]
    if note.voided_by_id:
        people_ids.append(note.voided_by_id)
    if review:
        people_ids.append(review.reviewer_id)
    can_review = actor.can(SiteCapability.review_notes, note.site_id)
    context = {
        "note": note,
        "person": _person(session, actor, note),
        "revisions": revisions,
        "names": auth_service.user_names(session, people_ids),
        "zone": _zone(session, actor, note.site_id),
        "late": service.is_late(note),
        "needs_review": service.needs_review(note),
        "can_change": changes.may_change(actor, note) and note.voided_at is None,
        "can_review": can_review,
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
        if service.needs_review(note) and can_review
        else [],
        "values": values or {"id": str(uuid.uuid4()), "action.id": str(uuid.uuid4())},
    }
    return form_page(request, "engagement/detail.html", context, errors=error)


def _person(session: Session, actor: Actor, note: EngagementNote) -> PersonSupported:
    return org_service.get_person(session, actor=actor, person_id=note.person_id)


def _zone(session: Session, actor: Actor, site_id: uuid.UUID) -> ZoneInfo:
    return ZoneInfo(org_service.get_site(session, actor=actor, site_id=site_id).time_zone)


@router.get("/sites/{site_id}/quick-picks", name="engagement:quick_picks")
def quick_picks_form(
    request: Request, actor: PageActorDep, site: SiteQuickPicksDep, session: SessionDep
) -> Response:
    picks = quick_picks.for_site(session, actor=actor, site_id=site.id)
    values = {kind.value: "\n".join(labels) for kind, labels in picks.items()}
    return form_page(request, "engagement/quick_picks.html", {"site": site, "values": values})


@router.post("/sites/{site_id}/quick-picks", name="engagement:quick_picks_update")
def quick_picks_update(
    request: Request,
    actor: PageActorDep,
    site: SiteQuickPicksDep,
    form: FormDep,
    session: SessionDep,
    clock: ClockDep,
) -> Response:
    values = {kind.value: str(form.get(kind.value, "")) for kind in QuickPickKind}
    picks = {kind: values[kind.value].splitlines() for kind in QuickPickKind}

    def save() -> URL:
        quick_picks.replace_for_site(
            session, actor=actor, site_id=site.id, picks=picks, now=clock.now()
        )
        return request.url_for("engagement:quick_picks", site_id=site.id).include_query_params(
            saved=1
        )

    return submit_form(
        session,
        save,
        show_again=lambda error: form_page(
            request, "engagement/quick_picks.html", {"site": site, "values": values}, errors=error
        ),
    )


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
