"""The API explorer at ``/api/docs`` (development only), served from the vendored Swagger UI so
it works offline and under the same strict Content-Security-Policy as every page."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from app.web import render

router = APIRouter(include_in_schema=False)


@router.get("/api/docs", name="api:docs")
def api_docs(request: Request) -> HTMLResponse:
    return render(request, "api_docs.html")
