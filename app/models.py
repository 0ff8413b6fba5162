"""Every domain's tables, imported once so Alembic and the tests see the whole schema."""

from sqlmodel import SQLModel

from app.action.models import FollowUpAction
from app.audit.models import AuditEvent
from app.auth.models import AuthSession, Invitation, LoginFailure, Membership, User
from app.engagement.models import (
    EngagementNote,
    EngagementNoteRevision,
    QuickPick,
    RestrictivePracticeReview,
)
from app.governance.models import (
    DriftAlert,
    GovernanceCriteria,
    IndicatorWeek,
    LifecycleProposal,
)
from app.handover.models import (
    Handover,
    HandoverAcknowledgement,
    HandoverAmendment,
    HandoverAttendance,
    HandoverEntry,
    HandoverPromptResponse,
)
from app.inbox.models import Notification, NotificationPreference
from app.observation.models import Observation, ObservationRating
from app.org.models import Organisation, PersonSupported, Shift, Site, UsualShift
from app.push.models import PushAttempt, PushMessage, PushSubscription, VapidKeys
from app.record_weeks import SiteWeekVersion
from app.snapshot.models import InteractionSnapshot
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
    "DriftAlert",
    "EngagementNote",
    "EngagementNoteRevision",
    "FollowUpAction",
    "GovernanceCriteria",
    "Handover",
    "HandoverAcknowledgement",
    "HandoverAmendment",
    "HandoverAttendance",
    "HandoverEntry",
    "HandoverPrompt",
    "HandoverPromptResponse",
    "IndicatorWeek",
    "InteractionSnapshot",
    "Invitation",
    "LearningTheme",
    "LifecycleProposal",
    "LoginFailure",
    "Membership",
    "Notification",
    "NotificationPreference",
    "Observation",
    "ObservationRating",
    "Organisation",
    "PersonSupported",
    "PushAttempt",
    "PushMessage",
    "PushSubscription",
    "QuickPick",
    "RestrictivePracticeReview",
    "Shift",
    "Site",
    "SiteWeekVersion",
    "ThemeRevision",
    "ThemeSite",
    "ThemeTransition",
    "User",
    "UsualShift",
    "VapidKeys",
    "metadata",
]
