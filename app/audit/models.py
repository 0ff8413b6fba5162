"""The audit event table."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlmodel import Field, SQLModel


class AuditEvent(SQLModel, table=True):
    __tablename__ = "audit_event"

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    organisation_id: uuid.UUID = Field(foreign_key="organisation.id", index=True)
    site_id: uuid.UUID | None = Field(default=None, foreign_key="site.id", index=True)
    actor_id: uuid.UUID | None = Field(default=None, foreign_key="user_account.id")
    action: str = Field(max_length=40)
    entity: str = Field(max_length=40)
    entity_id: uuid.UUID = Field(index=True)
    at: datetime = Field(index=True)
    summary: str = Field(default="", max_length=200)
