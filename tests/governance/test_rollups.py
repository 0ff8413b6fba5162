"""The rollups equal a recomputation from the records, whatever was written, amended or voided
since they were kept; and once kept, a dashboard's weeks are read from them, not worked out.

Records are made through the services a phone would use (``tests.governance.helpers``), at
Rosewood House (Europe/London, Early, Late and Night), over four weeks that hold the clocks
going back.
"""

from __future__ import annotations

import math
import uuid
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from random import Random

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from app.action import service as action_service
from app.action.models import FollowUpAction
from app.engagement.changes import amend_note, void_note
from app.engagement.models import EngagementNote
from app.engagement.schemas import EngagementContent
from app.governance import rollups
from app.governance.check import check_everywhere
from app.governance.families import Scope, worked_out
from app.governance.tally import COUNTS, Tally
from app.governance.weeks import Cell, Placer, Weeks
from app.observation import service as observation_service
from app.observation.models import Observation
from app.org import service as org_service
from app.org.schemas import ShiftInput, ShiftPatternInput
from app.snapshot import service as snapshot_service
from app.snapshot.schemas import SnapshotCreate
from tests.governance import helpers
from tests.support import PATTERN, World, actor_for, counted_queries

FIRST, LAST = date(2026, 10, 19), date(2026, 11, 9)  # Mondays: four weeks
START = datetime(2026, 10, 19, 0, 0, tzinfo=UTC)
END = datetime(2026, 11, 16, 0, 0, tzinfo=UTC)
NOW = END + timedelta(days=1)
SHIFT_CHANGES = (("Early", "Late", 0), ("Late", "Night", 0), ("Night", "Early", 1))


def scope_of(world: World) -> Scope:
    return Scope(theme=world.theme, sites=[world.site], weeks=Weeks(FIRST, LAST))


def assert_same(kept: dict[Cell, Tally], recomputed: dict[Cell, Tally]) -> None:
    """Equal counts, cell by cell; a score total equal up to the order floats were added in."""
    assert kept.keys() == recomputed.keys()
    for cell, tally in recomputed.items():
        other = kept[cell]
        assert other.staff == tally.staff, cell
        for name in COUNTS:
            assert math.isclose(getattr(other, name), getattr(tally, name)), (cell, name)


def read_both(session: Session, world: World) -> tuple[dict[Cell, Tally], dict[Cell, Tally]]:
    placer = Placer(session, [world.site])
    return rollups.cells(session, placer, scope_of(world)), worked_out(
        session, placer, scope_of(world)
    )


def keep(session: Session, world: World) -> int:
    kept = rollups.keep_weeks(session, Placer(session, [world.site]), scope_of(world))
    session.commit()
    return kept


class Writer:
    """Random writes of every kind the indicators count, through the services."""

    def __init__(self, session: Session, world: World, rng: Random) -> None:
        self.session, self.world, self.rng = session, world, rng
        self.handovers: set[tuple[str, date]] = set()

    def moment(self) -> datetime:
        seconds = int((END - START).total_seconds()) - 3600
        return START + timedelta(seconds=self.rng.randrange(seconds))

    def day(self) -> date:
        return FIRST + timedelta(days=self.rng.randrange(28))

    def note(self) -> None:
        fields: dict[str, object] = {}
        if self.rng.random() < 0.5:
            fields["theme_id"] = self.world.theme.id
        if self.rng.random() < 0.2:
            fields |= {"restrictive_practice": "physical", "restrictive_reason": "To keep safe"}
        late = NOW if self.rng.random() < 0.2 else None
        helpers.note(
            self.session,
            self.world,
            self.moment(),
            level=self.rng.randrange(4),
            recorded=late,
            **fields,
        )

    def amend(self) -> None:
        notes = self._open(EngagementNote)
        if not notes:
            return self.note()
        note = self.rng.choice(notes)
        data = EngagementContent(level=self.rng.randrange(4), occurred_at=self.moment())
        actor = actor_for(self.session, self.world.carer)
        amend_note(self.session, actor=actor, note=note, data=data, reason="Wrong", now=NOW)
        self.session.commit()

    def void(self) -> None:
        notes = self._open(EngagementNote)
        if notes:
            actor = actor_for(self.session, self.world.carer)
            void_note(self.session, actor=actor, note=self.rng.choice(notes), reason="x", now=NOW)
            self.session.commit()

    def observation(self) -> None:
        actions = tuple(
            (self.day(), self.moment() if self.rng.random() < 0.5 else None)
            for _ in range(self.rng.randrange(3))
        )
        helpers.observation(
            self.session,
            self.world,
            self.moment(),
            ratings=tuple(self.rng.choice((0, 1, 2, None)) for _ in range(3)),
            could_explain=self.rng.choice(("yes", "partly", "no", "not_asked")),
            actions=actions,
        )

    def void_observation(self) -> None:
        found = self._open(Observation)
        if found:
            observation_service.void_observation(
                self.session,
                actor=actor_for(self.session, self.world.manager),
                observation=self.rng.choice(found),
                reason="Wrong person",
                now=NOW,
            )
            self.session.commit()

    def toggle_action(self) -> None:
        found = list(self.session.exec(select(FollowUpAction)))
        if found:
            action = self.rng.choice(found)
            manager = actor_for(self.session, self.world.manager)
            change = (
                action_service.reopen_action if action.done_at else action_service.complete_action
            )
            change(self.session, actor=manager, action=action, now=self.moment())
            self.session.commit()

    def handover(self) -> None:
        outgoing, incoming, days = self.rng.choice(SHIFT_CHANGES)
        day = self.day()
        if (outgoing, day) in self.handovers:
            return
        self.handovers.add((outgoing, day))
        at = datetime.combine(day, datetime.min.time(), UTC) + timedelta(hours=14)
        helpers.handover(
            self.session,
            self.world,
            (outgoing, day),
            (incoming, day + timedelta(days=days)),
            at,
            answers=tuple(self.rng.random() < 0.6 for _ in range(self.rng.randrange(3))),
            manager_there=self.rng.random() < 0.5,
            complete=self.rng.random() < 0.8,
        )

    def snapshot(self) -> None:
        at = self.moment()
        data = SnapshotCreate.model_validate(
            {"id": uuid.uuid4(), "site_id": self.world.site.id, "started_at": at, "minutes": 5}
            | {"positive_social": self.rng.randrange(1, 4), "neutral": self.rng.randrange(3)}
        )
        snapshot_service.record_interaction_snapshot(
            self.session,
            actor=actor_for(self.session, self.world.manager),
            data=data,
            now=at + timedelta(minutes=5),
        )
        self.session.commit()

    def _open(self, model: type[EngagementNote] | type[Observation]) -> list:  # type: ignore[type-arg]
        return list(self.session.exec(select(model).where(model.voided_at.is_(None))))  # type: ignore[union-attr]

    def any(self) -> Callable[[], None]:
        return self.rng.choice(
            (
                self.note,
                self.note,
                self.note,
                self.amend,
                self.void,
                self.observation,
                self.void_observation,
                self.toggle_action,
                self.handover,
                self.snapshot,
            )
        )


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_rollups_equal_a_recomputation_after_random_writes_amends_and_voids(
    session: Session, world: World, seed: int
) -> None:
    rng = Random(seed)
    writer = Writer(session, world, rng)
    for _step in range(50):
        if rng.random() < 0.5:
            keep(session, world)
        writer.any()()
        assert_same(*read_both(session, world))
    keep(session, world)
    assert_same(*read_both(session, world))


def test_a_write_unkeeps_only_its_own_week(session: Session, world: World) -> None:
    helpers.note(session, world, datetime(2026, 10, 20, 10, tzinfo=UTC))
    assert keep(session, world) == 4  # nothing was kept: every week is worked out
    assert keep(session, world) == 0

    helpers.note(session, world, datetime(2026, 11, 3, 10, tzinfo=UTC))
    assert keep(session, world) == 1
    helpers.observation(
        session,
        world,
        datetime(2026, 10, 21, 9, tzinfo=UTC),
        actions=((date(2026, 11, 12), None),),
    )
    assert keep(session, world) == 2  # the observation's week and its action's


def test_kept_weeks_are_read_from_the_rollups_alone(
    session: Session, world: World, engine: Engine
) -> None:
    """Two queries (the week versions, the kept weeks) however many records lie under them."""
    for minute in range(0, 600, 7):
        helpers.note(
            session, world, datetime(2026, 10, 20, 8, tzinfo=UTC) + timedelta(minutes=minute)
        )
    keep(session, world)
    placer = Placer(session, [world.site])
    with counted_queries(engine) as statements:
        found = rollups.cells(session, placer, scope_of(world))
    assert len([s for s in statements if s.lstrip().startswith("SELECT")]) == 2
    assert (
        sum(
            t.notes
            for (_s, _w, shift, kind), t in found.items()
            if shift == "all" and kind == "all"
        )
        == 86
    )


def test_a_new_shift_pattern_unkeeps_the_sites_weeks(session: Session, world: World) -> None:
    """Records are placed by the site's pattern: under another, kept weeks are worked out again."""
    helpers.note(session, world, datetime(2026, 10, 20, 23, tzinfo=UTC))
    keep(session, world)
    days_only = ShiftPatternInput(
        shifts=[
            ShiftInput(name=s.name, starts_at=s.starts_at, ends_at=s.ends_at)
            for s in PATTERN.shifts[:2]
        ]
    )
    org_service.set_shift_pattern(
        session,
        actor=actor_for(session, world.admin),
        site=world.site,
        data=days_only,
        now=NOW,
    )
    session.commit()
    kept, recomputed = read_both(session, world)
    assert_same(kept, recomputed)
    assert not any(shift == "Night" for _site, _week, shift, _kind in kept)
    assert keep(session, world) == 4


def test_the_governance_check_keeps_the_charted_weeks(session: Session, world: World) -> None:
    helpers.note(session, world, datetime(2026, 11, 3, 10, tzinfo=UTC), theme_id=world.theme.id)
    check_everywhere(session, now=NOW)
    session.commit()
    scope = Scope(theme=world.theme, sites=[world.site], weeks=Weeks(date(2026, 6, 1), LAST))
    assert rollups.keep_weeks(session, Placer(session, [world.site]), scope) == 0
