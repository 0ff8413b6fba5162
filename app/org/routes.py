"""Pages and API for sites, shift patterns, people supported and staff."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(tags=["org"], include_in_schema=False)
api_router = APIRouter(tags=["sites"])
