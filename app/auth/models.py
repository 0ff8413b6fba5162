"""Tables of accounts: users, their roles and memberships, server-side sessions, invitations and
sign-in failures.

Roles and memberships live here, beside the accounts they belong to, so the Actor and the
permission table need nothing from ``org``: ``org`` builds on ``auth``, never the reverse.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from app.db import text_enum


class Role(StrEnum):
    care_worker = "care_worker"
    team_lead = "team_lead"
    manager = "manager"
    quality_lead = "quality_lead"
    admin = "admin"

    @property
    def label(self) -> str:
        return ROLE_LABELS[self]


ROLE_LABELS = {
    Role.care_worker: "Care worker",
    Role.team_lead: "Team lead",
    Role.manager: "Manager",
    Role.quality_lead: "Quality lead",
    Role.admin: "Admin",
}


class User(SQLModel, table=True):
    __tablename__ = "user_account"

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    organisation_id: uuid.UUID = Field(foreign_key="organisation.id", index=True)
    email: str = Field(max_length=254, unique=True)
    name: str = Field(max_length=120)
    password_hash: str = Field(max_length=255)
    active: bool = True
    created_at: datetime
    password_changed_at: datetime


class AuthSession(SQLModel, table=True):
    """A signed-in device. The cookie holds a random token; only its keyed hash is stored."""

    __tablename__ = "auth_session"

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    token_hash: str = Field(max_length=64, unique=True)
    user_id: uuid.UUID = Field(foreign_key="user_account.id", index=True)
    created_at: datetime
    last_seen_at: datetime
    expires_at: datetime
    revoked_at: datetime | None = None


class Invitation(SQLModel, table=True):
    """A single-use link inviting someone to a site (or the organisation) with a role."""

    __tablename__ = "invitation"

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    organisation_id: uuid.UUID = Field(foreign_key="organisation.id", index=True)
    site_id: uuid.UUID | None = Field(default=None, foreign_key="site.id", index=True)
    role: Role = Field(sa_type=text_enum(Role))
    email: str = Field(max_length=254)
    name: str = Field(max_length=120)
    token_hash: str = Field(max_length=64, unique=True)
    invited_by_id: uuid.UUID = Field(foreign_key="user_account.id")
    created_at: datetime
    expires_at: datetime
    accepted_at: datetime | None = None
    revoked_at: datetime | None = None


class LoginFailure(SQLModel, table=True):
    """A failed sign-in, keyed by a hash of the account or of the client address."""

    __tablename__ = "login_failure"

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    key: str = Field(max_length=64, index=True)
    at: datetime = Field(index=True)


class Membership(SQLModel, table=True):
    """A user's role at one site, or across the whole organisation when ``site_id`` is empty."""

    __tablename__ = "membership"
    __table_args__ = (UniqueConstraint("user_id", "site_id"),)

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    user_id: uuid.UUID = Field(foreign_key="user_account.id", index=True)
    organisation_id: uuid.UUID = Field(foreign_key="organisation.id", index=True)
    site_id: uuid.UUID | None = Field(default=None, foreign_key="site.id", index=True)
    role: Role = Field(sa_type=text_enum(Role))
    created_at: datetime
