"""What the auth API takes and returns."""

from __future__ import annotations

import uuid
from typing import Annotated

from pydantic import BaseModel, StringConstraints

from app.auth.models import Role
from app.schemas import SINGLE_LINE, Input

Email = Annotated[str, StringConstraints(min_length=1, max_length=254), SINGLE_LINE]
Password = Annotated[str, StringConstraints(min_length=1, max_length=256), SINGLE_LINE]


class LoginRequest(Input):
    email: Email
    password: Password


class SiteRolePublic(BaseModel):
    site_id: uuid.UUID
    roles: list[Role]


class MePublic(BaseModel):
    id: uuid.UUID
    name: str
    email: str
    organisation_id: uuid.UUID
    main_role: Role | None
    organisation_roles: list[Role]
    sites: list[SiteRolePublic]


class PasswordChange(Input):
    current_password: Password
    new_password: Password


class InvitationAcceptance(Input):
    password: Password
    confirm_password: Password
