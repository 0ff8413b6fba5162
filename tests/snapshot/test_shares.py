"""A snapshot's proportions add up to 100, in words and on the bar, however the counts fall."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from hypothesis import given
from hypothesis import strategies as st

from app.snapshot.models import InteractionKind, InteractionSnapshot
from app.snapshot.service import shares


def snapshot_of(counts: list[int]) -> InteractionSnapshot:
    moment = datetime(2026, 11, 23, 10, tzinfo=UTC)
    return InteractionSnapshot(
        id=uuid.uuid4(),
        organisation_id=uuid.uuid4(),
        site_id=uuid.uuid4(),
        observer_id=uuid.uuid4(),
        started_at=moment,
        minutes=10,
        recorded_at=moment,
        content_hash="",
        **{kind.value: value for kind, value in zip(InteractionKind, counts, strict=True)},
    )


def test_a_third_each_adds_up_to_100() -> None:
    found = shares(snapshot_of([1, 1, 1, 0, 0]))
    assert [share.percent for share in found] == [34, 33, 33, 0, 0]
    assert [share.width for share in found] == [35, 35, 30, 0, 0]


@given(st.lists(st.integers(0, 999), min_size=5, max_size=5).filter(any))
def test_shares_add_up_and_follow_the_counts(counts: list[int]) -> None:
    found = shares(snapshot_of(counts))
    assert sum(share.percent for share in found) == 100
    assert sum(share.width for share in found) == 100
    assert all(share.width % 5 == 0 for share in found)
    for share, value in zip(found, counts, strict=True):
        assert share.count == value
        assert abs(share.percent - 100 * value / sum(counts)) < 1
        assert (share.percent == 0) <= (value * 100 < sum(counts))  # shown as 0 only under 1 %


def test_equal_remainders_go_in_the_tallys_order() -> None:
    """148 of 150 is 98.67 %, and 1 of 150 is 0.67 % twice: the two units left go to the two
    small kinds in the tally's order, not to the large one by a rounding error."""
    found = shares(snapshot_of([0, 0, 1, 1, 148]))
    assert [share.percent for share in found] == [0, 0, 1, 1, 98]
