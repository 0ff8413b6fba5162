"""axe-core violations on every main page, in Debian's Chromium at a phone's size (360×740).

axe is evaluated through the DevTools Protocol (``page.evaluate``), which the app's strict
Content-Security-Policy does not govern, so the page runs under the same policy users get.
Console errors (a CSP refusal among them) are counted beside the violations. Goal: 0.
"""

from __future__ import annotations

from dataclasses import dataclass

from playwright.sync_api import Browser, BrowserContext, sync_playwright

from app.auth.models import Role
from app.security import SESSION_COOKIE
from bench.demo import Account
from bench.pages import Page
from bench.report import MISSING, print_table
from bench.tools import CHROMIUM_ARGS, CHROMIUM_PATH, NODE_MODULES

AXE_SOURCE = NODE_MODULES / "axe-core" / "axe.min.js"
PHONE = {"viewport": {"width": 360, "height": 740}, "is_mobile": True, "has_touch": True}
RUN_AXE = """
;axe.run(document, {resultTypes: ["violations"]}).then((results) =>
  results.violations.map((rule) => ({
    id: rule.id,
    impact: rule.impact,
    targets: rule.nodes.map((node) => node.target.join(" ")),
  })))
"""
SHOWN_ELEMENTS = 3


@dataclass(frozen=True)
class Violation:
    rule: str
    impact: str
    targets: list[str]


@dataclass(frozen=True)
class Checked:
    """One page: its HTTP status, and what axe found (None when the page did not open)."""

    page: Page
    status: int
    violations: list[Violation] | None
    console_errors: list[str]

    @property
    def nodes(self) -> int:
        return sum(len(violation.targets) for violation in self.violations or [])


def run(base_url: str, accounts: dict[Role, Account], pages: list[Page]) -> bool:
    """Check each page and print what axe found; answers False if a page did not open."""
    if not AXE_SOURCE.exists():
        print("  axe-core is missing: run `npm ci --prefix bench`.")
        return False
    script = AXE_SOURCE.read_text() + RUN_AXE
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM_PATH, args=list(CHROMIUM_ARGS)
        )
        contexts = {
            role: _context(browser, base_url, accounts.get(role))
            for role in {p.role for p in pages}
        }
        checked = [
            _check(contexts[page.role], base_url + page.path, page, script) for page in pages
        ]
        browser.close()
    _print(checked)
    return all(result.violations is not None for result in checked)


def _context(browser: Browser, base_url: str, account: Account | None) -> BrowserContext:
    context = browser.new_context(**PHONE)
    if account is not None:
        context.add_cookies(
            [{"name": SESSION_COOKIE, "value": account.session_token, "url": base_url}]
        )
    return context


def _check(context: BrowserContext, url: str, page: Page, script: str) -> Checked:
    tab = context.new_page()
    console_errors: list[str] = []
    tab.on(
        "console", lambda message: message.type == "error" and console_errors.append(message.text)
    )
    tab.on("pageerror", lambda error: console_errors.append(str(error)))
    response = tab.goto(url, wait_until="load")
    status = response.status if response else 0
    found = tab.evaluate(script) if status == 200 else None
    tab.close()
    if found is None:
        return Checked(page, status, None, console_errors)
    violations = [Violation(item["id"], item["impact"] or "-", item["targets"]) for item in found]
    return Checked(page, status, violations, console_errors)


def _print(checked: list[Checked]) -> None:
    print_table(
        "axe-core violations per page (goal: 0)",
        ["page", "role", "HTTP", "rules", "nodes", "console errors"],
        [
            [
                result.page.name,
                result.page.role.label if result.page.role else "signed out",
                result.status,
                MISSING if result.violations is None else len(result.violations),
                MISSING if result.violations is None else result.nodes,
                len(result.console_errors),
            ]
            for result in checked
        ],
    )
    details = [
        [result.page.name, v.rule, v.impact, len(v.targets), ", ".join(v.targets[:SHOWN_ELEMENTS])]
        for result in checked
        for v in result.violations or []
    ]
    if details:
        print_table("axe-core violations", ["page", "rule", "impact", "nodes", "elements"], details)
    for result in checked:
        for message in result.console_errors:
            print(f"  {result.page.name}: console error: {message[:200]}")
    measured = [result for result in checked if result.violations is not None]
    rules = sum(len(result.violations or []) for result in measured)
    nodes = sum(result.nodes for result in measured)
    unopened = len(checked) - len(measured)
    print(
        f"\n  Total: {rules} violations ({nodes} nodes) on {len(measured)} pages"
        + (f"; {unopened} pages did not open" if unopened else "")
    )
