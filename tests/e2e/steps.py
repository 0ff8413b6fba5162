"""What a person does on the phone in several journeys: sign in, sign out."""

from __future__ import annotations

from app.demo import DEMO_PASSWORD


def sign_in(page, server, email: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{server.url}/login")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{server.url}/home")


def sign_out(page) -> None:  # type: ignore[no-untyped-def]
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/login")
