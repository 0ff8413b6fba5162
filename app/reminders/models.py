"""The shifts each member of staff usually works at a site: who a handover reminder is for."""

from __future__ import annotations

import uuid

from sqlmodel import Field, SQLModel


class UsualShift(SQLModel, table=True):
    """A shift (by its name in the site's pattern) the user usually works at the site."""

    __tablename__ = "usual_shift"

    user_id: uuid.UUID = Field(foreign_key="user_account.id", primary_key=True)
    site_id: uuid.UUID = Field(foreign_key="site.id", primary_key=True, index=True)
    shift_name: str = Field(max_length=40, primary_key=True)
