"""Indicator arithmetic on hand-made records, worked out by hand.

Rosewood House is in Europe/London. The week of Monday 19 October 2026 ends with the clocks
going back (02:00 BST on Sunday 25 October becomes 01:00 GMT), so Saturday's night shift runs
from 20:00 to 07:30 UTC, eleven and a half hours; the week of 26 October holds nothing; a note
about Tuesday 3 November is entered three days late.
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import Engine
from sqlmodel import Session

from app.governance.indicators import Scope, indicator_rows
from app.governance.weeks import Weeks
from app.org import service as org_service
from app.org.models import Site
from app.org.schemas import ShiftInput, ShiftPatternInput
from app.snapshot import service as snapshot_service
from app.snapshot.models import InteractionKind
from app.snapshot.schemas import SnapshotCreate
from tests.governance import helpers
from tests.support import PATTERN, World, actor_for, counted_queries

CLOCK_CHANGE_WEEK = date(2026, 10, 19)
EMPTY_WEEK = date(2026, 10, 26)
LATE_ENTRY_WEEK = date(2026, 11, 2)
FRI, SAT = date(2026, 10, 23), date(2026, 10, 24)


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)


def rows_of(session: Session, world: World, site: Site, start: date, end: date) -> Any:
    scope = Scope(theme=world.theme, sites=[site], weeks=Weeks.covering(start, end))
    rows = indicator_rows(session, scope=scope)
    return {(row.week_start, row.shift, row.day_kind.value): row.values for row in rows}


def make_records(session: Session, world: World) -> None:
    # Observations: Friday's Early (75, partly) with two actions, Friday's Late (100, yes) with
    # one, Saturday's Early (50, not asked); one voided, with its action.
    helpers.observation(
        session,
        world,
        utc(2026, 10, 23, 8),
        ratings=(2, 1, None),
        could_explain="partly",
        actions=((FRI, utc(2026, 10, 23, 20)), (SAT, utc(2026, 10, 26, 10))),
    )
    # Done at 23:30 UTC on its due date: already Saturday 00:30 in London, so late.
    helpers.observation(
        session, world, utc(2026, 10, 23, 14), actions=((FRI, utc(2026, 10, 23, 23, 30)),)
    )
    helpers.observation(
        session, world, utc(2026, 10, 24, 9), ratings=(1, 1, 1), could_explain="not_asked"
    )
    helpers.voided_observation(
        session,
        world,
        utc(2026, 10, 23, 10),
        ratings=(0, 0, 0),
        could_explain="no",
        actions=((FRI, None),),
    )
    # Notes on Friday's Early: 3 (with the theme), 2, 1 (restrictive); a voided 0.
    helpers.note(session, world, utc(2026, 10, 23, 10), level=3, theme_id=world.theme.id)
    helpers.note(session, world, utc(2026, 10, 23, 11), level=2)
    helpers.note(
        session,
        world,
        utc(2026, 10, 23, 12),
        level=1,
        restrictive_practice="environmental",
        restrictive_reason="Kept the kitchen door locked",
    )
    helpers.voided_note(session, world, utc(2026, 10, 23, 12, 30), level=0)
    # Saturday's night shift, across midnight and the clock change: 01:30 BST, the second
    # 01:30 (GMT), and 06:00 GMT on Sunday all belong to Saturday.
    helpers.note(session, world, utc(2026, 10, 25, 0, 30), level=2, theme_id=world.theme.id)
    helpers.note(session, world, utc(2026, 10, 25, 1, 30), level=3)
    helpers.note(session, world, utc(2026, 10, 25, 6), level=0)
    # Handovers: Early → Late discussed at the second answer, a manager there; Late → Night
    # not discussed; Night → Early never completed.
    helpers.handover(
        session,
        world,
        ("Early", FRI),
        ("Late", FRI),
        utc(2026, 10, 23, 13),
        answers=(False, True),
        manager_there=True,
    )
    helpers.handover(
        session, world, ("Late", FRI), ("Night", FRI), utc(2026, 10, 23, 20), answers=(False,)
    )
    helpers.handover(
        session,
        world,
        ("Night", SAT),
        ("Early", date(2026, 10, 25)),
        utc(2026, 10, 25, 7),
        answers=(True,),
        manager_there=True,
        complete=False,
    )
    # A late entry: Tuesday 3 November's Early, recorded on the Friday.
    helpers.note(session, world, utc(2026, 11, 3, 10), level=3, recorded=utc(2026, 11, 6, 12))


EMPTY = {
    "observations": 0,
    "staff_observed": 0,
    "practice_score": None,
    "explain_why": None,
    "notes": 0,
    "notes_with_theme": 0,
    "engaged_2plus": None,
    "engaged_3": None,
    "theme_engaged_2plus": None,
    "restrictive": 0,
    "restrictive_per_100": None,
    "handovers": 0,
    "prompt_coverage": None,
    "manager_at_handover": None,
    "actions_due": 0,
    "actions_on_time": None,
    "snapshots": 0,
    "snapshot_positive": None,
}


def expect(**values: Any) -> dict[str, Any]:
    return {**EMPTY, **values}


FRIDAY_EARLY = expect(
    observations=1,
    staff_observed=1,
    practice_score=75.0,
    explain_why=50.0,
    notes=3,
    notes_with_theme=1,
    engaged_2plus=66.7,
    engaged_3=33.3,
    theme_engaged_2plus=100.0,
    restrictive=1,
    restrictive_per_100=33.3,
    handovers=1,
    prompt_coverage=100.0,
    manager_at_handover=100.0,
    actions_due=1,
    actions_on_time=100.0,
)
FRIDAY_LATE = expect(
    observations=1,
    staff_observed=1,
    practice_score=100.0,
    explain_why=100.0,
    handovers=1,
    prompt_coverage=0.0,
    manager_at_handover=0.0,
    actions_due=1,
    actions_on_time=0.0,
)
SATURDAY_NIGHT = expect(
    notes=3,
    notes_with_theme=1,
    engaged_2plus=66.7,
    engaged_3=33.3,
    theme_engaged_2plus=100.0,
    restrictive_per_100=0.0,
)
WHOLE_WEEK = expect(
    observations=3,
    staff_observed=1,
    practice_score=75.0,
    explain_why=75.0,
    notes=6,
    notes_with_theme=2,
    engaged_2plus=66.7,
    engaged_3=33.3,
    theme_engaged_2plus=100.0,
    restrictive=1,
    restrictive_per_100=16.7,
    handovers=2,
    prompt_coverage=50.0,
    manager_at_handover=50.0,
    actions_due=3,
    actions_on_time=33.3,
)


def test_the_clock_change_week_adds_up_by_shift_and_day(session: Session, world: World) -> None:
    make_records(session, world)
    rows = rows_of(session, world, world.site, date(2026, 10, 21), date(2026, 11, 4))

    week = CLOCK_CHANGE_WEEK
    assert rows[week, "Early", "weekday"] == FRIDAY_EARLY
    assert rows[week, "Late", "weekday"] == FRIDAY_LATE
    assert rows[week, "Night", "weekend"] == SATURDAY_NIGHT
    assert rows[week, "Night", "weekday"] == EMPTY
    assert rows[week, "Early", "weekend"] == expect(
        observations=1, staff_observed=1, practice_score=50.0, actions_due=1, actions_on_time=0.0
    )
    assert rows[week, "Early", "all"] == {
        **FRIDAY_EARLY,
        "observations": 2,
        "practice_score": 62.5,
        "actions_due": 2,
        "actions_on_time": 50.0,
    }
    assert rows[week, "all", "weekday"]["observations"] == 2
    assert rows[week, "all", "weekday"]["explain_why"] == 75.0
    assert rows[week, "all", "all"] == WHOLE_WEEK


def test_an_empty_week_is_a_gap_and_a_late_entry_counts_where_it_happened(
    session: Session, world: World
) -> None:
    make_records(session, world)
    rows = rows_of(session, world, world.site, date(2026, 10, 21), date(2026, 11, 4))

    assert len(rows) == 3 * 4 * 3  # weeks × (Early, Late, Night, all) × day kinds
    assert {week for week, _shift, _kind in rows} == {
        CLOCK_CHANGE_WEEK,
        EMPTY_WEEK,
        LATE_ENTRY_WEEK,
    }
    for shift in ("Early", "Late", "Night", "all"):
        for kind in ("weekday", "weekend", "all"):
            assert rows[EMPTY_WEEK, shift, kind] == EMPTY
    late = expect(notes=1, engaged_2plus=100.0, engaged_3=100.0, restrictive_per_100=0.0)
    assert rows[LATE_ENTRY_WEEK, "Early", "weekday"] == late
    assert rows[LATE_ENTRY_WEEK, "all", "all"] == late
    assert rows[LATE_ENTRY_WEEK, "Late", "all"] == EMPTY


def test_a_record_with_no_shift_is_placed_by_the_sites_pattern(
    session: Session, world: World
) -> None:
    """A note made at 23:00 when the site had no night shift has no shift; it counts in the
    ``all`` rows of its day, and on the night shift once the pattern has one."""
    admin = actor_for(session, world.admin)
    days_only = ShiftPatternInput(
        shifts=[
            ShiftInput(name=s.name, starts_at=s.starts_at, ends_at=s.ends_at)
            for s in PATTERN.shifts[:2]
        ]
    )
    org_service.set_shift_pattern(
        session, actor=admin, site=world.site, data=days_only, now=utc(2026, 11, 2)
    )
    session.commit()
    made = helpers.note(session, world, utc(2026, 11, 4, 23), level=3)
    assert made.shift_date is None

    rows = rows_of(session, world, world.site, date(2026, 11, 4), date(2026, 11, 4))
    assert rows[LATE_ENTRY_WEEK, "all", "weekday"]["notes"] == 1
    assert "Night" not in {shift for _week, shift, _kind in rows}
    assert rows[LATE_ENTRY_WEEK, "Early", "all"]["notes"] == 0

    org_service.set_shift_pattern(
        session,
        actor=actor_for(session, world.admin),
        site=world.site,
        data=PATTERN,
        now=utc(2026, 11, 5),
    )
    session.commit()
    rows = rows_of(session, world, world.site, date(2026, 11, 4), date(2026, 11, 4))
    assert rows[LATE_ENTRY_WEEK, "Night", "weekday"]["notes"] == 1
    assert rows[LATE_ENTRY_WEEK, "all", "all"]["notes"] == 1


def test_snapshot_taps_add_up_across_snapshots_at_the_site(session: Session, world: World) -> None:
    """Two snapshots on the Early shift of Tuesday 17 November: (3 + 1) positive taps of
    (3 + 1 + 2 + 0 + 0) and (0 + 2) of (0 + 2 + 1 + 1 + 2): 6 of 12 taps positive."""
    manager = actor_for(session, world.manager)
    for minute, counts in ((0, (3, 1, 2, 0, 0)), (30, (0, 2, 1, 1, 2))):
        at = utc(2026, 11, 17, 9, minute)
        data = SnapshotCreate.model_validate(
            {"id": uuid.uuid4(), "site_id": world.site.id, "started_at": at, "minutes": 10}
            | dict(zip((kind.value for kind in InteractionKind), counts, strict=True))
        )
        snapshot_service.record_interaction_snapshot(
            session, actor=manager, data=data, now=at + timedelta(minutes=10)
        )
    session.commit()

    rows = rows_of(session, world, world.site, date(2026, 11, 16), date(2026, 11, 16))

    tuesday = expect(snapshots=2, snapshot_positive=50.0)
    assert rows[date(2026, 11, 16), "Early", "weekday"] == tuesday
    assert rows[date(2026, 11, 16), "all", "all"] == tuesday
    assert rows[date(2026, 11, 16), "Late", "all"] == EMPTY


def test_the_queries_do_not_grow_with_the_records(
    session: Session, world: World, engine: Engine
) -> None:
    """Sums are made in the store: as many queries for a hundred notes as for one."""

    def queries() -> int:
        with counted_queries(engine) as statements:
            rows_of(session, world, world.site, date(2026, 10, 19), date(2026, 11, 1))
        return len(statements)

    helpers.note(session, world, utc(2026, 10, 20, 10))
    few = queries()
    for minute in range(100):
        helpers.note(session, world, utc(2026, 10, 26, 8) + timedelta(minutes=minute))
    assert queries() == few
    rows = rows_of(session, world, world.site, date(2026, 10, 19), date(2026, 11, 1))
    assert rows[EMPTY_WEEK, "Early", "weekday"]["notes"] == 100
