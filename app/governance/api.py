"""The governance API: indicator rows as JSON, or as CSV for a provider's BI tool."""

from __future__ import annotations

import csv
import io
from typing import Any

from fastapi import APIRouter, Request, Response

from app.db import SessionDep
from app.governance.columns import CSV_HEADER
from app.governance.dependencies import IndicatorScopeDep
from app.governance.indicators import IndicatorRow, indicator_rows
from app.governance.schemas import IndicatorPage
from app.problems import problem_responses

api_router = APIRouter(prefix="/governance", tags=["governance"])

CSV = "text/csv"


def wants_csv(request: Request) -> bool:
    return CSV in request.headers.get("accept", "")


def csv_text(rows: list[IndicatorRow]) -> str:
    """The rows under the same column names as the JSON; an empty cell where JSON has null."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_HEADER, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(row.as_dict() for row in rows)
    return out.getvalue()


@api_router.get(
    "/indicators",
    name="governance_api:indicators",
    response_model=IndicatorPage,
    responses={
        200: {
            "description": "The rows; as CSV with the same columns when you send "
            "`Accept: text/csv`.",
            "content": {CSV: {"schema": {"type": "string"}}},
        },
        **problem_responses(403, 404, 422),
    },
)
def api_indicators(scope: IndicatorScopeDep, session: SessionDep, request: Request) -> Any:
    """A learning theme's indicators per site, ISO week, shift and kind of day. Managers read
    their sites; quality leads and admins every site of the organisation."""
    rows = indicator_rows(session, scope=scope)
    if wants_csv(request):
        name = f"indicators-{scope.weeks.first}-{scope.weeks.end}.csv"
        return Response(
            csv_text(rows),
            media_type=CSV,
            headers={"Content-Disposition": f'attachment; filename="{name}"'},
        )
    return IndicatorPage(rows=[row.as_dict() for row in rows])
