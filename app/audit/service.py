"""Writing audit events. Every create, amend, void, transition and access change calls this."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any, Protocol

from sqlmodel import Session, insert

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
) -> None:
    """Append an event. ``summary`` is built by the caller from codes and counts, never from
    free text typed about a person."""
    session.add(
        AuditEvent(
            **_values(
                organisation_id=organisation_id,
                site_id=site_id,
                actor_id=actor_id,
                action=action,
                entity=entity,
                entity_id=entity_id,
                at=at,
                summary=summary,
            )
        )
    )


def _values(*, summary: str, **fields: Any) -> dict[str, Any]:
    """An event row, with its summary cut to the column's length."""
    return {"id": uuid.uuid4(), **fields, "summary": summary[:200]}


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
) -> None:
    """An event about a record that belongs to a site (a note, an observation, an action)."""
    record_event(
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


def record_site_events(
    session: Session,
    *,
    actor_id: uuid.UUID,
    rows: Sequence[tuple[Mapping[str, Any], str]],
    entity: str,
    action: str,
    at: datetime,
) -> None:
    """The same event about many records of sites, in one statement: a sync batch's new notes.
    Each record comes as its row (with ``organisation_id``, ``site_id`` and ``id``) and the
    event's summary."""
    if rows:
        session.connection().execute(
            insert(AuditEvent.__table__),  # type: ignore[attr-defined]
            [
                _values(
                    organisation_id=row["organisation_id"],
                    site_id=row["site_id"],
                    actor_id=actor_id,
                    action=action,
                    entity=entity,
                    entity_id=row["id"],
                    at=at,
                    summary=summary,
                )
                for row, summary in rows
            ],
        )
