"""Anonymising free text for the evidence pack: people supported and staff never named.

A name may be written whole, by any of its parts, in any case, or by its initials ("Ada
Lovelace", "ada", "Lovelace's", "AL", "A.L.", "A. L.", "A."). Each way is replaced: a person
supported by "the person", a member of staff by their role ("a care worker"). Staff's names
count as written, capitalised, so a carer called Will leaves "will" alone; a person supported
is hidden however their name is written. A lone capital letter is an initial too, except "A"
and "I", which are words first: those count only when written "A." or "I.". Matching whole
words only, "Ada" leaves "Adam" and "readable" alone.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

PERSON = "the person"
WORD_LETTERS = frozenset("AI")
SENTENCE_START = re.compile(r"(?:^|[.!?]\s+)$")


@dataclass(frozen=True)
class Forms:
    """What each written form of a name becomes: ``any_case`` (keys case-folded) for names of
    people supported, however written; ``exact`` for initials and for staff's names, which
    count only as written, capitalised ("Will", not "will"). ``by_first_word`` finds the
    few forms a text may hold from its words, so a text is matched against those alone, not
    against every name of a large organisation."""

    any_case: dict[str, str] = field(default_factory=dict)
    exact: dict[str, str] = field(default_factory=dict)
    by_first_word: dict[str, set[str]] = field(default_factory=dict)

    def add(self, name: str, words: str, *, any_case: bool) -> None:
        whole, initials = name_forms(name)
        if any_case:
            self.any_case.update({form.casefold(): words for form in whole})
            for form in whole:
                self.exact.pop(form, None)
        else:
            self.exact.update(dict.fromkeys(whole, words))
        self.exact.update(dict.fromkeys(initials, words))
        for form in (*whole, *initials):
            self.by_first_word.setdefault(_words(form)[0], set()).add(form)

    def patterns(self, text: str) -> list[tuple[str, str]]:
        """(form, pattern) of each form whose words are all in ``text``."""
        words = set(_words(text))
        found = []
        for word in words:
            for form in self.by_first_word.get(word, ()):
                if not set(_words(form)) <= words:
                    continue
                if form.casefold() in self.any_case:
                    found.append((form, f"(?i:{re.escape(form)})"))
                if form in self.exact:
                    found.append((form, re.escape(form)))
        return found


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", text.casefold()) or [""]


def name_forms(name: str) -> tuple[list[str], list[str]]:
    """The ways ``name`` may be written in a note: whole and by its parts; by its initials."""
    parts = [part for part in re.split(r"[\s\-]+", name.strip()) if part]
    whole = list(dict.fromkeys([name.strip(), *(part for part in parts if len(part) > 1)]))
    letters = [part[0].upper() for part in parts if part[0].isalpha()]
    initials = []
    if len(letters) > 1:
        initials += ["".join(letters), ".".join(letters) + ".", ". ".join(letters) + "."]
    for letter in letters:
        initials.append(f"{letter}.")
        if letter not in WORD_LETTERS:
            initials.append(letter)
    return [form for form in whole if form], initials


def replacements(people: Iterable[str], staff: Iterable[tuple[str, str]]) -> Forms:
    """The forms of every name: staff become the words of their role, people supported
    "the person"; people supported are added last, so a form that is both hides a person."""
    forms = Forms()
    for name, role_words in staff:
        forms.add(name, role_words, any_case=False)
    for name in people:
        forms.add(name, PERSON, any_case=True)
    return forms


def redact(text: str, forms: Forms) -> str:
    """``text`` with each whole-word form of a name replaced. Longer forms are tried first,
    so "Ada Lovelace" is one replacement, not two."""
    found = forms.patterns(text) if text else []
    if not found:
        return text
    alternatives = [pattern for _form, pattern in sorted(found, key=lambda f: -len(f[0]))]
    pattern = r"(?<!\w)(?:" + "|".join(alternatives) + r")(?!\w)"

    def replace(match: re.Match[str]) -> str:
        written = match.group()
        words = forms.exact.get(written) or forms.any_case[written.casefold()]
        starts_sentence = SENTENCE_START.search(text, 0, match.start()) is not None
        return words[0].upper() + words[1:] if starts_sentence else words

    return re.sub(pattern, replace, text)
