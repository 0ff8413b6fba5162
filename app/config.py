"""Settings: one object, read from the environment (``DATABASE_URL`` and ``SHIFT_*``)."""

from __future__ import annotations

import re
from functools import lru_cache
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SECRET = "change-me-this-is-only-for-development"  # noqa: S105 - refused outside development
DEFAULT_DATABASE_URL = "sqlite:///./data/shift-companion.db"
LOCAL_HOSTS = ("localhost", "127.0.0.1", "::1", "[::1]")
LOCAL_SUFFIXES = (".localhost", ".local", ".internal", ".invalid", ".test")
# The push services browsers subscribe through; each entry also covers its subdomains.
PUSH_SERVICE_HOSTS = (
    "fcm.googleapis.com",  # Chrome, Android, Edge on Android, Samsung Internet, Opera
    "push.services.mozilla.com",  # Firefox (updates.push.services.mozilla.com)
    "push.apple.com",  # Safari, iOS home-screen apps (web.push.apple.com)
    "notify.windows.com",  # Edge on Windows (wns2-par02p.notify.windows.com, ...)
)
PUSH_SERVICE_HOST = re.compile(r"[a-z0-9-]+(\.[a-z0-9-]+)+\Z")
# How long before a handover its staff may be reminded, here and on a site's own page: five
# minutes still lets them finish what they are doing and get there; four hours reaches someone
# before they set off for a shift, and anything earlier is no longer a reminder of it.
FEWEST_REMINDER_MINUTES, MOST_REMINDER_MINUTES = 5, 240


def is_real_contact(contact: str) -> bool:
    """A mailto: or https: address on a public host name (RFC 8292's ``sub``)."""
    if contact.startswith("mailto:"):
        user, at, host = contact.removeprefix("mailto:").rpartition("@")
    elif contact.startswith("https://"):
        user, at, host = "-", "@", contact.removeprefix("https://").split("/", 1)[0]
    else:
        return False
    host = host.lower()
    return bool(user and at and "." in host and " " not in contact) and not (
        host in LOCAL_HOSTS or host.endswith(LOCAL_SUFFIXES)
    )


def _installed_version() -> str:
    try:
        return version("shift-companion")
    except PackageNotFoundError:
        return "unreleased"


class Settings(BaseSettings):
    """Everything the service reads from its environment.

    Outside development the service refuses to start with the default secret or in demo mode,
    so a production deployment can never carry the demo logins.
    """

    model_config = SettingsConfigDict(env_prefix="SHIFT_", extra="ignore")

    environment: Literal["development", "production"] = Field(
        default="development", validation_alias="SHIFT_ENV"
    )
    database_url: str = Field(default=DEFAULT_DATABASE_URL, validation_alias="DATABASE_URL")
    secret_key: str = DEFAULT_SECRET
    demo_mode: bool = False
    session_idle_minutes: int = Field(default=30, ge=1, le=24 * 60)
    session_absolute_hours: int = Field(default=12, ge=1, le=24 * 7)
    login_max_failures: int = Field(default=10, ge=1)
    # A care home's staff share one Wi-Fi address: its limit is sized for a team, not a person.
    login_max_failures_per_address: int = Field(default=100, ge=1)
    login_window_minutes: int = Field(default=5, ge=1)
    invitation_days: int = Field(default=7, ge=1, le=60)
    trusted_origins: list[str] = Field(default_factory=list)
    # Where `serve --proxy-headers` believes X-Forwarded-For from: the reverse proxy's addresses
    # (comma-separated, CIDR allowed). Anyone else could name any client address they liked.
    forwarded_allow_ips: str = Field(default="127.0.0.1", min_length=1)
    argon2_time_cost: int = Field(default=3, ge=1)
    argon2_memory_cost: int = Field(default=65536, ge=8)
    argon2_parallelism: int = Field(default=4, ge=1)
    log_level: str = "INFO"
    # How long before a handover staff on the incoming shift are reminded of it, where the
    # site sets no time of its own.
    handover_reminder_minutes: int = Field(
        default=30, ge=FEWEST_REMINDER_MINUTES, le=MOST_REMINDER_MINUTES
    )
    release: str = Field(default_factory=_installed_version, min_length=1, max_length=64)
    # Web push. The contact a push service may write to about our messages (the VAPID ``sub``):
    # a real mailto: or https: address; push services refuse localhost ones. Unset, push is
    # off and the inbox alone tells people.
    push_contact: str | None = None
    # The VAPID private key (the raw P-256 scalar, base64url). Unset, one is made at first
    # start and kept in the central store, so every app process signs with the same key.
    vapid_private_key: SecretStr | None = None
    # Development and tests only: accept push endpoints on this machine (a fake push service).
    push_allow_local_endpoints: bool = False
    # The push services we post to (comma-separated host names, each with its subdomains): a
    # browser's subscription names where the server will POST, so any other host is refused.
    push_service_hosts: Annotated[tuple[str, ...], NoDecode] = PUSH_SERVICE_HOSTS

    @field_validator("push_contact")
    @classmethod
    def _real_contact(cls, contact: str | None) -> str | None:
        if contact is not None and not is_real_contact(contact):
            raise ValueError(
                "SHIFT_PUSH_CONTACT must be a mailto: or https: address that a push service "
                "can reach, e.g. mailto:care-it@example.org (not localhost)"
            )
        return contact

    @field_validator("push_service_hosts", mode="before")
    @classmethod
    def _comma_separated(cls, hosts: object) -> object:
        """The environment gives "fcm.googleapis.com, push.example.org"."""
        return hosts.split(",") if isinstance(hosts, str) else hosts

    @field_validator("push_service_hosts")
    @classmethod
    def _host_names(cls, hosts: tuple[str, ...]) -> tuple[str, ...]:
        names = tuple(name.strip().lower() for name in hosts if name.strip())
        wrong = [name for name in names if not PUSH_SERVICE_HOST.match(name)]
        if wrong or not names:
            raise ValueError(
                "SHIFT_PUSH_SERVICE_HOSTS takes one or more host names, comma-separated, "
                f"e.g. fcm.googleapis.com,push.apple.com (not {', '.join(wrong) or 'nothing'})"
            )
        return names

    @model_validator(mode="after")
    def _refuse_unsafe_production(self) -> Settings:
        if self.environment == "production":
            if self.secret_key == DEFAULT_SECRET or len(self.secret_key) < 32:
                raise ValueError(
                    "SHIFT_SECRET_KEY must be set to a random value of at least 32 characters "
                    "in production (e.g. `python -c 'import secrets; print(secrets.token_urlsafe(48))'`)"
                )
            if self.push_allow_local_endpoints:
                raise ValueError("SHIFT_PUSH_ALLOW_LOCAL_ENDPOINTS is for tests, never production")
            if self.demo_mode:
                raise ValueError(
                    "SHIFT_DEMO_MODE cannot be on in production: demo logins are public"
                )
        return self

    @property
    def is_development(self) -> bool:
        return self.environment == "development"


@lru_cache
def get_settings() -> Settings:
    return Settings()
