"""Quotes: whole Stars, exact credits, custom amounts rounded up and never credited short."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain.errors import LimitExceeded
from bot.domain.payments import (
    MAX_STARS,
    PRESET_STARS,
    TopupsOff,
    max_amount,
    preset_quotes,
    quote_amount,
    quote_stars,
    stars_rate,
)
from bot.money import MINOR_PER_UNIT, to_minor

rates = st.decimals(min_value=Decimal("0.01"), max_value=Decimal(1000), places=2, allow_nan=False,
                    allow_infinity=False).filter(lambda d: d > 0)


def test_a_round_rate_gives_round_numbers() -> None:
    rate = Decimal(50)
    assert quote_stars(250, rate).amount == to_minor("5")
    custom = quote_amount(to_minor("12.5"), rate)
    assert (custom.stars, custom.amount, custom.requested) == (625, to_minor("12.5"), to_minor("12.5"))


def test_a_custom_amount_rounds_up_to_whole_stars_and_credits_what_they_buy() -> None:
    rate = Decimal(3)  # one Star buys 0.333333… of a unit
    custom = quote_amount(to_minor("1"), rate)
    assert custom.stars == 3 and custom.amount == 1_000_000
    odd = quote_amount(to_minor("1.1"), rate)  # 3.3 Stars -> 4 Stars -> 1.333333
    assert odd.stars == 4 and odd.amount == 1_333_333


def test_a_preset_credits_its_stars_worth_rounded_down() -> None:
    assert quote_stars(100, Decimal(3)).amount == 33_333_333  # 33.333333(3) units, the 3… is not credited


def test_limits() -> None:
    rate = Decimal(50)
    with pytest.raises(LimitExceeded):
        quote_stars(0, rate)
    with pytest.raises(LimitExceeded):
        quote_stars(MAX_STARS + 1, rate)
    with pytest.raises(LimitExceeded):
        quote_amount(max_amount(rate) + 1, rate)
    assert quote_amount(max_amount(rate), rate).stars == MAX_STARS
    with pytest.raises(ValueError):
        quote_amount(0, rate)
    with pytest.raises(LimitExceeded):  # one Star would buy less than a minor unit
        quote_stars(1, Decimal(10_000_000))


def test_the_smallest_amount_costs_one_star() -> None:
    quote = quote_amount(1, Decimal(50))
    assert quote.stars == 1 and quote.amount == MINOR_PER_UNIT // 50


def test_presets_and_off() -> None:
    assert [q.stars for q in preset_quotes(Decimal(50))] == list(PRESET_STARS)
    assert [q.stars for q in preset_quotes(Decimal(300_000_000))] == [500, 1000, 2500]  # 100 Stars buy < 1 minor
    for unset in (None, Decimal(0), Decimal(-1)):
        with pytest.raises(TopupsOff):
            stars_rate(unset)
    assert stars_rate(Decimal("0.5")) == Decimal("0.5")


@given(rate=rates, amount=st.integers(min_value=1, max_value=50 * MINOR_PER_UNIT))
def test_a_custom_amount_is_never_credited_short_nor_by_a_whole_star_more(rate: Decimal, amount: int) -> None:
    try:
        quote = quote_amount(amount, rate)
    except LimitExceeded:
        assert (Decimal(amount) / MINOR_PER_UNIT) * rate > MAX_STARS or MINOR_PER_UNIT / rate < 1
        return
    one_star = Decimal(MINOR_PER_UNIT) / rate
    assert quote.amount >= amount
    assert quote.amount - amount < one_star or quote.stars == 1
    assert quote.stars == quote_stars(quote.stars, rate).stars
    # the credit is exactly what the Stars buy, to the minor unit below
    assert quote.amount <= Decimal(quote.stars) * MINOR_PER_UNIT / rate < quote.amount + 1
