"""The field types every input schema is built from: what a client may send, checked once.

Every model a client sends (JSON to the API, a phone's outbox item, an HTML form) derives from
``Input``, and each of its fields uses these types, so the same rules hold everywhere:

- Text is plain text. ``SINGLE_LINE`` refuses control characters (NUL and the rest of C0 and C1,
  except tab) and lone surrogates, which PostgreSQL cannot store and no keyboard types;
  ``MULTI_LINE`` also lets through line breaks. Put the marker last, after the length rules:
  ``Annotated[str, StringConstraints(strip_whitespace=True, max_length=200), SINGLE_LINE]``.
- Paging parameters are bounded (``Limit``, ``Offset``): an offset past 2⁶³ is a 422, not a
  database error.
- Dates and times are ISO 8601 text (``IsoDate``, ``IsoDateTime``), never a number.
- Numbers and yes/no answers sent as JSON have their JSON types: ``true`` is not the level 1 and
  ``"2"`` is not a number. HTML forms send only text, so ``app.forms`` validates them with
  ``FROM_FORM`` as context and these fields then read the text as usual.

``tests/test_input_schemas.py`` checks that every input field uses these types.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Annotated, Any

from fastapi import Query
from pydantic import (
    AwareDatetime,
    BaseModel,
    GetCoreSchemaHandler,
    StringConstraints,
    ValidationInfo,
)
from pydantic.json_schema import GetJsonSchemaHandler, JsonSchemaValue
from pydantic_core import PydanticCustomError, core_schema

FROM_FORM = {"from_form": True}
"""Validation context for values read from an HTML form, where everything arrives as text."""

_ALWAYS_REFUSED = "\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f-\\x9f\\ud800-\\udfff"
_LINE_BREAKS = "\\n\\r"
# Lone surrogates are left out of the documented pattern: they are not valid JSON text, and
# some regex engines (Rust's, used by validators) refuse a pattern that names them.
_JSON_ALWAYS_REFUSED = "\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F-\\u009F"


@dataclass(frozen=True)
class PlainText:
    """Refuses control characters in a string; ``multi_line`` lets line breaks through.

    The refused characters are also written into the OpenAPI document as a ``pattern``, so a
    client (or a fuzzer) knows what the server will take.
    """

    multi_line: bool

    @property
    def _line_breaks(self) -> str:
        return "" if self.multi_line else _LINE_BREAKS

    def json_pattern(self) -> str:
        return f"^[^{_JSON_ALWAYS_REFUSED}{self._line_breaks}]*$"

    def check(self, value: str) -> str:
        found = re.search(f"[{_ALWAYS_REFUSED}{self._line_breaks}]", value)
        if found is None:
            return value
        if found[0] in "\n\r":
            raise PydanticCustomError("line_break", "Keep this to one line.")
        allowed = "spaces, tabs and line breaks" if self.multi_line else "spaces and tabs"
        raise PydanticCustomError(
            "control_character",
            "Remove the control character U+{code} from this text: only letters, numbers, "
            "punctuation, {allowed} are taken.",
            {"code": f"{ord(found[0]):04X}", "allowed": allowed},
        )

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        return core_schema.no_info_after_validator_function(self.check, handler(source))

    def __get_pydantic_json_schema__(
        self, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        json_schema = handler(schema)
        json_schema["pattern"] = self.json_pattern()
        return json_schema


SINGLE_LINE = PlainText(multi_line=False)
MULTI_LINE = PlainText(multi_line=True)

Note = Annotated[str, StringConstraints(strip_whitespace=True, max_length=500), MULTI_LINE]
"""A few sentences, which may be left out."""
Reason = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500), MULTI_LINE
]
"""Why a record is changed or made void: kept beside it."""


def control_character_problem(value: str, *, multi_line: bool = False) -> str | None:
    """The reason ``value`` is refused as text, or ``None``: for text split by hand."""
    try:
        PlainText(multi_line).check(value)
    except PydanticCustomError as error:
        return error.message()
    return None


WHOLE = re.compile(r"\s*-?[0-9]+\s*")  # a whole number typed in a form


@dataclass(frozen=True)
class JsonTyped:
    """Refuses a value whose JSON type is not ``kind`` (``true`` for a number, ``"2"`` for a
    number, ``1`` for a yes/no) unless it was read from an HTML form (``FROM_FORM``), where
    every value is text and a whole number must be digits."""

    kind: type
    described: str

    def check(self, value: Any, info: ValidationInfo) -> Any:
        if isinstance(info.context, dict) and info.context.get("from_form"):
            return self._typed(value)
        is_bool = isinstance(value, bool)
        if (self.kind is bool) == is_bool and isinstance(value, self.kind):
            return value
        raise PydanticCustomError("json_type", "Send {described}.", {"described": self.described})

    def _typed(self, value: Any) -> Any:
        """A form sends text: a whole number is its digits as typed. Pydantic alone would also
        read "30.0" and "3_0" as 30, which nobody typing a number of minutes means."""
        if self.kind is int and isinstance(value, str) and not WHOLE.fullmatch(value):
            raise PydanticCustomError(
                "json_type", "Enter {described}.", {"described": self.described}
            )
        return value

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        return core_schema.with_info_before_validator_function(self.check, handler(source))


@dataclass(frozen=True)
class IsoText:
    """Dates and times come as ISO 8601 text. Pydantic alone would also read ``0.5`` or
    ``1700000000`` as a time since 1970, which no client means."""

    shape: str
    described: str

    def check(self, value: Any) -> Any:
        if isinstance(value, date):
            return value
        if isinstance(value, str) and re.match(self.shape, value):
            return value
        raise PydanticCustomError("iso_format", "Write {described}.", {"described": self.described})

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        return core_schema.no_info_before_validator_function(self.check, handler(source))


ISO_DATE = IsoText(r"\d{4}-\d{2}-\d{2}\Z", "a date like 2026-12-01")
ISO_DATE_TIME = IsoText(r"\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}", "a time like 2026-12-01T07:30:00Z")

IsoDate = Annotated[date, ISO_DATE]
IsoDateTime = Annotated[datetime, ISO_DATE_TIME]
AwareIsoDateTime = Annotated[AwareDatetime, ISO_DATE_TIME]

WHOLE_NUMBER = JsonTyped(int, "a whole number, such as 2")
YES_OR_NO = JsonTyped(bool, "true or false")

YesNo = Annotated[bool, YES_OR_NO]


class Input(BaseModel):
    """What a client sends. Subclasses build every field from the types above."""


MAX_OFFSET = 1_000_000
"""Far past the end of any site's list, and far inside the store's 64-bit ``OFFSET``."""

Limit = Annotated[int, Query(ge=1, le=200, description="How many to return at most.")]
Offset = Annotated[int, Query(ge=0, le=MAX_OFFSET, description="How many to skip.")]
