"""Writing audit events. Every create, amend, void, transition and access change calls this."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlmodel import Session

from app.audit.models import AuditEvent


def record_event(
    session: Session,
    *,
    organisation_id: uuid.UUID,
    actor_id: uuid.UUID | None,
    action: str,
    entity: str,
    entity_id: uuid.UUID,
    at: datetime,
    site_id: uuid.UUID | None = None,
    summary: str = "",
) -> AuditEvent:
    """Append an event. ``summary`` is built by the caller from codes and counts, never from
    free text typed about a person."""
    event = AuditEvent(
        organisation_id=organisation_id,
        site_id=site_id,
        actor_id=actor_id,
        action=action,
        entity=entity,
        entity_id=entity_id,
        at=at,
        summary=summary[:200],
    )
    session.add(event)
    return event
