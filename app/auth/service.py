"""Signing in and out, server-side sessions, throttling, password changes.

Rules:
- The session cookie carries a random 256-bit token; the database keeps only its keyed hash.
- A session ends after ``session_idle_minutes`` without use or ``session_absolute_hours`` after
  sign-in, at sign-out, and when its user is deactivated or changes password.
- Failed sign-ins are counted per account and per client address, over
  ``login_window_minutes``. After ``login_max_failures`` for one account, or
  ``login_max_failures_per_address`` from one address (a care home's staff share one Wi-Fi, so
  that limit is higher), sign-in is refused until enough failures have aged out of the window;
  the answer says when (``Retry-After``). It never says whether the email has an account.
"""

from __future__ import annotations

import hashlib
import hmac
import math
import secrets
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Uuid, column, table
from sqlmodel import Session, col, delete, select, update

from app.audit.service import record_event
from app.auth.actor import Actor, build_actor
from app.auth.models import AuthSession, LoginFailure, Membership, Role, User
from app.auth.passwords import Passwords, check_new_password
from app.config import Settings
from app.errors import DomainError, Invalid, TooManyAttempts

# An organisation-wide role holds at every site of the organisation. Auth reads those sites' ids
# from the ``site`` table by name, as its foreign keys refer to it: ``org`` builds on ``auth``
# (its services take the Actor), so ``auth`` never imports ``org``.
ORGANISATION_SITES = table("site", column("id", Uuid()), column("organisation_id", Uuid()))

# Refresh last_seen_at at most this often, so reading pages does not write on every request.
LAST_SEEN_GRANULARITY = timedelta(seconds=60)


class SignInFailed(DomainError):
    status_code = 401
    title = "Sign-in failed"
    keeps_writes = True

    def __init__(self) -> None:
        super().__init__(
            "That email and password do not match an account. Check both and try again."
        )


@dataclass(frozen=True)
class SignedIn:
    user: User
    auth_session: AuthSession
    token: str


def normalise_email(email: str) -> str:
    return email.strip().lower()


def keyed_hash(settings: Settings, value: str) -> str:
    return hmac.new(settings.secret_key.encode(), value.encode(), hashlib.sha256).hexdigest()


def sign_in(
    session: Session,
    *,
    email: str,
    password: str,
    client_address: str,
    now: datetime,
    settings: Settings,
    passwords: Passwords,
) -> SignedIn:
    """Check the password and open a new session with a fresh token.

    A failure is recorded against both the account and the client address; the caller commits
    it even though this raises.
    """
    email = normalise_email(email)
    limits = {
        keyed_hash(settings, f"account:{email}"): settings.login_max_failures,
        keyed_hash(settings, f"client:{client_address}"): settings.login_max_failures_per_address,
    }
    _refuse_if_throttled(session, limits=limits, now=now, settings=settings)
    user = session.exec(select(User).where(User.email == email)).first()
    valid = passwords.verify(user.password_hash if user else None, password)
    if user is None or not valid or not user.active:
        session.add_all(LoginFailure(key=key, at=now) for key in limits)
        session.flush()
        raise SignInFailed()
    return open_session(session, user=user, now=now, settings=settings)


def open_session(session: Session, *, user: User, now: datetime, settings: Settings) -> SignedIn:
    """A new session with a fresh token: at sign-in, and after a password change."""
    token = secrets.token_urlsafe(32)
    auth_session = AuthSession(
        token_hash=keyed_hash(settings, token),
        user_id=user.id,
        created_at=now,
        last_seen_at=now,
        expires_at=now + timedelta(hours=settings.session_absolute_hours),
    )
    session.add(auth_session)
    record_event(
        session,
        organisation_id=user.organisation_id,
        actor_id=user.id,
        action="sign_in",
        entity="user",
        entity_id=user.id,
        at=now,
    )
    session.flush()
    return SignedIn(user=user, auth_session=auth_session, token=token)


def _refuse_if_throttled(
    session: Session, *, limits: dict[str, int], now: datetime, settings: Settings
) -> None:
    """Refuse while any key has its limit of failures in the window, saying how long until
    enough of them have aged out."""
    window = timedelta(minutes=settings.login_window_minutes)
    session.exec(delete(LoginFailure).where(col(LoginFailure.at) < now - window))
    wait = timedelta(0)
    for key, limit in limits.items():
        # Once this failure (the limit-th newest) leaves the window, the key is under its limit.
        freeing = session.exec(
            select(LoginFailure.at)
            .where(LoginFailure.key == key, col(LoginFailure.at) > now - window)
            .order_by(col(LoginFailure.at).desc())
            .offset(limit - 1)
            .limit(1)
        ).first()
        if freeing is not None:
            wait = max(wait, freeing + window - now)
    if wait > timedelta(0):
        seconds = math.ceil(wait.total_seconds())
        minutes = math.ceil(seconds / 60)
        raise TooManyAttempts(
            f"Too many sign-in attempts. Wait {minutes} minute{'s' if minutes > 1 else ''} "
            "and try again, or ask your manager to check your account.",
            retry_after_seconds=seconds,
        )


def resolve_session(
    session: Session, *, token: str, now: datetime, settings: Settings
) -> tuple[AuthSession, User] | None:
    """The live session and user for a cookie token, or None when it has ended. Only reads."""
    found = session.exec(
        select(AuthSession, User)
        .join(User, col(User.id) == AuthSession.user_id)
        .where(AuthSession.token_hash == keyed_hash(settings, token))
    ).first()
    if found is None:
        return None
    auth_session, user = found
    idle_limit = auth_session.last_seen_at + timedelta(minutes=settings.session_idle_minutes)
    if (
        auth_session.revoked_at is not None
        or now >= auth_session.expires_at
        or now >= idle_limit
        or not user.active
    ):
        return None
    return auth_session, user


def due_a_touch(auth_session: AuthSession, now: datetime) -> bool:
    """Whether ``last_seen_at`` is over a minute old: the idle timeout (30 minutes by default)
    needs no finer time, and most page reads then write nothing."""
    return now - auth_session.last_seen_at >= LAST_SEEN_GRANULARITY


def touch_session(session: Session, *, session_id: uuid.UUID, now: datetime) -> None:
    """Keep the idle timer current. The caller runs this in a transaction of its own (see
    ``app.auth.dependencies``), so a page read never turns into a write."""
    session.exec(update(AuthSession).where(AuthSession.id == session_id).values(last_seen_at=now))


def load_actor(session: Session, *, user: User, session_id: uuid.UUID | None = None) -> Actor:
    memberships = session.exec(
        select(Membership.site_id, Membership.role).where(Membership.user_id == user.id)
    ).all()
    organisation_site_ids: list[uuid.UUID] = []
    if any(site_id is None for site_id, _ in memberships):
        organisation_site_ids = list(
            session.exec(
                select(ORGANISATION_SITES.c.id).where(
                    ORGANISATION_SITES.c.organisation_id == user.organisation_id
                )
            )
        )
    return build_actor(
        user_id=user.id,
        name=user.name,
        email=user.email,
        organisation_id=user.organisation_id,
        memberships=memberships,
        organisation_site_ids=organisation_site_ids,
        session_id=session_id,
    )


def sign_out(session: Session, *, session_id: uuid.UUID, now: datetime) -> None:
    session.exec(
        update(AuthSession)
        .where(AuthSession.id == session_id, col(AuthSession.revoked_at).is_(None))
        .values(revoked_at=now)
    )


def revoke_sessions(
    session: Session, *, user_id: uuid.UUID, now: datetime, keep: uuid.UUID | None = None
) -> None:
    """End every open session of a user but ``keep``: on deactivation (all of them) and on a
    password change (all but the device that changed it)."""
    statement = update(AuthSession).where(
        AuthSession.user_id == user_id, col(AuthSession.revoked_at).is_(None)
    )
    if keep is not None:
        statement = statement.where(AuthSession.id != keep)
    session.exec(statement.values(revoked_at=now))


def change_password(
    session: Session,
    *,
    actor: Actor,
    current_password: str,
    new_password: str,
    now: datetime,
    settings: Settings,
    passwords: Passwords,
) -> SignedIn:
    """Set a new password and end every other session of the user. This device's sign-in goes
    on under a new token, so what it holds (its push subscription) stays with it; the old
    token, and every other device's, is no use afterwards."""
    user = session.get_one(User, actor.user_id)
    if not passwords.verify(user.password_hash, current_password):
        raise Invalid.one("current_password", "That is not your current password.")
    check_new_password(new_password, field="new_password", hints=[user.email, user.name])
    user.password_hash = passwords.hash(new_password)
    user.password_changed_at = now
    session.add(user)
    revoke_sessions(session, user_id=user.id, now=now, keep=actor.session_id)
    record_event(
        session,
        organisation_id=user.organisation_id,
        actor_id=user.id,
        action="change_password",
        entity="user",
        entity_id=user.id,
        at=now,
    )
    if actor.session_id is None:
        return open_session(session, user=user, now=now, settings=settings)
    return _renew_token(session, user=user, session_id=actor.session_id, settings=settings)


def _renew_token(
    session: Session, *, user: User, session_id: uuid.UUID, settings: Settings
) -> SignedIn:
    """The same sign-in under a fresh token: the cookie it had before is no use afterwards."""
    auth_session = session.get_one(AuthSession, session_id)
    token = secrets.token_urlsafe(32)
    auth_session.token_hash = keyed_hash(settings, token)
    session.add(auth_session)
    session.flush()
    return SignedIn(user=user, auth_session=auth_session, token=token)


def create_account(
    session: Session,
    *,
    organisation_id: uuid.UUID,
    email: str,
    name: str,
    password_hash: str,
    site_id: uuid.UUID | None,
    role: Role,
    now: datetime,
) -> User:
    """The one way a user comes to exist: from an invitation, ``create-admin`` or the demo data."""
    user = User(
        organisation_id=organisation_id,
        email=normalise_email(email),
        name=name.strip(),
        password_hash=password_hash,
        created_at=now,
        password_changed_at=now,
    )
    session.add(user)
    session.flush()
    session.add(
        Membership(
            user_id=user.id,
            organisation_id=organisation_id,
            site_id=site_id,
            role=role,
            created_at=now,
        )
    )
    session.flush()
    return user


def user_names(session: Session, user_ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, str]:
    """Names for showing who did what, in one query for a whole list."""
    wanted = set(user_ids)
    if not wanted:
        return {}
    rows = session.exec(select(User.id, User.name).where(col(User.id).in_(wanted)))
    return dict(rows.all())
