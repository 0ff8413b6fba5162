"""Reading HTML forms and validating them with the same models the JSON API uses.

A form that fails validation re-renders with the message beside the field, so validation here
turns Pydantic's errors into plain-English ``Invalid`` field errors instead of a raw 422.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any, TypeVar

from fastapi import Depends, Request
from pydantic import ValidationError
from starlette.datastructures import FormData

from app.errors import FieldError, Invalid
from app.schemas import FROM_FORM, Input

Model = TypeVar("Model", bound=Input)


async def read_form(request: Request) -> FormData:
    return await request.form(max_files=0, max_fields=200)


FormDep = Annotated[FormData, Depends(read_form)]


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
