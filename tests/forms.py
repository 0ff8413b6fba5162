"""Reading a rendered form the way a browser would submit it untouched."""

from __future__ import annotations

from html.parser import HTMLParser


class _DefaultValues(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.values: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag != "input":
            return
        found = dict(attrs)
        name, kind = found.get("name"), found.get("type", "text")
        if not name:
            return
        if kind == "hidden" or (kind in ("radio", "checkbox") and "checked" in found):
            self.values[name] = found.get("value") or ""


def default_values(html: str) -> dict[str, str]:
    """Hidden fields and checked radios: what a browser sends when nothing else is touched."""
    parser = _DefaultValues()
    parser.feed(html)
    return parser.values
