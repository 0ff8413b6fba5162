"""Password hashing (argon2id) and the password policy."""

from __future__ import annotations

from collections.abc import Sequence

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from zxcvbn import zxcvbn

from app.config import Settings
from app.errors import Invalid

MIN_LENGTH = 12
MAX_LENGTH = 256


class Passwords:
    """argon2id with the cost the settings ask for (tests turn it down; production keeps it)."""

    def __init__(self, settings: Settings) -> None:
        self._hasher = PasswordHasher(
            time_cost=settings.argon2_time_cost,
            memory_cost=settings.argon2_memory_cost,
            parallelism=settings.argon2_parallelism,
        )
        # Verified against when the account does not exist, so both answers take the same time.
        self._decoy = self._hasher.hash("not a password anyone has")

    def hash(self, password: str) -> str:
        return self._hasher.hash(password)

    def verify(self, password_hash: str | None, password: str) -> bool:
        try:
            return self._hasher.verify(password_hash or self._decoy, password) and bool(
                password_hash
            )
        except (VerificationError, InvalidHashError):
            return False


def check_new_password(
    password: str, *, field: str = "password", hints: Sequence[str] = ()
) -> None:
    """At least 12 characters and not one of the most common passwords (zxcvbn's lists)."""
    if len(password) < MIN_LENGTH:
        raise Invalid.one(field, f"Use at least {MIN_LENGTH} characters.")
    if len(password) > MAX_LENGTH:
        raise Invalid.one(field, f"Use at most {MAX_LENGTH} characters.")
    verdict = zxcvbn(password, user_inputs=list(hints))
    if verdict["score"] < 3:
        warning = verdict["feedback"]["warning"] or "This password is too easy to guess."
        raise Invalid.one(field, f"{warning} Try a few uncommon words together.")
