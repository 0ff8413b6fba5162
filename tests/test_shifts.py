"""Shift derivation from a site's pattern and time zone: across midnight and both clock changes."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given
from hypothesis import strategies as st

from app.org.shifts import ShiftTimes, occurrence_on, shift_at

LONDON = ZoneInfo("Europe/London")
EARLY = ShiftTimes("Early", time(7, 0), time(14, 30))
LATE = ShiftTimes("Late", time(14, 0), time(21, 30))
NIGHT = ShiftTimes("Night", time(21, 0), time(7, 30))
PATTERN = [EARLY, LATE, NIGHT]
BY_NAME = {shift.name: shift for shift in PATTERN}

moments = st.datetimes(
    min_value=datetime(2025, 1, 1), max_value=datetime(2028, 12, 31), timezones=st.just(UTC)
)


@given(moments)
def test_every_moment_falls_in_exactly_the_shift_that_started_last(moment: datetime) -> None:
    found = shift_at(PATTERN, moment, LONDON)
    assert found is not None  # the pattern covers the whole day
    assert found.starts <= moment < found.ends
    later_starts = [
        occurrence
        for shift in PATTERN
        for day in (found.start_date, found.start_date + timedelta(days=1))
        if found.starts < (occurrence := occurrence_on(shift, day, LONDON)).starts <= moment
    ]
    assert later_starts == []


@given(moments)
def test_a_shift_starts_and_ends_at_its_local_wall_clock_times(moment: datetime) -> None:
    found = shift_at(PATTERN, moment, LONDON)
    assert found is not None
    shift = BY_NAME[found.name]
    assert found.starts.astimezone(LONDON).time() == shift.starts_at
    assert found.ends.astimezone(LONDON).time() == shift.ends_at
    assert found.starts.astimezone(LONDON).date() == found.start_date


@given(st.dates(min_value=date(2025, 1, 1), max_value=date(2028, 12, 31)))
def test_a_night_lasts_ten_and_a_half_hours_give_or_take_a_clock_change(day: date) -> None:
    night = occurrence_on(NIGHT, day, LONDON)
    offset_change = (
        night.ends.astimezone(LONDON).utcoffset() - night.starts.astimezone(LONDON).utcoffset()
    )
    assert night.ends - night.starts == timedelta(hours=10, minutes=30) - offset_change


def test_night_shift_crosses_midnight() -> None:
    found = shift_at(PATTERN, datetime(2026, 11, 24, 2, 0, tzinfo=UTC), LONDON)
    assert found is not None
    assert (found.name, found.start_date) == ("Night", date(2026, 11, 23))


def test_the_night_the_clocks_go_forward_is_an_hour_shorter() -> None:
    # 29 March 2026: 01:00 GMT becomes 02:00 BST.
    found = shift_at(PATTERN, datetime(2026, 3, 29, 1, 30, tzinfo=UTC), LONDON)
    assert found is not None
    assert (found.name, found.start_date) == ("Night", date(2026, 3, 28))
    assert found.starts == datetime(2026, 3, 28, 21, 0, tzinfo=UTC)
    assert found.ends == datetime(2026, 3, 29, 6, 30, tzinfo=UTC)
    assert found.ends - found.starts == timedelta(hours=9, minutes=30)


def test_the_night_the_clocks_go_back_is_an_hour_longer() -> None:
    # 25 October 2026: 02:00 BST becomes 01:00 GMT, and 01:30 happens twice.
    first_half_past_one = datetime(2026, 10, 25, 0, 30, tzinfo=UTC)
    second_half_past_one = datetime(2026, 10, 25, 1, 30, tzinfo=UTC)
    first = shift_at(PATTERN, first_half_past_one, LONDON)
    second = shift_at(PATTERN, second_half_past_one, LONDON)
    assert first == second
    assert first is not None
    assert first.start_date == date(2026, 10, 24)
    assert first.ends - first.starts == timedelta(hours=11, minutes=30)


def test_the_overlap_at_handover_belongs_to_the_shift_coming_on() -> None:
    found = shift_at(PATTERN, datetime(2026, 11, 23, 14, 15, tzinfo=UTC), LONDON)
    assert found is not None
    assert found.name == "Late"


def test_a_gap_in_the_pattern_has_no_shift() -> None:
    days_only = [EARLY, LATE]
    assert shift_at(days_only, datetime(2026, 11, 23, 23, 0, tzinfo=UTC), LONDON) is None
