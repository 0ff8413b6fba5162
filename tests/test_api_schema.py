"""Every API operation, fuzzed from its own OpenAPI description (schemathesis), signed in as a
manager of a small world: no answer is a server error, every status and body is one the
document describes, every content type is the declared one, and invalid input is refused.

Each operation runs a bounded number of derandomized examples, so CI sees the same cases on
every run and the whole file stays within a few minutes on SQLite.
"""

from __future__ import annotations

import pytest
import schemathesis
from fastapi import FastAPI
from hypothesis import HealthCheck, settings
from schemathesis.config import SchemathesisConfig
from sqlmodel import Session
from starlette.testclient import TestClient

from app.main import create_app
from tests.conftest import settings_for
from tests.support import World, api_sign_in

EXAMPLES_PER_OPERATION = 15


@pytest.fixture
def signed_in_manager(app: FastAPI, client: TestClient, world: World, session: Session) -> str:
    """The session cookie of Rosewood's manager, who may do most things at the site."""
    api_sign_in(client, world.manager)
    return client.cookies["shift_session"]


# The document is read from an app of its own: it is the same for every app, and each test
# case is then sent to the test's own app, with its own database.
schema = schemathesis.openapi.from_dict(
    create_app(settings_for("sqlite://")).openapi(),
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
    case: schemathesis.Case, app: FastAPI, signed_in_manager: str
) -> None:
    case.call_and_validate(
        app=app,
        cookies={"shift_session": signed_in_manager},
        headers={"Sec-Fetch-Site": "same-origin"},
    )
