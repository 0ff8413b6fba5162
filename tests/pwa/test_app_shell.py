"""The installable app: manifest, service worker and its content-hashed app shell."""

from __future__ import annotations

import re

from starlette.testclient import TestClient

from app.web import STATIC_DIR
from tests.support import World, sign_in


def test_the_manifest_makes_an_installable_standalone_app(client: TestClient) -> None:
    response = client.get("/manifest.webmanifest")
    assert response.headers["content-type"].startswith("application/manifest+json")
    manifest = response.json()
    assert manifest["display"] == "standalone"
    assert manifest["start_url"] == "/home"
    sizes = {(icon["sizes"], icon["purpose"]) for icon in manifest["icons"]}
    assert {
        ("192x192", "maskable"),
        ("512x512", "maskable"),
        ("192x192", "any"),
        ("512x512", "any"),
    } <= sizes
    for icon in manifest["icons"]:
        assert client.get(icon["src"]).status_code == 200


def test_the_service_worker_is_served_from_the_root_and_never_cached(client: TestClient) -> None:
    response = client.get("/sw.js")
    assert response.headers["content-type"].startswith("text/javascript")
    assert response.headers["cache-control"] == "no-cache"
    shell = re.search(r"const SHELL = (\[.*?\]);", response.text)
    assert shell
    for url in re.findall(r'"([^"]+)"', shell.group(1)):
        assert client.get(url).status_code == 200


def test_shell_urls_change_when_a_file_changes(client: TestClient) -> None:
    first = client.get("/sw.js").text
    assert re.search(r"/static/css/app\.css\?v=[0-9a-f]{12}", first)
    assert re.search(r'const VERSION = "[0-9a-f]{12}"', first)


def test_the_service_worker_never_caches_writes(client: TestClient) -> None:
    script = client.get("/sw.js").text
    assert 'if (request.method !== "GET") return;' in script


def test_pages_load_the_outbox_and_show_the_sync_state(client: TestClient, world: World) -> None:
    sign_in(client, world.carer)
    home = client.get("/home").text
    assert 'x-data="syncStatus"' in home
    assert 'role="status"' in home
    assert f'data-user-id="{world.carer.id}"' in home
    assert "/static/js/outbox.js?v=" in home


def test_the_offline_page_needs_no_session(client: TestClient) -> None:
    assert "No signal" in client.get("/offline").text


def test_the_shell_keeps_the_sign_in_page_for_a_sign_out_with_no_signal(
    client: TestClient, world: World
) -> None:
    """Nobody's page: the worker fetches the shell without the cookie, so a signed-in phone
    installing it keeps the sign-in form, not somebody's home behind a redirect."""
    script = client.get("/sw.js").text
    shell = re.search(r"const SHELL = (\[.*?\]);", script)
    assert shell
    assert "/login" in re.findall(r'"([^"]+)"', shell.group(1))
    assert 'credentials: "omit"' in script
    sign_in(client, world.carer)
    assert 'data-keep-offline x-show="known"' in client.get("/home").text  # the outbox page


def test_the_app_shell_stays_small() -> None:
    """Bytes, not time: what every page loads is kept lean (budgets in `make bench`)."""
    shell = [
        "css/app.css",
        "js/app.js",
        "js/outbox.js",
        "js/sync.js",
        "vendor/alpine/alpine-csp.min.js",
    ]
    assert sum((STATIC_DIR / path).stat().st_size for path in shell) < 150_000


def test_hashed_files_are_kept_for_a_year_and_sent_compressed(client: TestClient) -> None:
    url = re.search(r"/static/css/app\.css\?v=[0-9a-f]{12}", client.get("/sw.js").text).group(0)
    response = client.get(url, headers={"Accept-Encoding": "gzip"})
    assert response.headers["cache-control"] == "public, max-age=31536000, immutable"
    assert response.headers["content-encoding"] == "gzip"
    assert client.get("/static/css/app.css").headers["cache-control"] == "no-cache"
