"""Writing audit events. Every create, amend, void, transition and access change calls this."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Protocol

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


class SiteRecord(Protocol):
    """Any record of a site: it knows its organisation, its site and its id."""

    id: uuid.UUID
    organisation_id: uuid.UUID
    site_id: uuid.UUID


def record_site_event(
    session: Session,
    *,
    actor_id: uuid.UUID,
    record: SiteRecord,
    entity: str,
    action: str,
    at: datetime,
    summary: str = "",
) -> AuditEvent:
    """An event about a record that belongs to a site (a note, an observation, an action)."""
    return record_event(
        session,
        organisation_id=record.organisation_id,
        site_id=record.site_id,
        actor_id=actor_id,
        action=action,
        entity=entity,
        entity_id=record.id,
        at=at,
        summary=summary,
    )
