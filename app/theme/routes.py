"""Pages and API for learning themes."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(tags=["themes"], include_in_schema=False)
api_router = APIRouter(prefix="/themes", tags=["themes"])
