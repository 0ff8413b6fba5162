"""Tables of the organisation: organisations, sites, shifts, people supported."""

from __future__ import annotations

import uuid
from datetime import datetime, time
from enum import StrEnum

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from app.db import text_enum


class SiteKind(StrEnum):
    care_home = "care_home"
    supported_living = "supported_living"
    home_care = "home_care"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()


class Organisation(SQLModel, table=True):
    __tablename__ = "organisation"

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    name: str = Field(max_length=200)
    created_at: datetime


class Site(SQLModel, table=True):
    __tablename__ = "site"
    __table_args__ = (UniqueConstraint("organisation_id", "name"),)

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    organisation_id: uuid.UUID = Field(foreign_key="organisation.id", index=True)
    name: str = Field(max_length=120)
    kind: SiteKind = Field(default=SiteKind.care_home, sa_type=text_enum(SiteKind))
    time_zone: str = Field(default="Europe/London", max_length=64)
    created_at: datetime
    # Minutes before a handover its incoming staff are reminded; none: the settings' default.
    handover_reminder_minutes: int | None = None


class Shift(SQLModel, table=True):
    """A named shift in a site's pattern, in the site's local time; it may cross midnight."""

    __tablename__ = "shift"
    __table_args__ = (UniqueConstraint("site_id", "name"),)

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    site_id: uuid.UUID = Field(foreign_key="site.id", index=True)
    name: str = Field(max_length=40)
    starts_at: time
    ends_at: time
    position: int = 0


class PersonSupported(SQLModel, table=True):
    """Someone the site supports. Only what staff need to pick them: no clinical data."""

    __tablename__ = "person_supported"

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    site_id: uuid.UUID = Field(foreign_key="site.id", index=True)
    preferred_name: str = Field(max_length=80)
    room: str = Field(default="", max_length=40)
    active: bool = True
    created_at: datetime


class UsualShift(SQLModel, table=True):
    """A shift (by its name in the site's pattern) a member of staff usually works at the site:
    who is reminded of its handover, and who is asked to acknowledge it."""

    __tablename__ = "usual_shift"

    user_id: uuid.UUID = Field(foreign_key="user_account.id", primary_key=True)
    site_id: uuid.UUID = Field(foreign_key="site.id", primary_key=True, index=True)
    shift_name: str = Field(max_length=40, primary_key=True)
