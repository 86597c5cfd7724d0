"""One rule for the rates the site computes (generators/numbers.py): half up, exact, unknown is not zero."""

from __future__ import annotations

from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from generators.inspections import Tally
from generators.numbers import percent, rate


def test_half_up_not_half_even():
    assert round(12.5) == 12  # what the site no longer does
    assert rate(1, 8, places=0) == 13  # 12.5 -> 13
    assert rate(1, 8) == 12.5 and rate(1, 3) == 33.3 and rate(2, 3) == 66.7
    assert rate(1947, 2000, places=2) == 97.35


def test_no_whole_is_unknown_not_zero():
    assert rate(0, 0) is None and percent(rate(0, 0)) == "—"
    assert Tally().completion_rate is None and Tally(items=4, done=1).completion_rate == 25.0


@given(st.integers(min_value=0, max_value=10**6), st.integers(min_value=1, max_value=10**6),
       st.integers(min_value=0, max_value=3))
def test_rate_is_exact_half_up(part, whole, places):
    exact = Fraction(100 * part, whole) * 10**places
    expected = (exact + Fraction(1, 2)).__floor__()  # half up, on exact fractions
    got = rate(part, whole, places)
    assert Fraction(str(got)) * 10**places == expected
