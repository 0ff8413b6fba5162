"""What a signed-in page costs the store: reading pages writes nothing but a ``last_seen_at``
touch at most once a minute, and many people reading and writing at once get no errors."""

from __future__ import annotations

import uuid
from concurrent.futures import ThreadPoolExecutor

import httpx
from sqlalchemy import Engine
from sqlmodel import Session, select
from starlette.testclient import TestClient

from app.auth.models import AuthSession
from app.main import create_app
from tests.conftest import settings_for
from tests.http_server import served
from tests.support import PASSWORD, FrozenClock, World, counted_queries, sign_in

WRITES = ("INSERT", "UPDATE", "DELETE")


def writes(statements: list[str]) -> list[str]:
    return [sql for sql in statements if sql.lstrip().upper().startswith(WRITES)]


def test_two_page_reads_within_a_minute_write_nothing(
    client: TestClient, world: World, engine: Engine, clock: FrozenClock
) -> None:
    sign_in(client, world.carer)
    with counted_queries(engine) as statements:
        assert client.get("/home").status_code == 200
        clock.advance(seconds=59)
        assert client.get("/account").status_code == 200
    assert writes(statements) == []


def test_a_page_read_after_a_minute_keeps_the_session_alive(
    client: TestClient, world: World, session: Session, clock: FrozenClock
) -> None:
    sign_in(client, world.carer)
    clock.advance(minutes=20)
    assert client.get("/home").status_code == 200
    session.expire_all()
    assert session.exec(select(AuthSession.last_seen_at)).one() == clock.now()
    clock.advance(minutes=20)  # 40 minutes after sign-in, 20 after the last page
    assert client.get("/home").status_code == 200


def test_many_people_reading_and_writing_at_once_get_no_errors(
    database_url: str, world: World, clock: FrozenClock
) -> None:
    # A day's idle timeout: the threads move the shared clock on by a minute at every step.
    app = create_app(settings_for(database_url, session_idle_minutes=24 * 60), clock=clock)
    writers = [world.carer, world.colleague, world.lead]
    readers = [world.manager, world.quality, world.admin]

    def shift_of(user, url: str) -> list[int]:  # type: ignore[no-untyped-def]
        statuses: list[int] = []
        with httpx.Client(base_url=url, headers={"Origin": url}, timeout=60) as http:
            signed_in = http.post(
                "/api/v1/auth/login", json={"email": user.email, "password": PASSWORD}
            )
            statuses.append(signed_in.status_code)
            for _ in range(8):
                clock.advance(seconds=61)  # every page read is due a last_seen_at touch
                statuses.append(http.get("/home").status_code)
                if user in writers:
                    note = {"id": str(uuid.uuid4()), "person_id": str(world.person.id), "level": 2}
                    statuses.append(http.post("/api/v1/engagement-notes", json=note).status_code)
                else:
                    statuses.append(http.get("/api/v1/me").status_code)
        return statuses

    with served(app) as url, ThreadPoolExecutor(len(writers + readers)) as pool:
        answers = [
            s for found in pool.map(lambda u: shift_of(u, url), writers + readers) for s in found
        ]
    assert [status for status in answers if status >= 500] == []
    assert set(answers) <= {200, 201}
