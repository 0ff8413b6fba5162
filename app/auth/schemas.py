"""What the auth API takes and returns."""

from __future__ import annotations

import uuid

from pydantic import BaseModel, Field

from app.auth.models import Role


class LoginRequest(BaseModel):
    email: str = Field(min_length=1, max_length=254)
    password: str = Field(min_length=1, max_length=256)


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


class PasswordChange(BaseModel):
    current_password: str = Field(min_length=1, max_length=256)
    new_password: str = Field(min_length=1, max_length=256)


class InvitationAcceptance(BaseModel):
    password: str = Field(min_length=1, max_length=256)
    confirm_password: str = Field(min_length=1, max_length=256)
