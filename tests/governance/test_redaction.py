"""Anonymising free text: every way a person supported's name is written is hidden; staff
become their role; words that only look like names are left alone."""

from __future__ import annotations

import pytest

from app.governance.redaction import name_forms, redact, replacements

FORMS = replacements(
    ["Ada", "Bob Lovelace", "Dot"],
    [("Alice Carer", "a care worker"), ("Will Smith", "a team lead"), ("Dot Evans", "a manager")],
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Ada chose the blue jumper.", "The person chose the blue jumper."),
        ("We asked ada and ADA.", "We asked the person and the person."),
        ("Ada's tea was cold", "The person's tea was cold"),
        ("Bob Lovelace joined; Mr Lovelace smiled", "The person joined; Mr the person smiled"),
        ("BL and B.L. and B. L. went out", "The person and the person and the person went out"),
        ("then B. and L said yes", "then the person and the person said yes"),
        ("Adam read a readable book", "Adam read a readable book"),
        ("A walk; I think A. was tired", "A walk; I think the person was tired"),
        ("Alice Carer helped; Alice sat down.", "A care worker helped; a care worker sat down."),
        ("Will said it will rain", "A team lead said it will rain"),
        ("AC and WS agreed", "A care worker and a team lead agreed"),
        ("Dot and Dot Evans", "The person and a manager"),  # a shared first name hides the person
        ("", ""),
    ],
)
def test_names_and_initials_are_replaced(text: str, expected: str) -> None:
    assert redact(text, FORMS) == expected


def test_a_name_is_known_whole_by_its_parts_and_by_its_initials() -> None:
    whole, initials = name_forms("Bob Lovelace-Smith")
    assert whole == ["Bob Lovelace-Smith", "Bob", "Lovelace", "Smith"]
    assert initials == ["BLS", "B.L.S.", "B. L. S.", "B.", "B", "L.", "L", "S.", "S"]
    assert name_forms("Ida") == (["Ida"], ["I."])


def test_nothing_to_hide_leaves_the_text_as_it_is() -> None:
    assert redact("Ada smiled", replacements([], [])) == "Ada smiled"
