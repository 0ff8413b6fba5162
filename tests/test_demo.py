"""The demo data is for trying the app at any hour: its notes fall in the shift before the
current one, so the first handover has something to summarise whenever the demo was loaded."""

from __future__ import annotations

from datetime import datetime, time
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, col, func, select

from app.auth.passwords import Passwords
from app.demo import RECENT_NOTES, load_demo_data
from app.engagement.models import EngagementNote
from app.handover import shift_change
from app.org.models import Site
from app.snapshot.models import InteractionSnapshot
from tests.conftest import settings_for

LONDON = ZoneInfo("Europe/London")


@pytest.mark.parametrize(
    "clock", [time(0, 30), time(4, 35), time(7, 10), time(11, 0), time(14, 10), time(21, 15)]
)
def test_the_demo_notes_are_in_the_shift_a_handover_now_takes_over_from(
    engine: Engine, database_url: str, clock: time
) -> None:
    now = datetime.combine(datetime(2026, 11, 23).date(), clock, tzinfo=LONDON)
    settings = settings_for(database_url, demo_mode=True)
    with Session(engine) as session:
        load_demo_data(session, settings=settings, passwords=Passwords(settings), now=now)
        session.commit()
        site = session.exec(select(Site).where(Site.name == "Rosewood House")).one()
        change = shift_change.current_change(session, site=site, now=now)
        assert change is not None
        in_outgoing_shift = session.exec(
            select(func.count()).where(
                EngagementNote.site_id == site.id,
                col(EngagementNote.occurred_at) >= change.outgoing.starts,
                col(EngagementNote.occurred_at) < change.outgoing.ends,
                col(EngagementNote.recorded_at) <= now,
            )
        ).one()
    assert in_outgoing_shift == len(RECENT_NOTES)


def test_the_demo_has_a_few_snapshots_at_each_site(engine: Engine, database_url: str) -> None:
    now = datetime(2026, 11, 23, 11, tzinfo=LONDON)
    settings = settings_for(database_url, demo_mode=True)
    with Session(engine) as session:
        load_demo_data(session, settings=settings, passwords=Passwords(settings), now=now)
        session.commit()
        by_site = session.exec(
            select(Site.name, func.count())
            .join(InteractionSnapshot, col(InteractionSnapshot.site_id) == Site.id)
            .group_by(Site.name)
        ).all()
    assert dict(by_site) == {"Rosewood House": 3, "Beech Court": 2}
