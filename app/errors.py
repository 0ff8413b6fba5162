"""Expected errors and the one place that turns them into answers.

Services raise a ``DomainError``; pages get an error page, the API gets
``application/problem+json`` naming the field and the reason. Nothing expected is ever a 500.
"""

from __future__ import annotations

from dataclasses import dataclass, field


class DomainError(Exception):
    status_code = 400
    title = "Bad request"
    # A refusal keeps nothing the request wrote, except where the refusal is itself the record
    # (a failed sign-in counts towards the throttle).
    keeps_writes = False

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    @property
    def headers(self) -> dict[str, str]:
        """Headers the answer carries besides the body (``Retry-After`` for a 429)."""
        return {}


class NotFound(DomainError):
    status_code = 404
    title = "Not found"

    def __init__(self, message: str = "We could not find that.") -> None:
        super().__init__(message)


class Forbidden(DomainError):
    status_code = 403
    title = "Not allowed"

    def __init__(self, message: str = "Your role does not allow this.") -> None:
        super().__init__(message)


class Conflict(DomainError):
    status_code = 409
    title = "Conflict"


class TooLarge(DomainError):
    status_code = 413
    title = "Too large"


class TooManyAttempts(DomainError):
    status_code = 429
    title = "Too many attempts"
    keeps_writes = True

    def __init__(self, message: str, *, retry_after_seconds: int) -> None:
        super().__init__(message)
        self.retry_after_seconds = retry_after_seconds

    @property
    def headers(self) -> dict[str, str]:
        return {"Retry-After": str(self.retry_after_seconds)}


@dataclass
class FieldError:
    field: str
    reason: str


@dataclass
class Invalid(DomainError):
    """One or more fields are wrong; nothing was written."""

    errors: list[FieldError] = field(default_factory=list)
    status_code = 422
    title = "Check what you entered"

    def __post_init__(self) -> None:
        super().__init__(self.errors[0].reason if self.errors else "Check what you entered.")

    @classmethod
    def one(cls, field_name: str, reason: str) -> Invalid:
        return cls([FieldError(field_name, reason)])

    def by_field(self) -> dict[str, str]:
        found: dict[str, str] = {}
        for error in self.errors:
            found.setdefault(error.field, error.reason)
        return found
