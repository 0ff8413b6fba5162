"""The practice score, as SCALES.md defines it: the mean of the rated behaviours / 2, as a
percentage; "no chance to see it" is left out; nothing rated, no score."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.observation.service import practice_score

ratings = st.lists(st.one_of(st.none(), st.integers(min_value=0, max_value=2)), max_size=8)


@pytest.mark.parametrize(
    ("given_ratings", "score"),
    [
        ([2, 2, 2], 100.0),
        ([0, 0], 0.0),
        ([2, 1, None], 75.0),
        ([1], 50.0),
        ([2, 0, 1, None, None], 50.0),
        ([2, 1, 1], pytest.approx(66.6667, abs=1e-3)),
        ([None, None], None),
        ([], None),
    ],
)
def test_the_score_of_worked_examples(given_ratings: list[int | None], score: object) -> None:
    assert practice_score(given_ratings) == score


@given(ratings)
def test_a_score_is_a_percentage_and_missing_only_when_nothing_was_rated(
    given_ratings: list[int | None],
) -> None:
    score = practice_score(given_ratings)
    rated = [rating for rating in given_ratings if rating is not None]
    assert (score is None) == (not rated)
    if score is not None:
        assert 0 <= score <= 100
        assert score == pytest.approx(100 * sum(rated) / (2 * len(rated)))


@given(st.integers(min_value=1, max_value=8), st.integers(min_value=0, max_value=4))
def test_all_seen_consistently_is_100_and_all_not_seen_is_0(rated: int, unseen: int) -> None:
    no_chance: list[int | None] = [None] * unseen
    assert practice_score([2] * rated + no_chance) == 100
    assert practice_score(no_chance + [0] * rated) == 0


@given(ratings)
def test_no_chance_to_see_it_never_moves_the_score(given_ratings: list[int | None]) -> None:
    assert practice_score([*given_ratings, None]) == practice_score(given_ratings)
