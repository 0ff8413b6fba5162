"""Answers for errors: ``application/problem+json`` for the API, an error page for people.

One handler per kind of error, registered by ``install_error_handlers``. Expected errors are
``DomainError``s; anything else is logged (without request data) and answered with a plain 500.
"""

from __future__ import annotations

import logging
from copy import deepcopy
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException
from starlette.routing import Route
from starlette.types import Scope

from app.errors import DomainError, FieldError, Invalid
from app.log_config import redact

logger = logging.getLogger("shift_companion")

HTTP_TITLES = {
    400: "Bad request",
    401: "Sign in needed",
    403: "Not allowed",
    404: "Not found",
    405: "Not allowed",
    409: "Conflict",
    413: "Too large",
    422: "Check what you entered",
    429: "Too many attempts",
    500: "Something went wrong",
}


class FieldProblem(BaseModel):
    field: str
    reason: str


class Problem(BaseModel):
    """An error answer (RFC 9457 problem details): ``errors`` names each field that is wrong."""

    type: str = "about:blank"
    title: str
    status: int
    detail: str
    errors: list[FieldProblem] = Field(default_factory=list)


PROBLEM_DESCRIPTIONS = {
    400: "The body could not be read as JSON text.",
    401: "Not signed in, or the session has ended.",
    403: "Your role does not allow this, or the request did not come from this app.",
    404: "No such record among those you may see.",
    409: "This id already holds something else, or the record cannot change any more.",
    413: "The request is too large.",
    422: "Something sent is not valid; `errors` names each field and why.",
    429: "Too many failed attempts: wait for the time in `Retry-After`.",
}


def problem_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI ``responses`` for the problems an operation can answer."""
    return {
        status: {"model": Problem, "description": PROBLEM_DESCRIPTIONS[status]}
        for status in statuses
    }


API_PROBLEMS = problem_responses(401, 403, 404, 413, 422)
"""What any signed-in API operation may answer besides its success."""


def document_problems_as_problem_json(app: FastAPI) -> None:
    """Error answers are ``application/problem+json``; FastAPI would document them as
    ``application/json``, or with no body at all when a route names only a description, so the
    generated document is corrected once, here. An operation that takes a body also answers 400
    when the body is not text FastAPI can parse."""
    generate = app.openapi
    problem = {"schema": {"$ref": "#/components/schemas/Problem"}}
    unreadable = {"description": PROBLEM_DESCRIPTIONS[400]}

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            for operations in generate()["paths"].values():
                for operation in operations.values():
                    if "requestBody" in operation:
                        operation["responses"].setdefault("400", deepcopy(unreadable))
                    for status, response in operation.get("responses", {}).items():
                        if status[0] not in "45":
                            continue
                        content = response.setdefault("content", {})
                        schema = content.pop("application/json", None) or deepcopy(problem)
                        content["application/problem+json"] = schema
        return app.openapi_schema  # type: ignore[return-value]

    app.openapi = openapi  # type: ignore[method-assign]


class SignInRequired(DomainError):
    status_code = 401
    title = "Sign in needed"

    def __init__(self) -> None:
        super().__init__("Sign in to continue.")


def wants_json(scope: Scope) -> bool:
    return scope["path"].startswith("/api/")


def problem(
    status: int, detail: str, *, title: str | None = None, errors: list[FieldError] = ()
) -> JSONResponse:
    body: dict[str, Any] = {
        "type": "about:blank",
        "title": title or HTTP_TITLES.get(status, "Error"),
        "status": status,
        "detail": detail,
    }
    if errors:
        body["errors"] = [{"field": error.field, "reason": error.reason} for error in errors]
    return JSONResponse(body, status_code=status, media_type="application/problem+json")


def error_page(request: Request, status: int, message: str) -> Response:
    from app.web import render  # the template layer imports this module's errors

    return render(
        request,
        "errors/error.html",
        {"title": HTTP_TITLES.get(status, "Error"), "message": message},
        status_code=status,
    )


def problem_or_page(scope: Scope, status: int, message: str) -> Response:
    if wants_json(scope):
        return problem(status, message)
    return error_page(Request(scope), status, message)


def _domain_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, DomainError)
    if isinstance(exc, SignInRequired) and not wants_json(request.scope):
        target = request.url_for("auth:login_form").include_query_params(next=request.url.path)
        return RedirectResponse(target, status_code=303)
    if wants_json(request.scope):
        errors = exc.errors if isinstance(exc, Invalid) else []
        response = problem(exc.status_code, exc.message, title=exc.title, errors=errors)
    else:
        response = error_page(request, exc.status_code, exc.message)
    response.headers.update(exc.headers)
    return response


def _validation_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    errors = [
        FieldError(field=_field_name(error["loc"]), reason=error["msg"]) for error in exc.errors()
    ]
    if wants_json(request.scope):
        return problem(422, "Check the fields named in errors.", errors=errors)
    # Pages validate their own forms; what reaches here is a malformed URL, such as a bad id.
    return error_page(request, 404, "We could not find that.")


def _field_name(location: tuple[Any, ...] | list[Any]) -> str:
    parts = [str(part) for part in location if part not in ("body", "query", "path", "header")]
    return ".".join(parts) or "body"


def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    detail = exc.detail if isinstance(exc.detail, str) else HTTP_TITLES.get(exc.status_code, "")
    if exc.status_code == 404:
        detail = "We could not find that."
    response = problem_or_page(request.scope, exc.status_code, detail)
    if exc.headers:
        response.headers.update(exc.headers)
    if exc.status_code == 405:
        response.headers["Allow"] = ", ".join(_methods_at(request))
    return response


def _methods_at(request: Request) -> list[str]:
    """Every method some route takes at this path: Starlette names only the first route's."""
    methods: set[str] = set()
    for route in request.app.router.routes:
        if isinstance(route, Route) and route.methods and route.path_regex.match(request.url.path):
            methods |= route.methods
    return sorted(methods)


def _unexpected_error(request: Request, exc: Exception) -> Response:
    # Only the route and the kind of error: request bodies may hold personal data.
    logger.error(
        "unexpected %s on %s %s",
        type(exc).__name__,
        request.method,
        redact(request.url.path),
        exc_info=exc,
    )
    return problem_or_page(
        request.scope, 500, "Something went wrong on our side. Nothing was saved."
    )


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(DomainError, _domain_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(HTTPException, _http_error)
    app.add_exception_handler(Exception, _unexpected_error)
