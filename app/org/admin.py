"""Creating an organisation's first admin from the command line."""

from __future__ import annotations

from datetime import datetime

from email_validator import EmailNotValidError, validate_email
from sqlmodel import Session, select

from app.auth.models import Role, User
from app.auth.passwords import Passwords, check_new_password
from app.auth.service import create_account, normalise_email
from app.errors import Invalid
from app.org.models import Organisation
from app.org.service import create_organisation


def create_admin(
    session: Session,
    *,
    organisation_name: str,
    email: str,
    name: str,
    password: str,
    passwords: Passwords,
    now: datetime,
) -> User:
    """An admin of the named organisation, which is created if it does not exist yet."""
    email = normalise_email(email)
    try:
        validate_email(email, check_deliverability=False)
    except EmailNotValidError:
        raise Invalid.one("email", "Enter an email address like name@example.org.") from None
    if not name.strip() or len(name) > 120:
        raise Invalid.one("name", "Enter a name of at most 120 characters.")
    if session.exec(select(User.id).where(User.email == email)).first() is not None:
        raise Invalid.one("email", "Someone already has an account with this email.")
    check_new_password(password, hints=[email, name])
    organisation = session.exec(
        select(Organisation).where(Organisation.name == organisation_name)
    ).first() or create_organisation(session, name=organisation_name, now=now)
    return create_account(
        session,
        organisation_id=organisation.id,
        email=email,
        name=name,
        password_hash=passwords.hash(password),
        site_id=None,
        role=Role.admin,
        now=now,
    )
