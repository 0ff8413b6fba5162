"""Helpers for the organisation tests: sign a persona in, read what a page or the store says."""

from __future__ import annotations

from httpx import Response
from sqlmodel import Session, col, select
from starlette.testclient import TestClient

from app.audit.models import AuditEvent
from tests.support import World, sign_in


def signed_in(client: TestClient, world: World, persona: str) -> TestClient:
    sign_in(client, world.user(persona))
    return client


def fresh(session: Session) -> Session:
    """The test's session, reading afresh what the app committed: the transaction is ended (so
    no old snapshot) and every loaded row is expired (so no stale copy)."""
    session.rollback()
    session.expire_all()
    return session


def assert_refused_beside(response: Response, field_id: str) -> None:
    """A form that came back with the error summary and the message beside the field."""
    assert response.status_code == 422, response.text
    assert 'class="error-summary"' in response.text
    assert f'href="#{field_id}"' in response.text
    assert f'id="{field_id}-error"' in response.text


def audit_actions(session: Session) -> list[tuple[str, str, str]]:
    events = fresh(session).exec(select(AuditEvent).order_by(col(AuditEvent.at))).all()
    return [(event.action, event.entity, event.summary) for event in events]
