"""XmR charts on hand-built weekly series, checked against values worked by hand and against
NHSRplotthedots (the NHS-R Community's reference implementation of Making Data Count)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.governance.spc import (
    Assurance,
    Cause,
    Chart,
    Direction,
    Variation,
    WeeklyPoint,
    every_week,
    format_value,
    mean_moving_range,
    moving_ranges,
    xmr_chart,
)
from app.governance.spc_rules import Rule, close_pairs, runs, trends

HIGHER = Direction.higher_is_better
LOWER = Direction.lower_is_better
FIRST_MONDAY = date(2025, 1, 6)

# 13 weeks swinging 10, 14, 10 … 10: mean 154/13, every moving range 4, nothing special.
NOISE = [10, 14] * 6 + [10]
# 16 weeks wandering 10, 11, 12, 11 …: mean 11, every moving range 1.
WANDER = [10, 11, 12, 11] * 4


def weeks(values: list[float | None], records: int = 5) -> list[WeeklyPoint]:
    """One point a week from FIRST_MONDAY; ``None`` is a week with no records."""
    return [
        WeeklyPoint(FIRST_MONDAY + timedelta(weeks=n), value, 0 if value is None else records)
        for n, value in enumerate(values)
    ]


def chart(
    values: list[float | None], target: float | None = None, direction: Direction = HIGHER
) -> Chart:
    return xmr_chart(weeks(values), target, direction)


def flagged(result: Chart) -> list[tuple[float | None, tuple[Rule, ...], Cause | None]]:
    return [(p.value, p.rules, p.cause) for p in result.points if p.rules]


# --- The arithmetic ---------------------------------------------------------------------------


def test_mean_and_limits_worked_by_hand() -> None:
    # 12 weeks, every week-to-week change 3: mean 258 / 12 = 21.5, MR̄ = 33 / 11 = 3,
    # limits 21.5 ± 2.66 × 3 = 21.5 ± 7.98.
    result = chart([20, 23, 20, 23, 26, 23, 20, 23, 20, 17, 20, 23], target=20)
    assert result.mean == pytest.approx(21.5)
    assert result.mr_mean == pytest.approx(3)
    assert result.upper_limit == pytest.approx(29.48)
    assert result.lower_limit == pytest.approx(13.52)
    assert result.limits_drawn
    assert result.limits_note is None
    # 26 and 17 are inside two-thirds of the way to a limit (21.5 ± 5.32): nothing special.
    assert flagged(result) == []
    assert {p.cause for p in result.points} == {Cause.common}
    assert result.variation.kind is Variation.common_cause
    assert result.variation.icon == "common-cause"


def test_a_moving_range_of_3267_times_the_mean_is_screened_out_by_default() -> None:
    # Ten changes of 1, then a jump of 20: MR̄ = 30 / 11 ≈ 2.73; 20 ≥ 3.267 × 2.73 ≈ 8.91 is
    # screened and MR̄ taken again over the ten left: 1. Mean 145 / 12.
    values = [10, 11] * 5 + [10, 30]
    assert moving_ranges(weeks(values)) == [1] * 10 + [20]
    assert mean_moving_range([1] * 10 + [20]) == pytest.approx(1)
    assert mean_moving_range([1] * 10 + [20], screen=False) == pytest.approx(30 / 11)
    screened = chart(values)
    assert screened.mean == pytest.approx(145 / 12)
    assert screened.upper_limit == pytest.approx(145 / 12 + 2.66)
    assert screened.lower_limit == pytest.approx(145 / 12 - 2.66)
    kept = xmr_chart(weeks(values), None, HIGHER, screen_outliers=False)
    assert kept.upper_limit == pytest.approx(145 / 12 + 2.66 * 30 / 11)


def test_all_the_same_value_has_limits_on_the_mean_and_nothing_special() -> None:
    result = chart([100] * 12, target=80)
    assert (result.lower_limit, result.mean, result.upper_limit) == (100, 100, 100)
    assert flagged(result) == []
    assert result.assurance is not None
    assert result.assurance.kind is Assurance.passing


# --- Published examples of NHSRplotthedots ----------------------------------------------------

# R's set.seed(123); rnorm(20), as printed in NHSRplotthedots'
# tests/testthat/_snaps/ptd_spc_standard.md (commit ea2177d4) for test-ptd_spc_standard.R.
RNORM_123 = [
    -0.56047565, -0.23017749, 1.55870831, 0.07050839, 0.12928774,
    1.71506499, 0.46091621, -1.26506123, -0.68685285, -0.44566197,
    1.22408180, 0.35981383, 0.40077145, 0.11068272, -0.55584113,
    1.78691314, 0.49785048, -1.96661716, 0.70135590, -0.47279141,
]  # fmt: skip


def test_the_reference_example_of_twenty_random_points() -> None:
    # _snaps/ptd_spc_standard.md: mean_col 0.1416238, lpl -3.01138, upl 3.294627;
    # _snaps/ptd_spc.md: 20 points, all common cause.
    result = chart(RNORM_123)
    assert result.mean == pytest.approx(0.1416238, abs=1e-7)
    assert result.lower_limit == pytest.approx(-3.01138, abs=1e-5)
    assert result.upper_limit == pytest.approx(3.294627, abs=1e-6)
    assert flagged(result) == []


def test_the_reference_example_with_an_outlier_screened_and_not() -> None:
    # The same series with y[15] <- 10 (test-ptd_spc_standard.R, "testing the screen_outliers"):
    # screened (r2): mean 0.6694159, lpl -2.383666, upl 3.722497;
    # not screened (r3): lpl -4.596625, upl 5.935457.
    values = [*RNORM_123]
    values[14] = 10
    screened = chart(values)
    assert screened.mean == pytest.approx(0.6694159, abs=1e-7)
    assert screened.lower_limit == pytest.approx(-2.383666, abs=1e-6)
    assert screened.upper_limit == pytest.approx(3.722497, abs=1e-6)
    kept = xmr_chart(weeks(values), None, HIGHER, screen_outliers=False)
    assert kept.lower_limit == pytest.approx(-4.596625, abs=1e-6)
    assert kept.upper_limit == pytest.approx(5.935457, abs=1e-6)
    assert [p.value for p in screened.points if Rule.outside_limits in p.rules] == [10]


def test_the_reference_two_in_three_needs_both_points_on_one_side() -> None:
    # test-ptd_spc_standard.R (issue #143): 1, -1, … with the last two 5.5 and -5.5, both close
    # to a limit but on opposite sides of the mean: common cause.
    values: list[float | None] = [1, -1] * 8
    values[14], values[15] = 5.5, -5.5
    result = chart(values)
    assert [p.cause for p in result.points[-2:]] == [Cause.common, Cause.common]


def test_the_rules_as_the_reference_unit_tests_have_them() -> None:
    # tests/testthat/test-ptd_calculate_point_type.R, with the "part of" step folded in.
    assert runs([1] * 6) == [False] * 6
    assert runs([1] * 6 + [-1]) == [False] * 7
    assert runs([-1] + [1] * 8 + [-1]) == [False] + [True] * 8 + [False]
    assert runs([1, 1, 1, 0, 1, 1, 1, 1]) == [False] * 8  # a point on the mean breaks a run
    assert trends([1, 2, 3, 4, 5, 6]) == [0] * 6
    assert trends([1, 2, 3, 3, 4, 5, 6]) == [0] * 7  # an unchanged value breaks a trend
    assert trends([1, 2, 3, 4, 5, 6, 7]) == [1] * 7
    assert trends([2, 1, 2, 3, 4, 5, 6, 7, 3]) == [0] + [1] * 7 + [0]
    assert trends([7, 6, 5, 4, 3, 2, 1]) == [-1] * 7
    same_side = [1] * 7
    close = [False, False, True, False, True, False, False]
    assert close_pairs(close, same_side) == close
    assert close_pairs([True, False, False, True], [1] * 4) == [False] * 4
    assert close_pairs([True, False, False, True, True], [1] * 5) == [False] * 3 + [True] * 2


def test_where_a_rise_turns_into_a_fall_the_point_goes_with_the_later_trend() -> None:
    assert trends([1, 2, 3, 4, 5, 6, 7, 6, 5, 4, 3, 2, 1]) == [1] * 6 + [-1] * 7


# --- Each rule, at its boundary ---------------------------------------------------------------


def test_seven_weeks_on_one_side_of_the_mean_are_a_run_and_six_are_not() -> None:
    # NOISE then seven 13s: mean 245 / 20 = 12.25, so the 13s sit above it; MR̄ = 51 / 19,
    # limits 12.25 ± 7.14 and nothing near them; equal values make no trend.
    seven = chart([*NOISE, 13, 13, 13, 13, 13, 13, 13])
    assert flagged(seven) == [(13, (Rule.run,), Cause.improvement)] * 7
    assert seven.variation.kind is Variation.improvement
    assert seven.variation.icon == "improvement-high"
    # Six 13s: mean 232 / 19 ≈ 12.21, still under them, but six in a row is not a run.
    six = chart([*NOISE, 13, 13, 13, 13, 13, 13])
    assert flagged(six) == []
    assert six.variation.kind is Variation.common_cause


def test_seven_weeks_rising_are_a_trend_and_six_are_not() -> None:
    # 10 then 9, 10 … 15: seven points each higher than the one before (mean 11.9, limits
    # 11.9 ± 7.7). The first three are below the mean: a trend is read by its direction.
    seven = chart([*NOISE, 9, 10, 11, 12, 13, 14, 15])
    assert flagged(seven) == [(v, (Rule.trend,), Cause.improvement) for v in range(9, 16)]
    # 10 then 10, 11 … 15: the unchanged 10 breaks it, leaving six rising points.
    six = chart([*NOISE, 10, 11, 12, 13, 14, 15])
    assert flagged(six) == []


def test_seven_weeks_falling_are_a_trend_of_concern_when_higher_is_better() -> None:
    result = chart([*NOISE, 15, 14, 13, 12, 11, 10, 9])
    assert {cause for _, _, cause in flagged(result)} == {Cause.concern}
    assert result.variation.kind is Variation.concern
    assert result.variation.icon == "concern-low"


def test_two_of_three_weeks_close_to_a_limit_on_the_same_side() -> None:
    # WANDER then 14, 12, 14: mean 216 / 19 ≈ 11.37, MR̄ = 22 / 18 ≈ 1.22; two-thirds of the
    # way to the upper limit is ≈ 13.54 and the limit ≈ 14.62: both 14s are close, the 12
    # between them is not, and only the close points are marked (as the reference does).
    result = chart([*WANDER, 14, 12, 14])
    assert result.mean == pytest.approx(216 / 19)
    assert result.mr_mean == pytest.approx(22 / 18)
    assert flagged(result) == [(14, (Rule.close_to_limits,), Cause.improvement)] * 2


def test_two_close_weeks_four_apart_or_across_the_mean_are_not_a_signal() -> None:
    assert flagged(chart([*WANDER, 14, 12, 12, 14])) == []  # 2 of 4, not 2 of 3
    assert flagged(chart([*WANDER, 14, 10, 14])) == []  # the 10 is below the mean


def test_a_week_outside_the_limits_and_one_just_inside() -> None:
    # NOISE then 26: mean 180 / 14, MR̄ = 64 / 13 (16 < 3.267 × 64 / 13, so not screened):
    # upper limit ≈ 25.95, and 26 is beyond it.
    outside = chart([*NOISE, 26])
    assert outside.upper_limit == pytest.approx(180 / 14 + 2.66 * 64 / 13)
    assert flagged(outside) == [(26, (Rule.outside_limits,), Cause.improvement)]
    # NOISE then 25: upper limit 179 / 14 + 2.66 × 63 / 13 ≈ 25.68; 25 is close, but alone.
    inside = chart([*NOISE, 25])
    assert flagged(inside) == []


def test_a_week_can_match_several_rules_and_outside_the_limits_decides() -> None:
    result = chart([10, 11] * 5 + [10, 30])
    assert result.points[0].rules == (Rule.run, Rule.close_to_limits)
    assert result.points[1].rules == (Rule.run,)
    assert {p.cause for p in result.points[:11]} == {Cause.concern}  # 11 weeks under the mean
    assert result.points[-1].rules == (Rule.outside_limits,)
    assert result.points[-1].cause is Cause.improvement
    assert result.variation.kind is Variation.improvement  # the latest week decides


# --- Direction --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("values", "rule"),
    [
        ([*NOISE, 13, 13, 13, 13, 13, 13, 13], Rule.run),
        ([*NOISE, 9, 10, 11, 12, 13, 14, 15], Rule.trend),
        ([*WANDER, 14, 12, 14], Rule.close_to_limits),
        ([*NOISE, 26], Rule.outside_limits),
    ],
)
def test_the_good_direction_turns_improvement_into_concern(values: list[float], rule: Rule) -> None:
    higher, lower = chart(values, direction=HIGHER), chart(values, direction=LOWER)
    assert [p.rules for p in higher.points] == [p.rules for p in lower.points]
    assert any(rule in p.rules for p in higher.points)
    assert {cause for _, _, cause in flagged(higher)} == {Cause.improvement}
    assert {cause for _, _, cause in flagged(lower)} == {Cause.concern}
    assert (higher.variation.icon, lower.variation.icon) == ("improvement-high", "concern-high")


def test_a_fall_is_improvement_when_lower_is_better() -> None:
    result = chart([*NOISE, 15, 14, 13, 12, 11, 10, 9], direction=LOWER)
    assert result.variation.kind is Variation.improvement
    assert result.variation.icon == "improvement-low"


def test_the_latest_week_decides_the_variation_verdict() -> None:
    # The run of seven 13s, then an ordinary 10: the run stays marked, the verdict is common.
    result = chart([*NOISE, 13, 13, 13, 13, 13, 13, 13, 10])
    assert len(flagged(result)) == 7
    assert result.points[-1].cause is Cause.common
    assert result.variation.kind is Variation.common_cause


# --- Assurance --------------------------------------------------------------------------------

TWELVE = [10, 14] * 6  # mean 12, MR̄ 4: limits 1.36 and 22.64


@pytest.mark.parametrize(
    ("target", "direction", "expected", "icon"),
    [
        (0, HIGHER, Assurance.passing, "assurance-pass"),  # lower limit above the target
        (25, HIGHER, Assurance.failing, "assurance-fail"),  # upper limit below it
        (12, HIGHER, Assurance.hit_and_miss, "assurance-hit-and-miss"),
        (1.36, HIGHER, Assurance.hit_and_miss, "assurance-hit-and-miss"),  # on the limit
        (25, LOWER, Assurance.passing, "assurance-pass"),  # upper limit below the target
        (0, LOWER, Assurance.failing, "assurance-fail"),
        (12, LOWER, Assurance.hit_and_miss, "assurance-hit-and-miss"),
    ],
)
def test_assurance_against_the_target(
    target: float, direction: Direction, expected: Assurance, icon: str
) -> None:
    result = chart(TWELVE, target=target, direction=direction)
    assert (result.lower_limit, result.upper_limit) == (pytest.approx(1.36), pytest.approx(22.64))
    assert result.assurance is not None
    assert (result.assurance.kind, result.assurance.icon) == (expected, icon)
    assert format_value(target) in result.assurance.words


def test_no_assurance_without_a_target() -> None:
    assert chart(TWELVE).assurance is None


# --- Too few weeks, and gaps ------------------------------------------------------------------


def test_under_twelve_weeks_no_limits_and_the_chart_says_so() -> None:
    result = chart(TWELVE[:11], target=0)
    assert not result.limits_drawn
    assert (result.upper_limit, result.lower_limit) == (None, None)
    assert result.mean == pytest.approx(130 / 11)
    assert result.variation.kind is Variation.not_enough_data
    assert result.variation.icon == "not-enough-data"
    assert result.limits_note is not None
    assert "11 weeks have records and 12 are needed" in result.limits_note
    assert result.variation.words == result.limits_note
    assert result.assurance is None  # a target, but no limits to judge it by
    assert {p.cause for p in result.points} == {None}
    assert chart(TWELVE).limits_drawn


def test_a_gap_week_is_no_point_and_does_not_count_towards_twelve() -> None:
    result = chart([*TWELVE[:6], None, *TWELVE[6:11]])  # 12 weeks, 11 with records
    assert len(result.points) == 12
    assert result.weeks_with_data == 11
    assert not result.limits_drawn
    gap = result.points[6]
    assert (gap.is_gap, gap.value, gap.records, gap.cause, gap.rules) == (True, None, 0, None, ())


def test_twelve_weeks_with_no_two_in_a_row_draw_no_limits() -> None:
    result = chart([10, None] * 12)
    assert (result.weeks_with_data, result.mr_mean, result.limits_drawn) == (12, None, False)
    assert result.limits_note is not None
    assert "no two weeks in a row have records" in result.limits_note


def test_a_missing_week_is_filled_in_as_a_gap_and_order_does_not_matter() -> None:
    given = weeks([10, 14, 10, 14])
    del given[2]
    filled = every_week(reversed(given))
    assert [p.week_start for p in filled] == [FIRST_MONDAY + timedelta(weeks=n) for n in range(4)]
    assert [p.value for p in filled] == [10, 14, None, 14]


def test_no_moving_range_is_taken_across_a_gap() -> None:
    # Two levels either side of a gap: six 10/14 weeks, then six 30/34 weeks. Inside each, every
    # change is 4; across the gap it would have been 16 (MR̄ 56 / 11). MR̄ = 40 / 10 = 4.
    values: list[float | None] = [10, 14, 10, 14, 10, 14, None, 30, 34, 30, 34, 30, 34]
    assert moving_ranges(weeks(values)) == [4] * 10
    result = chart(values)
    assert result.mean == pytest.approx(22)
    assert result.mr_mean == pytest.approx(4)
    assert result.upper_limit == pytest.approx(32.64)


def test_a_run_counts_weeks_with_records_across_a_gap() -> None:
    values: list[float | None] = [10, 14, 10, 14, 10, 10, 13, 13, 13, None, 13, 13, 13, 13]
    result = chart(values)
    assert [p.value for p in result.points if Rule.run in p.rules] == [13] * 7


def test_no_weeks_at_all() -> None:
    result = chart([])
    assert (result.points, result.mean, result.limits_drawn) == ((), None, False)
    assert result.variation.kind is Variation.not_enough_data


def test_bad_series_are_refused() -> None:
    twice = [*weeks([10]), *weeks([12])]
    with pytest.raises(ValueError, match="two points"):
        xmr_chart(twice, None, HIGHER)
    tuesday = WeeklyPoint(FIRST_MONDAY + timedelta(days=8), 12, 1)
    with pytest.raises(ValueError, match="same weekday"):
        xmr_chart([*weeks([10]), tuesday], None, HIGHER)


def test_numbers_in_words() -> None:
    assert [format_value(v) for v in (80, 82.5, 82.46, -3.0, -0.01, 0.05)] == [
        "80", "82.5", "82.5", "-3", "0", "0.1",
    ]  # fmt: skip


@given(
    st.lists(
        st.one_of(st.none(), st.floats(min_value=-1e6, max_value=1e6)), min_size=12, max_size=60
    )
)
def test_a_mirrored_series_with_the_mirrored_direction_reads_the_same(
    values: list[float | None],
) -> None:
    mirrored = [None if v is None else -v for v in values]
    higher, lower = chart(values, direction=HIGHER), chart(mirrored, direction=LOWER)
    assert [(p.rules, p.cause) for p in higher.points] == [(p.rules, p.cause) for p in lower.points]
    assert higher.variation.kind is lower.variation.kind
    if higher.limits_drawn:
        assert higher.upper_limit == -(lower.lower_limit or 0)
