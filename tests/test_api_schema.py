"""Every API operation, fuzzed from its own OpenAPI description (schemathesis), signed in as a
manager of a small world (a quality lead for themes): no answer is a server error, every status
and body is one the document describes, every content type is the declared one, and invalid
input is refused.

Each operation runs a bounded number of derandomized examples, so CI sees the same cases on
every run and the whole file stays within a few minutes on SQLite.
"""

from __future__ import annotations

import uuid

import pytest
import schemathesis
from fastapi import FastAPI
from hypothesis import HealthCheck, settings
from schemathesis.config import SchemathesisConfig
from sqlmodel import Session

from app.config import Settings
from app.engagement import service as engagement_service
from app.engagement.schemas import EngagementNoteCreate
from app.main import create_app
from tests.conftest import settings_for
from tests.observation.helpers import observe
from tests.snapshot.helpers import take_snapshot
from tests.support import START, World, actor_for, api_sign_in, make_bare_handover

EXAMPLES_PER_OPERATION = 15
PUSH_ON = {"push_contact": "mailto:care-it@example.org"}


@pytest.fixture(name="settings")
def settings_with_push(database_url: str) -> Settings:
    """Every feature on, push too, so each operation is tried past its "not turned on"."""
    return settings_for(database_url, **PUSH_ON)


@pytest.fixture
def known_ids(world: World, session: Session) -> dict[str, str]:
    """Ids of records that exist, put in place of the generated ones so that cases get past the
    lookups to the services: a note, an observation, a snapshot and a handover at Rosewood."""
    handover = make_bare_handover(session, site=world.site, lead=world.lead)
    session.commit()
    observation = observe(session, world)
    note = engagement_service.record_engagement_note(
        session,
        actor=actor_for(session, world.carer),
        data=EngagementNoteCreate(id=uuid.uuid4(), person_id=world.person.id, level=2),
        now=START,
    )
    session.commit()
    snapshot = take_snapshot(session, world)
    ids = {
        "site_id": world.site.id,
        "person_id": world.person.id,
        "theme_id": world.theme.id,
        "handover_id": handover.id,
        "observation_id": observation.id,
        "note_id": note.record.id,
        "snapshot_id": snapshot.id,
        "observed_user_id": world.carer.id,
        "owner_id": world.carer.id,
        "user_id": world.carer.id,
    }
    return {name: str(value) for name, value in ids.items()}


def with_known_ids(case: schemathesis.Case, ids: dict[str, str]) -> None:
    """Path and query parameters and top-level body ids name existing records where the names
    match (the indicators take their theme and site from the query). Only in cases meant to be
    valid: a case made invalid on purpose stays as it was made."""
    if case.meta is None or not case.meta.generation.mode.is_positive:
        return
    for parameters in (case.path_parameters, case.query):
        for name in parameters or {}:
            if name in ids:
                parameters[name] = ids[name]
    if isinstance(case.body, dict):
        for name, value in case.body.items():
            if name in ids and isinstance(value, str):
                case.body[name] = ids[name]


@pytest.fixture
def session_cookies(make_client, world: World) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """Session cookies by persona: Rosewood's manager may do most things at the site; themes
    are the quality lead's."""
    cookies = {}
    for persona in ("manager", "quality"):
        cookies[persona] = api_sign_in(make_client(), world.user(persona)).cookies["shift_session"]
    return cookies


def persona_for(case: schemathesis.Case) -> str:
    return "quality" if case.path.startswith("/api/v1/themes") else "manager"


# The document is read from an app of its own: it is the same for every app, and each test
# case is then sent to the test's own app, with its own database.
schema = schemathesis.openapi.from_dict(
    create_app(settings_for("sqlite://", **PUSH_ON)).openapi(),
    config=SchemathesisConfig.from_dict(
        {
            "checks": {
                # The schema gives each field's shape; whether a person is supported at your
                # site, or a reason goes with restrictive practice, only the server can say,
                # and it answers 422 naming the field. Every other expectation is the default.
                "positive_data_acceptance": {
                    "expected-statuses": ["2xx", "401", "403", "404", "409", "422", "429"]
                }
            }
        }
    ),
)


@schema.parametrize()
@settings(
    max_examples=EXAMPLES_PER_OPERATION,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_every_operation_keeps_to_its_schema(
    case: schemathesis.Case,
    app: FastAPI,
    session_cookies: dict[str, str],
    known_ids: dict[str, str],
) -> None:
    with_known_ids(case, known_ids)
    case.call_and_validate(
        app=app,
        cookies={"shift_session": session_cookies[persona_for(case)]},
        headers={"Sec-Fetch-Site": "same-origin"},
    )


def test_every_error_an_operation_documents_is_a_problem() -> None:
    document = create_app(settings_for("sqlite://")).openapi()
    problem = {"$ref": "#/components/schemas/Problem"}
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            responses = operation["responses"]
            errors = {status: body for status, body in responses.items() if status[0] in "45"}
            label = f"{method.upper()} {path}"
            if path.startswith("/api/v1/"):
                assert {"403", "413"} <= errors.keys(), label
            if "requestBody" in operation:
                assert {"400", "422"} <= errors.keys(), label
            for status, body in errors.items():
                assert body["content"] == {"application/problem+json": {"schema": problem}}, (
                    f"{label} {status}"
                )
