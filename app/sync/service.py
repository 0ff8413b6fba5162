"""Recording a batch of outbox items through the domains' service functions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from itertools import groupby
from typing import Any

from pydantic import BaseModel
from sqlmodel import Session

from app.auth.actor import Actor
from app.errors import Conflict, DomainError, Invalid
from app.forms import validate
from app.sync.handlers import HANDLERS, Handler, Outcome
from app.sync.schemas import SyncError, SyncItem, SyncResult, SyncStatus


@dataclass(frozen=True)
class _Readable:
    """An item whose type is known and whose payload passed its schema."""

    item_id: str
    handler: Handler
    data: BaseModel


def sync_batch(
    session: Session, *, actor: Actor, items: list[Any], now: datetime
) -> list[SyncResult]:
    """Answer each item on its own, in the order sent; the caller commits once.

    Items are read one by one, so a corrupt item gets its own answer. Consecutive items of one
    type go to their service together: a run of notes is checked note by note and written in
    one go. A refused item changes nothing.
    """
    read = [_read(raw) for raw in items]
    results: list[SyncResult] = []
    for handler, run in groupby(read, key=_handler_of):
        entries = list(run)
        if handler is None:
            results.extend(entry for entry in entries if isinstance(entry, SyncResult))
            continue
        readable = [entry for entry in entries if isinstance(entry, _Readable)]
        outcomes = handler.record_many(
            session, actor=actor, items=[entry.data for entry in readable], now=now
        )
        results.extend(
            _answer(entry.item_id, outcome)
            for entry, outcome in zip(readable, outcomes, strict=True)
        )
    return results


def _read(raw: Any) -> _Readable | SyncResult:
    item_id = str(raw.get("id")) if isinstance(raw, dict) and raw.get("id") is not None else None
    try:
        item = validate(SyncItem, raw, from_form=False)
        handler = HANDLERS.get(item.type)
        if handler is None:
            raise Invalid.one("type", f"Unknown kind of record: {item.type[:40]}.")
        data = validate(handler.schema, {**item.payload, "id": item.id}, from_form=False)
    except Invalid as error:
        return _answer(item_id, error)
    return _Readable(item_id=item.id, handler=handler, data=data)


def _handler_of(entry: _Readable | SyncResult) -> Handler | None:
    return entry.handler if isinstance(entry, _Readable) else None


def _answer(item_id: str | None, outcome: Outcome) -> SyncResult:
    if isinstance(outcome, Invalid):
        errors = [SyncError(field=e.field, reason=e.reason) for e in outcome.errors]
        return SyncResult(
            id=item_id, status=SyncStatus.invalid, message="Check what was entered.", errors=errors
        )
    if isinstance(outcome, Conflict):
        return SyncResult(id=item_id, status=SyncStatus.conflict, message=outcome.message)
    if isinstance(outcome, DomainError):
        return SyncResult(id=item_id, status=SyncStatus.forbidden, message=outcome.message)
    status = SyncStatus.created if outcome.created else SyncStatus.duplicate
    return SyncResult(id=item_id, status=status)
