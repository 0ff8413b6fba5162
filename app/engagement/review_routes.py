"""Pages for a manager's review of restrictive practice: the notes waiting at a site, and the
review itself, made on the note's page (``detail_page``)."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from fastapi import APIRouter, Request, Response

from app.auth import service as auth_service
from app.auth.dependencies import PageActorDep
from app.clock import ClockDep
from app.db import SessionDep
from app.engagement import review as reviews
from app.engagement import service
from app.engagement.dependencies import NoteDep, SiteToReviewDep
from app.engagement.routes import detail_page
from app.engagement.schemas import ReviewCreate
from app.forms import FormDep, submit_form, validate
from app.org import service as org_service
from app.web import render

router = APIRouter(tags=["engagement"], include_in_schema=False)

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


@router.post("/notes/{note_id}/review", name="engagement:review")
def review(
    request: Request,
    actor: PageActorDep,
    note: NoteDep,
    form: FormDep,
    session: SessionDep,
    clock: ClockDep,
) -> Response:
    """A manager's review of the note's restrictive practice; the note's page then shows it."""
    values = {name: str(form.get(name, "")) for name in REVIEW_FIELDS}
    action = {name: values[f"action.{name}"] for name in ("id", "description", "owner_id")}
    set_action = action["description"] or action["owner_id"]

    def save() -> str:
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
        return f"{request.url_for('engagement:detail', note_id=note.id)}#review"

    return submit_form(
        session,
        save,
        show_again=lambda error: detail_page(
            request, session, actor=actor, note=note, values=values, error=error
        ),
    )


@router.get("/sites/{site_id}/notes/to-review", name="engagement:review_list")
def review_list(
    request: Request, actor: PageActorDep, site: SiteToReviewDep, session: SessionDep
) -> Response:
    notes = service.notes_to_review(session, actor=actor, site_id=site.id)
    people = {
        person.id: person
        for person in org_service.list_people(
            session, actor=actor, site_id=site.id, include_inactive=True
        )
    }
    return render(
        request,
        "engagement/review.html",
        {
            "site": site,
            "notes": notes,
            "people": people,
            "names": auth_service.user_names(session, (note.author_id for note in notes)),
            "zone": ZoneInfo(site.time_zone),
        },
    )
