"""Every input field is built from the shared types of ``app/schemas.py``, so a new schema
cannot let a NUL byte reach the store or take ``true`` for a number: every model a client
sends is an ``Input``, each string in it is plain text, each number and yes/no is JSON-typed,
and every string the API takes (bodies and parameters) has a format, a choice or the pattern."""

from __future__ import annotations

import ast
import importlib
import inspect
import pkgutil
import types
import typing
from datetime import date
from enum import Enum
from typing import Annotated, Any

import pytest
from pydantic import BaseModel

import app
from app import forms
from app.main import create_app
from app.schemas import WHOLE_NUMBER, YES_OR_NO, Input, IsoText, JsonTyped, PlainText
from tests.conftest import settings_for

for module in pkgutil.walk_packages(app.__path__, "app."):
    if ".migrations" not in module.name:
        importlib.import_module(module.name)


def input_models() -> list[type[Input]]:
    found: list[type[Input]] = []
    pending: list[type[Input]] = [Input]
    while pending:
        model = pending.pop()
        found.extend(model.__subclasses__())
        pending.extend(model.__subclasses__())
    return sorted(set(found), key=lambda model: model.__qualname__)


def unchecked_leaves(annotation: Any, metadata: tuple[Any, ...] = ()) -> list[str]:
    """The strings, numbers and yes/no answers in a field's type that lack their shared type."""
    if typing.get_origin(annotation) is Annotated:
        inner, *extra = typing.get_args(annotation)
        return unchecked_leaves(inner, (*metadata, *extra))
    arguments = typing.get_args(annotation)
    if arguments:
        leaves = arguments
        if typing.get_origin(annotation) is dict:
            leaves = arguments[1:]  # keys are ids
        return [problem for leaf in leaves for problem in unchecked_leaves(leaf)]
    if annotation in (Any, type(None), types.NoneType) or (
        isinstance(annotation, type) and issubclass(annotation, BaseModel)
    ):
        return []
    wanted: dict[type, Any] = {bool: YES_OR_NO, int: WHOLE_NUMBER, str: PlainText, date: IsoText}
    for kind, marker in wanted.items():
        if isinstance(annotation, type) and issubclass(annotation, kind):
            if isinstance(annotation, type) and issubclass(annotation, Enum) and kind is str:
                return []  # a choice: only its values are taken
            found = [
                item
                for item in metadata
                if (isinstance(marker, type) and isinstance(item, marker))
                or (isinstance(marker, JsonTyped) and item == marker)
            ]
            return [] if found else [f"{annotation.__name__} without {marker!r}"]
    return []


def test_the_walk_finds_the_input_models() -> None:
    names = {model.__name__ for model in input_models()}
    assert {"LoginRequest", "EngagementNoteCreate", "SyncItem", "InvitationInput"} <= names


@pytest.mark.parametrize("model", input_models(), ids=lambda model: model.__qualname__)
def test_every_field_of_an_input_uses_the_shared_types(model: type[Input]) -> None:
    problems = {
        name: found
        for name, field in model.model_fields.items()
        if (found := unchecked_leaves(field.annotation, tuple(field.metadata)))
    }
    assert problems == {}


def test_the_walk_notices_a_bare_string_and_a_lax_number() -> None:
    assert unchecked_leaves(str) == ["str without <class 'app.schemas.PlainText'>"]
    assert unchecked_leaves(list[int]) != []
    assert unchecked_leaves(bool) != []
    assert unchecked_leaves(date | None) != []
    assert unchecked_leaves(Annotated[str, PlainText(multi_line=False)]) == []


def _request_schemas(document: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    found: list[tuple[str, dict[str, Any]]] = []
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            label = f"{method.upper()} {path}"
            for parameter in operation.get("parameters", []):
                found.append((f"{label} {parameter['name']}", parameter["schema"]))
            for media in operation.get("requestBody", {}).get("content", {}).values():
                found.append((f"{label} body", media["schema"]))
    return found


def _strings_without_a_rule(
    schema: dict[str, Any], components: dict[str, Any], where: str, seen: set[str]
) -> list[str]:
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        if name in seen:
            return []
        seen.add(name)
        return _strings_without_a_rule(components[name], components, name, seen)
    problems: list[str] = []
    if schema.get("type") == "string" and not (
        "pattern" in schema or "format" in schema or "enum" in schema or "const" in schema
    ):
        problems.append(where)
    for key in ("anyOf", "oneOf", "allOf", "prefixItems"):
        for part in schema.get(key, []):
            problems += _strings_without_a_rule(part, components, where, seen)
    for name, part in schema.get("properties", {}).items():
        problems += _strings_without_a_rule(part, components, f"{where}.{name}", seen)
    for key in ("items", "additionalProperties"):
        if isinstance(schema.get(key), dict):
            problems += _strings_without_a_rule(schema[key], components, f"{where}[]", seen)
    return problems


def test_every_string_the_api_takes_is_plain_text_or_has_a_format() -> None:
    document = create_app(settings_for("sqlite://")).openapi()
    components = document["components"]["schemas"]
    problems: list[str] = []
    for where, schema in _request_schemas(document):
        problems += _strings_without_a_rule(schema, components, where, set())
    assert problems == []
    bodies = {
        schema["$ref"].rsplit("/", 1)[-1]
        for where, schema in _request_schemas(document)
        if where.endswith(" body") and "$ref" in schema
    }
    assert bodies <= {model.__name__ for model in input_models()}


def _models_validated_by_pages() -> list[tuple[str, Any]]:
    """Every model a module hands to ``app.forms.validate`` by a name of the module, found in its
    source (the sync's handlers hold theirs typed as ``type[Input]``)."""
    found: list[tuple[str, Any]] = []
    for info in pkgutil.walk_packages(app.__path__, "app."):
        if ".migrations" in info.name:
            continue
        module = importlib.import_module(info.name)
        if getattr(module, "validate", None) is not forms.validate:
            continue
        for node in ast.walk(ast.parse(inspect.getsource(module))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id == "validate"
                and node.args
                and ast.unparse(node.args[0]).split(".")[0] in vars(module)
            ):
                target: Any = module
                for name in ast.unparse(node.args[0]).split("."):
                    target = getattr(target, name, None)
                found.append((f"{info.name}: {ast.unparse(node.args[0])}", target))
    return found


def test_every_model_a_page_validates_is_an_input() -> None:
    validated = _models_validated_by_pages()
    assert len(validated) > 10
    assert [where for where, model in validated if not _is_input(model)] == []


def _is_input(model: Any) -> bool:
    return isinstance(model, type) and issubclass(model, Input)
