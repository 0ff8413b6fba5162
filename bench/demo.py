"""The demo accounts, signed in over HTTP, and the demo records whose pages are measured."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

import httpx

from app.auth.models import Role
from app.demo import DEMO_LOGINS, DEMO_PASSWORD
from app.security import SESSION_COOKIE

SITE = "Rosewood House"
PERSON = "Ada"
ROLES = (Role.care_worker, Role.team_lead, Role.manager, Role.quality_lead, Role.admin)


@dataclass(frozen=True)
class Account:
    role: Role
    email: str
    http: httpx.Client

    @property
    def session_token(self) -> str:
        return self.http.cookies[SESSION_COOKIE]

    @property
    def cookie(self) -> str:
        """The session cookie as a ``Cookie`` header's value."""
        return f"{SESSION_COOKIE}={self.session_token}"


@dataclass(frozen=True)
class Records:
    """Ids of demo records at Rosewood House; ``handover_id`` is None if none could start."""

    site_id: str
    person_id: str
    note_id: str
    theme_id: str
    handover_id: str | None
    alert_id: str | None  # a drift alert the governance check raised, if any
    proposal_id: str | None  # a lifecycle move it proposed, if any


def sign_in_all(base_url: str) -> dict[Role, Account]:
    """One signed-in HTTP client per role, each with a Rosewood House (or organisation) login."""
    return {role: sign_in(base_url, role) for role in ROLES}


def sign_in(base_url: str, role: Role) -> Account:
    email = next(
        login.email for login in DEMO_LOGINS if login.role is role and login.site in (SITE, None)
    )
    # The Origin header is what the app's own pages send with a state-changing request.
    http = httpx.Client(base_url=base_url, headers={"Origin": base_url}, timeout=30.0)
    http.post(
        "/api/v1/auth/login", json={"email": email, "password": DEMO_PASSWORD}
    ).raise_for_status()
    return Account(role=role, email=email, http=http)


def close_all(accounts: dict[Role, Account]) -> None:
    for account in accounts.values():
        account.http.close()


def find_records(accounts: dict[Role, Account]) -> Records:
    carer = accounts[Role.care_worker].http
    site_id = _one(carer.get("/api/v1/sites"), "name", SITE)
    person_id = _one(carer.get(f"/api/v1/sites/{site_id}/people"), "preferred_name", PERSON)
    notes = carer.get("/api/v1/engagement-notes", params={"person_id": person_id})
    themes = carer.get("/api/v1/themes")
    return Records(
        site_id=site_id,
        person_id=person_id,
        note_id=notes.raise_for_status().json()["items"][0]["id"],
        theme_id=themes.raise_for_status().json()[0]["id"],
        handover_id=_start_handover(accounts[Role.team_lead].http, site_id),
        alert_id=_first(accounts[Role.manager].http.get("/api/v1/governance/alerts"), "alerts"),
        proposal_id=_first(
            accounts[Role.quality_lead].http.get("/api/v1/governance/proposals"), "proposals"
        ),
    )


def _first(answer: httpx.Response, key: str) -> str | None:
    items = answer.raise_for_status().json()[key]
    return items[0]["id"] if items else None


def _start_handover(lead: httpx.Client, site_id: str) -> str | None:
    """The team lead starts the handover for the shift change happening now."""
    answer = lead.post("/api/v1/handovers", json={"id": str(uuid.uuid4()), "site_id": site_id})
    if answer.status_code not in (200, 201):
        print(f"  could not start a handover ({answer.status_code}): {answer.text[:200]}")
        return None
    return answer.json()["id"]


def _one(answer: httpx.Response, field: str, value: str) -> str:
    """The id of the listed item whose ``field`` is ``value``."""
    return next(item["id"] for item in answer.raise_for_status().json() if item[field] == value)
