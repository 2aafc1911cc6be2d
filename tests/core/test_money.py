"""Money is integers of micro-units; Decimal only at the edges; floats are refused."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.money import MINOR_PER_UNIT, format_amount, format_money, from_minor, parse_amount, to_minor


def test_panel_rates_are_exact():
    assert to_minor(Decimal("0.90")) // 1000 == 900  # 0.0009 per unit
    assert to_minor("0.0000005") == 1  # half-up
    assert to_minor("0.0000004") == 0
    assert to_minor(Decimal("-1.5")) == -1_500_000


def test_float_is_refused():
    with pytest.raises(TypeError):
        to_minor(0.1)


@given(st.integers(min_value=-10**15, max_value=10**15))
def test_round_trip(minor):
    assert to_minor(from_minor(minor)) == minor


@pytest.mark.parametrize(("text", "minor"), [("12.5", 12_500_000), ("12,50", 12_500_000), (" 3 ", 3_000_000)])
def test_parse_amount(text, minor):
    assert parse_amount(text) == minor


@pytest.mark.parametrize("text", ["", "abc", "1e5", "NaN", "--"])
def test_parse_amount_refuses(text):
    with pytest.raises(ValueError):
        parse_amount(text)


def test_display_is_rounded_but_never_hides_a_small_amount():
    assert format_amount(12_345_678) == "12.35"
    assert format_amount(900) == "0.0009"
    assert format_amount(0) == "0.00"
    assert format_money(5 * MINOR_PER_UNIT, "USD") == "5.00 USD"
    assert format_amount(1_234_567_000_000) == "1\u202f234\u202f567.00"
