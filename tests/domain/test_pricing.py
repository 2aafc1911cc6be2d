"""Pricing: exact Decimal arithmetic, half-up to the minor unit, markup resolution order."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain import pricing
from bot.panel.errors import InvalidOrder
from bot.panel.models import OrderRequest, OrderType
from bot.storage import markups
from bot.storage.catalogue import CachedService


def _service(type: OrderType = OrderType.DEFAULT, rate: str = "0.90") -> CachedService:
    return CachedService(
        panel="main", service_id="7", name="S", type=type, type_raw=type.value, category_id=1,
        category="Instagram Followers", platform="instagram", rate=Decimal(rate), min=1, max=100_000,
        description=None, dripfeed=True, refill=False, cancel=False, hidden=False, available=True,
    )


def test_price_is_rate_per_thousand_times_quantity_with_markup():
    # 0.90 per 1000 × 1500 = 1.35; +10 % = 1.485 -> 1_485_000 minor
    assert pricing.compute_price(Decimal("0.90"), 1500, 1000, Decimal(10)) == 1_485_000


def test_rounding_is_half_up_at_the_minor_unit():
    # 0.001 per 1000 × 1 = 0.000001 exactly; × 1.5 = 0.0000015 -> 2 minor (half-up), not 1 (banker's)
    assert pricing.compute_price(Decimal("0.001"), 1, 1000, Decimal(50)) == 2
    assert pricing.compute_price(Decimal("0.001"), 1, 1000, Decimal(49)) == 1


def test_negative_markup_never_makes_a_negative_price():
    assert pricing.compute_price(Decimal("5"), 1000, 1000, Decimal(-100)) == 0


@given(
    rate=st.decimals(min_value=Decimal("0.0001"), max_value=Decimal(10_000), places=4),
    units=st.integers(min_value=1, max_value=10_000_000),
    markup=st.decimals(min_value=Decimal(-99), max_value=Decimal(1000), places=2),
)
def test_price_matches_exact_fraction_arithmetic(rate, units, markup):
    from fractions import Fraction

    exact = Fraction(rate) / 1000 * units * (1 + Fraction(markup) / 100) * 1_000_000
    expected = int(exact) + (1 if exact - int(exact) >= Fraction(1, 2) else 0)
    assert pricing.compute_price(rate, units, 1000, markup) == expected


async def test_markup_resolution_service_over_shop_over_setting(db):
    service = _service()
    request = OrderRequest(service="7", link="https://x.io/a", quantity=1000)
    assert (await pricing.quote(db, service, request, Decimal(20))).price == 1_080_000
    await markups.put(db.conn, markups.SHOP_WIDE, Decimal("50"))
    assert (await pricing.quote(db, service, request, Decimal(20))).price == 1_350_000
    await markups.put(db.conn, markups.service_scope("main", "7"), Decimal("0"))
    quote = await pricing.quote(db, service, request, Decimal(20))
    assert (quote.price, quote.units, quote.rate_per, quote.markup) == (900_000, 1000, 1000, Decimal(0))
    await markups.delete(db.conn, markups.service_scope("main", "7"))
    assert (await pricing.quote(db, service, request, Decimal(20))).markup == Decimal(50)


async def test_package_rate_is_the_price_of_the_package(db):
    quote = await pricing.quote(db, _service(OrderType.PACKAGE, "12.5"),
                                OrderRequest(service="7", type=OrderType.PACKAGE, link="https://x.io"), Decimal(0))
    assert (quote.price, quote.units, quote.rate_per) == (12_500_000, 1, 1)


async def test_drip_feed_counts_every_run_and_comments_count_lines(db):
    drip = OrderRequest(service="7", link="https://x.io", quantity=100, runs=3, interval=10)
    assert (await pricing.quote(db, _service(rate="1"), drip, Decimal(0))).units == 300
    comments = OrderRequest(service="7", type=OrderType.CUSTOM_COMMENTS, link="https://x.io", comments=("a", "b"))
    quote = await pricing.quote(db, _service(OrderType.CUSTOM_COMMENTS, "8"), comments, Decimal(0))
    assert (quote.units, quote.price) == (2, 16_000)


async def test_subscription_holds_max_times_posts_and_needs_posts(db):
    service = _service(OrderType.SUBSCRIPTIONS, "2")
    request = OrderRequest(service="7", type=OrderType.SUBSCRIPTIONS, username="u", min=100, max=200,
                           posts=5, delay=0)
    quote = await pricing.quote(db, service, request, Decimal(0))
    assert (quote.units, quote.price) == (1000, 2_000_000)
    with pytest.raises(InvalidOrder):
        await pricing.quote(db, service, request.model_copy(update={"posts": None}), Decimal(0))


async def test_shown_rate_is_per_thousand_with_markup(db):
    assert await pricing.shown_rate(db, _service(rate="0.90"), Decimal(10)) == 990_000


def test_the_issue_example_in_rub():
    # SHOP_CURRENCY=RUB, /rate USD 92.5, 0.90 USD per 1000, 25 % markup: exactly 104.0625 RUB per 1000
    assert pricing.compute_price(Decimal("0.90"), 1000, 1000, Decimal(25), Decimal("92.5")) == 104_062_500


@given(
    rate=st.decimals(min_value=Decimal("0.0001"), max_value=Decimal(10_000), places=4),
    units=st.integers(min_value=1, max_value=10_000_000),
    markup=st.decimals(min_value=Decimal(-99), max_value=Decimal(1000), places=2),
    exchange=st.decimals(min_value=Decimal("0.000000000001"), max_value=Decimal(10**9), places=12),
)
def test_converted_price_matches_exact_fraction_arithmetic(rate, units, markup, exchange):
    """rate × exchange × markup is rounded once, at the micro-unit, whatever the rate's digits."""
    from fractions import Fraction

    exact = Fraction(rate) * Fraction(exchange) / 1000 * units * (1 + Fraction(markup) / 100) * 1_000_000
    expected = max(0, int(exact) + (1 if exact - int(exact) >= Fraction(1, 2) else 0))
    assert pricing.compute_price(rate, units, 1000, markup, exchange) == expected


async def test_a_panel_in_another_currency_without_a_rate_is_not_priced(db):
    from bot.domain import currency
    from bot.panel.models import Balance

    await currency.start(db, "RUB", {})
    await currency.note_balance(db, "main", Balance(amount=Decimal(5), currency="usd"))
    request = OrderRequest(service="7", link="https://x.io/a", quantity=1000)
    with pytest.raises(pricing.NoExchangeRate):
        await pricing.quote(db, _service(), request, Decimal(0))
    assert await currency.newly_unpriced(db) == [("main", "USD")]
    assert await currency.newly_unpriced(db) == []  # told once
    await currency.set_rate(db, "USD", Decimal("92.5"), actor=1, shop_currency="RUB")
    quote = await pricing.quote(db, _service(), request, Decimal(25))
    assert quote.price == 104_062_500 and quote.exchange_rate == Decimal("92.5")
