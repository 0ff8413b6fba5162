"""Recording a batch of outbox items, each on its own, through the domains' service functions."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import ValidationError
from sqlmodel import Session

from app.auth.actor import Actor
from app.errors import Conflict, Forbidden, Invalid, NotFound
from app.forms import plain_reason
from app.sync.handlers import HANDLERS
from app.sync.schemas import SyncError, SyncItem, SyncResult, SyncStatus


def sync_batch(
    session: Session, *, actor: Actor, items: list[Any], now: datetime
) -> list[SyncResult]:
    """Record each item in its own savepoint: a refused item changes nothing, and the caller
    commits the rest once."""
    return [_sync_item(session, actor=actor, raw=raw, now=now) for raw in items]


def _sync_item(session: Session, *, actor: Actor, raw: Any, now: datetime) -> SyncResult:
    item_id = str(raw.get("id")) if isinstance(raw, dict) and raw.get("id") is not None else None
    try:
        item = SyncItem.model_validate(raw)
        handler = HANDLERS.get(item.type)
        if handler is None:
            raise Invalid.one("type", f"Unknown kind of record: {item.type[:40]}.")
        data = handler.schema.model_validate({**item.payload, "id": item.id})
        with session.begin_nested():
            saved = handler(session, actor=actor, data=data, now=now)
    except ValidationError as error:
        return _invalid(
            item_id,
            [SyncError(field=_field(e["loc"]), reason=plain_reason(e)) for e in error.errors()],
        )
    except Invalid as error:
        return _invalid(item_id, [SyncError(field=e.field, reason=e.reason) for e in error.errors])
    except Conflict as error:
        return SyncResult(id=item_id, status=SyncStatus.conflict, message=error.message)
    except (Forbidden, NotFound) as error:
        return SyncResult(id=item_id, status=SyncStatus.forbidden, message=error.message)
    status = SyncStatus.created if saved.created else SyncStatus.duplicate
    return SyncResult(id=item_id, status=status)


def _invalid(item_id: str | None, errors: list[SyncError]) -> SyncResult:
    return SyncResult(
        id=item_id, status=SyncStatus.invalid, message="Check what was entered.", errors=errors
    )


def _field(location: tuple[Any, ...]) -> str:
    return ".".join(str(part) for part in location) or "item"
