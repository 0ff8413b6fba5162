"""Form pages: reading HTML forms, validating them with the same models the JSON API uses, and
the one way a form page answers.

Every form page answers in one of three ways (``form_page`` and ``submit_form``): the form
(200); the form again (422) with what was typed and each message beside its field, nothing
saved; or, once saved, a 303 to the page that shows the result, so a reload does not post again.
Validation here turns Pydantic's errors into plain-English ``Invalid`` field errors instead of a
raw 422.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Annotated, Any, TypeVar
from zoneinfo import ZoneInfo

from fastapi import Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError
from sqlmodel import Session
from starlette.datastructures import URL, FormData

from app.errors import FieldError, Invalid
from app.schemas import FROM_FORM, Input
from app.web import render

Model = TypeVar("Model", bound=Input)


async def read_form(request: Request) -> FormData:
    return await request.form(max_files=0, max_fields=200)


FormDep = Annotated[FormData, Depends(read_form)]


def form_page(
    request: Request,
    template: str,
    context: Mapping[str, Any],
    *,
    errors: Invalid | Mapping[str, str] | None = None,
) -> HTMLResponse:
    """A page with a form: at 200, or at 422 with ``errors`` (field → reason) beside the fields.
    ``context`` carries what the form shows: the saved values, or what was typed."""
    by_field = errors.by_field() if isinstance(errors, Invalid) else dict(errors or {})
    page = {**context, "errors": by_field}
    return render(request, template, page, status_code=422 if by_field else 200)


def submit_form(
    session: Session,
    save: Callable[[], URL | str | Response],
    *,
    show_again: Callable[[Invalid], Response],
) -> Response:
    """Run ``save`` for a posted form. It answers where to go next (a 303 there) or, when the
    page answers itself (a cookie to set, a link to show once), the response. When a field is
    wrong, what ``save`` wrote is dropped and ``show_again`` renders the form with the errors."""
    try:
        done = save()
    except Invalid as error:
        session.rollback()  # a refusal after a flush (an action after its observation) keeps nothing
        return show_again(error)
    if isinstance(done, Response):
        return done
    return RedirectResponse(str(done), status_code=303)


LOCAL_TIME_FORMAT = "%Y-%m-%dT%H:%M"  # what a ``datetime-local`` input posts


def local_time(value: str | None, zone: ZoneInfo, *, field: str) -> datetime | None:
    """A date and time typed on a page, read in the site's time zone; blank is ``None``."""
    if value is None:
        return None
    try:
        return datetime.strptime(value, LOCAL_TIME_FORMAT).replace(tzinfo=zone)
    except ValueError:
        raise Invalid.one(field, "Enter a date and time, like 23/11/2026 14:30.") from None


EMPTY = "This cannot be empty."


def validate(
    model: type[Model],
    data: dict[str, Any],
    *,
    messages: Mapping[str, str] | None = None,
    from_form: bool = True,
    empty: Mapping[str, str] | None = None,
) -> Model:
    """Validate form values; ``messages`` replaces the reason for a field with a page's own
    words, and ``empty`` the reason when a required field was left empty (so an empty field is
    never told to be shorter: "Write your reflection.", not "at most 1000 characters").

    Form values are all text, so numbers and yes/no answers are read from text; JSON from a
    client (``from_form=False``, as the outbox sends) must give them their JSON types.
    """
    try:
        return model.model_validate(data, context=FROM_FORM if from_form else None)
    except ValidationError as error:
        raise Invalid(
            [_field_error(detail, messages or {}, empty or {}) for detail in error.errors()]
        ) from None


def _field_error(detail: Any, messages: Mapping[str, str], empty: Mapping[str, str]) -> FieldError:
    field = ".".join(str(part) for part in detail["loc"]) or "form"
    reason = plain_reason(detail)
    if reason == EMPTY and field in empty:
        return FieldError(field=field, reason=empty[field])
    return FieldError(field=field, reason=messages.get(field, reason))


def plain_reason(detail: Any) -> str:
    """Pydantic's message, in the words we use on forms."""
    kind = detail["type"]
    context = detail.get("ctx") or {}
    if kind == "missing" or (kind == "string_too_short" and context.get("min_length") == 1):
        return EMPTY
    if kind == "string_too_long":
        return f"Use at most {context['max_length']} characters."
    if kind == "string_too_short":
        return f"Use at least {context['min_length']} characters."
    if kind in ("uuid_parsing", "uuid_type", "enum", "literal_error"):
        return "Choose one of the options."
    if kind in ("time_parsing", "time_type"):
        return "Enter a time like 07:00."
    if kind in ("date_from_datetime_parsing", "date_parsing", "date_type"):
        return "Enter a date like 2026-12-01."
    if kind == "value_error":
        return str(context.get("error", detail["msg"]))
    return str(detail["msg"])
