"""The application: ``create_app()`` wires settings, database, routers, middleware and errors."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.middleware.gzip import GZipMiddleware

from app.action.api import api_router as action_api
from app.action.routes import router as action_pages
from app.auth.passwords import Passwords
from app.auth.routes import api_router as auth_api
from app.auth.routes import me_router
from app.auth.routes import router as auth_pages
from app.clock import Clock, SystemClock
from app.config import Settings, get_settings
from app.db import make_engine
from app.engagement.api import api_router as engagement_api
from app.engagement.review_routes import router as engagement_review_pages
from app.engagement.routes import TEMPLATE_NAMES as ENGAGEMENT_TEMPLATE_NAMES
from app.engagement.routes import router as engagement_pages
from app.governance.api import api_router as governance_api
from app.governance.meeting_routes import router as meeting_pages
from app.governance.move_routes import api_router as move_api
from app.governance.move_routes import router as move_pages
from app.governance.routes import router as governance_pages
from app.handover.api import api_router as handover_api
from app.handover.routes import TEMPLATE_NAMES as HANDOVER_TEMPLATE_NAMES
from app.handover.routes import router as handover_pages
from app.health import router as health_router
from app.home.routes import router as home_pages
from app.inbox.routes import router as inbox_pages
from app.inbox.service import unread_count
from app.observation.api import api_router as observation_api
from app.observation.routes import router as observation_pages
from app.org.api import api_router as org_api
from app.org.routes import router as org_pages
from app.org.service import page_header
from app.org.staff_routes import router as staff_pages
from app.problems import API_PROBLEMS, document_problems_as_problem_json, install_error_handlers
from app.push.api import api_router as push_api
from app.push.routes import ACCOUNT_SECTION as DEVICES_SECTION
from app.push.routes import router as push_pages
from app.push.service import forget_signed_out_devices
from app.pwa.routes import router as pwa_pages
from app.reminders.routes import router as reminder_pages
from app.security import SecurityMiddleware
from app.snapshot.api import api_router as snapshot_api
from app.snapshot.routes import router as snapshot_pages
from app.sync.api import api_router as sync_api
from app.theme.api import api_router as theme_api
from app.theme.routes import router as theme_pages
from app.web import STATIC_DIR, TEMPLATE_NAMES, VersionedStaticFiles, register_template_names


def create_app(settings: Settings | None = None, *, clock: Clock | None = None) -> FastAPI:
    settings = settings or get_settings()
    logging.basicConfig(level=settings.log_level, format="%(levelname)s %(name)s %(message)s")
    engine = make_engine(settings.database_url)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        engine.dispose()

    app = FastAPI(
        title="Shift Companion",
        version="0.1.0",
        summary="Handovers, engagement-quality notes, walk-round observations and snapshots.",
        openapi_url="/api/openapi.json" if settings.is_development else None,
        docs_url=None,
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.engine = engine
    app.state.clock = clock or SystemClock()
    app.state.passwords = Passwords(settings)
    app.state.page_header = page_header  # what every page shows of its site (auth/dependencies)
    # What other domains add to the account page and to signing out (auth/account.py).
    app.state.account_sections = [DEVICES_SECTION]
    app.state.sign_ins_ended_hooks = [forget_signed_out_devices]
    app.state.unread_count = unread_count  # the count on every page's bell (auth/dependencies)

    install_error_handlers(app)
    app.add_middleware(GZipMiddleware, minimum_size=1000)
    app.add_middleware(SecurityMiddleware, trusted_origins=settings.trusted_origins)
    app.mount("/static", VersionedStaticFiles(directory=STATIC_DIR), name="static")
    register_template_names(TEMPLATE_NAMES, ENGAGEMENT_TEMPLATE_NAMES, HANDOVER_TEMPLATE_NAMES)
    for router in (
        health_router,
        pwa_pages,
        auth_pages,
        home_pages,
        org_pages,
        staff_pages,
        theme_pages,
        engagement_pages,
        engagement_review_pages,
        handover_pages,
        observation_pages,
        snapshot_pages,
        action_pages,
        governance_pages,
        meeting_pages,
        move_pages,
        push_pages,
        inbox_pages,
        reminder_pages,
    ):
        app.include_router(router)
    app.include_router(auth_api, prefix="/api/v1")
    for router in (
        me_router,
        org_api,
        theme_api,
        move_api,
        engagement_api,
        handover_api,
        observation_api,
        snapshot_api,
        action_api,
        governance_api,
        sync_api,
        push_api,
    ):
        app.include_router(router, prefix="/api/v1", responses=API_PROBLEMS)
    document_problems_as_problem_json(app)
    if settings.is_development:
        from app.api_docs import router as docs_router

        app.include_router(docs_router)
    return app
