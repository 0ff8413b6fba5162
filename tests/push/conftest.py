"""Push tests run with push on, as a service with ``SHIFT_PUSH_CONTACT`` set."""

from __future__ import annotations

import pytest

from app.config import Settings
from tests.conftest import settings_for

CONTACT = "mailto:care-it@example.org"


@pytest.fixture
def settings(database_url: str) -> Settings:
    return settings_for(database_url, push_contact=CONTACT)
