"""Push tests: settings with push on, the fake push service that checks the app's signature,
and a ``delivery`` holding both with two people who may own devices."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlmodel import Session

from app.auth.models import Role
from app.auth.passwords import Passwords
from app.config import Settings
from app.push.keys import vapid_keys
from tests.conftest import settings_for
from tests.push.fake_push_service import FakePushService, fake_push_service
from tests.push.support import Delivery
from tests.support import FrozenClock, make_organisation, make_user

CONTACT = "mailto:test@example.org"


@pytest.fixture
def settings(database_url: str) -> Settings:
    return settings_for(database_url, push_contact=CONTACT, push_allow_local_endpoints=True)


@pytest.fixture
def push_service(
    session: Session, settings: Settings, clock: FrozenClock
) -> Iterator[FakePushService]:
    keys = vapid_keys(session, settings, now=clock.now())
    session.commit()
    with fake_push_service(keys.public_key, CONTACT) as service:
        yield service
    assert service.rejected == []


@pytest.fixture
def delivery(
    session: Session,
    passwords: Passwords,
    settings: Settings,
    clock: FrozenClock,
    push_service: FakePushService,
) -> Delivery:
    organisation = make_organisation(session)
    carer, colleague = (
        make_user(session, passwords, organisation=organisation, role=Role.care_worker)
        for _ in range(2)
    )
    session.commit()
    return Delivery(session, settings, clock, push_service, carer, colleague)
