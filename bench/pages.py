"""The pages the benchmarks visit, each with the role that opens it (None: signed out)."""

from __future__ import annotations

from dataclasses import dataclass

from app.auth.models import Role
from bench.demo import ROLES, Records


@dataclass(frozen=True)
class Page:
    name: str
    role: Role | None
    path: str


def sign_in() -> Page:
    return Page("sign in", None, "/login")


def home(role: Role) -> Page:
    return Page(f"home ({role.label.lower()})", role, "/home")


def record_note(records: Records) -> Page:
    return Page("record note", Role.care_worker, f"/people/{records.person_id}/notes/new")


def main_pages(records: Records) -> list[Page]:
    """Every main page, opened by a role that uses it."""
    site = f"/sites/{records.site_id}"
    handover = [Page("handover", Role.team_lead, f"/handovers/{records.handover_id}")]
    alert = [Page("drift alert", Role.manager, f"/alerts/{records.alert_id}")]
    proposal = [Page("proposed move", Role.quality_lead, f"/proposals/{records.proposal_id}")]
    return [
        sign_in(),
        *(home(role) for role in ROLES),
        record_note(records),
        Page("person", Role.care_worker, f"/people/{records.person_id}"),
        Page("note detail", Role.care_worker, f"/notes/{records.note_id}"),
        Page("my actions", Role.care_worker, "/my/actions"),
        Page("my feedback", Role.care_worker, "/my/feedback"),
        Page("handover list", Role.team_lead, f"{site}/handovers"),
        *(handover if records.handover_id else []),
        Page("observation form", Role.manager, f"{site}/observations/new"),
        Page("observation list", Role.manager, f"{site}/observations"),
        Page("snapshot tally", Role.manager, f"{site}/snapshots/new"),
        Page("notes to review", Role.manager, f"{site}/notes/to-review"),
        Page("site actions", Role.manager, f"{site}/actions"),
        Page("sites", Role.admin, "/sites"),
        Page("site", Role.manager, site),
        Page("site people", Role.manager, f"{site}/people"),
        Page("site staff", Role.manager, f"{site}/staff"),
        Page("site shifts", Role.manager, f"{site}/shifts"),
        Page("handover reminders", Role.manager, f"{site}/reminders"),
        Page("themes", Role.quality_lead, "/themes"),
        Page("theme", Role.quality_lead, f"/themes/{records.theme_id}"),
        Page("account", Role.care_worker, "/account"),
        Page("inbox", Role.care_worker, "/inbox"),
        Page("notification settings", Role.care_worker, "/account/notifications"),
        Page("site dashboard", Role.manager, f"{site}/governance"),
        Page("theme trends", Role.manager, f"{site}/themes/{records.theme_id}/trends"),
        Page("sites side by side", Role.quality_lead, "/governance"),
        Page("quality meeting", Role.quality_lead, "/governance/meeting"),
        Page(
            "evidence pack",
            Role.quality_lead,
            f"/governance/evidence-pack?theme_id={records.theme_id}&site_id={records.site_id}",
        ),
        *(alert if records.alert_id else []),
        *(proposal if records.proposal_id else []),
    ]
