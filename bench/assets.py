"""Bytes shipped: the JavaScript and CSS a page loads, each file gzipped at level 9.

A page's files are its ``<script src>`` and ``<link rel=stylesheet href>``; each is fetched as
the signed-in care worker and compressed here, so the figure does not depend on whether the
server compresses. Beside it, "sent" is what the server put on the wire for a client that
accepts gzip. Goal: at most 60 KiB gzipped per page, Alpine included.
"""

from __future__ import annotations

import gzip
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import httpx

from bench.report import kib, print_table

GOAL_BYTES = 60 * 1024


@dataclass(frozen=True)
class Asset:
    path: str
    raw_bytes: int
    gzip_bytes: int
    sent_bytes: int


class _AssetLinks(HTMLParser):
    """Collects the URLs of a page's scripts and stylesheets, in document order."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "script" and found.get("src"):
            self.urls.append(found["src"] or "")
        rel = (found.get("rel") or "").lower().split()
        if tag == "link" and "stylesheet" in rel and found.get("href"):
            self.urls.append(found["href"] or "")


def page_assets(http: httpx.Client, path: str) -> list[Asset]:
    page = http.get(path).raise_for_status()
    links = _AssetLinks()
    links.feed(page.text)
    return [_fetch(http, urljoin(str(page.url), url)) for url in dict.fromkeys(links.urls)]


def _fetch(http: httpx.Client, url: str) -> Asset:
    answer = http.get(url, headers={"Accept-Encoding": "gzip"}).raise_for_status()
    return Asset(
        path=urlsplit(url).path,
        raw_bytes=len(answer.content),
        gzip_bytes=len(gzip.compress(answer.content, 9)),
        sent_bytes=answer.num_bytes_downloaded,
    )


def run(http: httpx.Client, pages: dict[str, str]) -> None:
    """Print each page's files and totals; ``pages`` maps a page's name to its path."""
    rows: list[list[str | int]] = []
    totals: list[list[str | int]] = []
    for name, path in pages.items():
        assets = page_assets(http, path)
        rows += [[name, a.path, a.raw_bytes, a.gzip_bytes, a.sent_bytes] for a in assets]
        totals.append(_total(name, assets))
    print_table("JS + CSS per file (bytes)", ["page", "file", "raw", "gzip -9", "sent"], rows)
    print_table(
        f"JS + CSS per page (goal: gzipped <= {kib(GOAL_BYTES)}, Alpine included)",
        ["page", "files", "raw", "gzip -9", "sent", "verdict"],
        totals,
    )


def _total(name: str, assets: list[Asset]) -> list[str | int]:
    gzipped = sum(asset.gzip_bytes for asset in assets)
    verdict = "within goal" if gzipped <= GOAL_BYTES else "OVER goal"
    return [
        name,
        len(assets),
        sum(asset.raw_bytes for asset in assets),
        gzipped,
        sum(asset.sent_bytes for asset in assets),
        f"{kib(gzipped)} gzipped: {verdict}",
    ]
