"""Every domain's tables, imported once so Alembic and the tests see the whole schema."""

from sqlmodel import SQLModel

from app.audit.models import AuditEvent
from app.auth.models import AuthSession, Invitation, LoginFailure, User
from app.org.models import Membership, Organisation, PersonSupported, Shift, Site
from app.theme.models import (
    Behaviour,
    HandoverPrompt,
    LearningTheme,
    ThemeRevision,
    ThemeSite,
    ThemeTransition,
)

metadata = SQLModel.metadata

__all__ = [
    "AuditEvent",
    "AuthSession",
    "Behaviour",
    "HandoverPrompt",
    "Invitation",
    "LearningTheme",
    "LoginFailure",
    "Membership",
    "Organisation",
    "PersonSupported",
    "Shift",
    "Site",
    "ThemeRevision",
    "ThemeSite",
    "ThemeTransition",
    "User",
    "metadata",
]
