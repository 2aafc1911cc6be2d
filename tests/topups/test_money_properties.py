"""Property tests of the payment methods' money rules: conversion, limits, bonus, at-most-once credit."""

from __future__ import annotations

import asyncio
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.config_payments import BonusRule, parse_bonus
from bot.domain import topups
from bot.domain.errors import LimitExceeded
from bot.domain.topup_money import bonus as bonus_of
from bot.domain.topup_money import convert, credit_for_paid, exponent, limits
from bot.money import MINOR_PER_UNIT
from bot.storage import ledger
from bot.storage.topups import TopupStatus

amounts = st.integers(min_value=1, max_value=10**12)  # up to a million units, in minor units
rates = st.decimals(min_value=Decimal("0.000001"), max_value=Decimal("100000"), places=6, allow_nan=False,
                    allow_infinity=False).filter(lambda d: d > 0)
currencies = st.sampled_from(["USD", "EUR", "RUB", "JPY", "KRW", "BTC", "TON"])


@given(amounts, rates, currencies)
def test_conversion_never_credits_less_than_asked_nor_more_than_one_step_above(requested, rate, currency) -> None:
    c = convert(requested, rate, currency)
    step = Decimal(1).scaleb(-exponent(currency))
    assert c.pay == c.pay.quantize(step) and c.pay_units == int(c.pay.scaleb(exponent(currency)))
    # exact in integers: pay × rate (in minor units) floors to the credit
    assert c.credit == credit_for_paid(c.pay, rate)
    assert c.credit >= requested
    if c.pay_units > 1:
        # one step less would not have bought what was asked: the customer never overpays by a step
        assert credit_for_paid(c.pay - step, rate) < requested
    assert Decimal(c.credit) <= c.pay * rate * MINOR_PER_UNIT < Decimal(c.credit + 1)


@given(amounts, rates, currencies)
def test_conversion_is_deterministic_and_monotonic(requested, rate, currency) -> None:
    assert convert(requested, rate, currency) == convert(requested, rate, currency)
    assert convert(requested + 1, rate, currency).pay >= convert(requested, rate, currency).pay


@given(st.decimals(min_value=Decimal("0.01"), max_value=Decimal("100"), places=2),
       st.decimals(min_value=Decimal("0"), max_value=Decimal("1000"), places=2),
       st.integers(min_value=0, max_value=10**13))
def test_bonus_is_a_floor_of_the_percent_above_the_threshold_only(percent, threshold, credit) -> None:
    rule = BonusRule(percent=percent, threshold=threshold)
    got = bonus_of(rule, credit)
    if credit == 0 or Decimal(credit) < threshold * MINOR_PER_UNIT:
        assert got == 0
    else:
        exact = Decimal(credit) * percent / 100
        assert got <= exact < got + 1 and got >= 0


def test_bonus_rule_parses_the_documented_shapes() -> None:
    assert parse_bonus("+5% from 50") == BonusRule(percent=Decimal(5), threshold=Decimal(50))
    assert parse_bonus("2.5%") == BonusRule(percent=Decimal("2.5"), threshold=Decimal(0))
    for bad in ("5", "+5% to 50", "-5% from 1", "abc", "500% from 1"):
        with pytest.raises(ValueError):
            parse_bonus(bad)
    assert bonus_of(None, 10**9) == 0


@given(st.decimals(min_value=Decimal("0.01"), max_value=Decimal("1000"), places=2),
       st.decimals(min_value=Decimal("1000.01"), max_value=Decimal("100000"), places=2), rates)
def test_limits_convert_exactly(low, high, rate) -> None:
    found = limits(low, high, rate)
    assert found.low <= found.high
    with pytest.raises(LimitExceeded):
        found.check(found.high + 1)
    found.check(found.high)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.integers(min_value=1, max_value=6), st.integers(min_value=1, max_value=10**9),
       st.booleans())
async def test_a_top_up_is_credited_at_most_once_whatever_reports_it(db, reports, amount, with_bonus) -> None:
    rule = BonusRule(percent=Decimal(5), threshold=Decimal(0)) if with_bonus else None
    row = await topups.record(db, method="cryptopay", user_id=7, conversion=convert(amount, Decimal(1), "USD"),
                              prefix="T", status=TopupStatus.PENDING, expires_in=None)
    before = await ledger.balance(db.conn, 7)
    results = await asyncio.gather(*(topups.credit(db, row.id, rule=rule, external_id=f"inv{row.id}")
                                     for _ in range(reports)))
    assert sum(r.first_time for r in results) == 1
    credit = convert(amount, Decimal(1), "USD").credit
    expected = credit + (bonus_of(rule, credit) if rule else 0)
    assert await ledger.balance(db.conn, 7) - before == expected
    # a closed row never credits: a late report for a rejected one is refused
    other = await topups.record(db, method="manual:Bank", user_id=7, conversion=convert(amount, Decimal(1), "USD"),
                                prefix="T", status=TopupStatus.RECEIPT, expires_in=None)
    await topups.close(db, other.id, TopupStatus.REJECTED, actor=1, note="no")
    from bot.domain.errors import WrongState

    with pytest.raises(WrongState):
        await topups.credit(db, other.id, rule=rule)
    assert await ledger.balance(db.conn, 7) - before == expected


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.sampled_from(["paid", "paid", "expired", "active", "foreign"]), min_size=1, max_size=8))
async def test_crypto_reports_in_any_order_credit_at_most_once(db, events) -> None:
    from bot.domain import crypto_topups
    from bot.payments.cryptopay import CryptoInvoice

    user = 9
    row = await topups.record(db, method="cryptopay", user_id=user, conversion=convert(5_000_000, Decimal(1), "USD"),
                              prefix="CP", status=TopupStatus.PENDING, expires_in=None)
    before = await ledger.balance(db.conn, user)

    def report(status: str, payload: str | None) -> CryptoInvoice:
        return CryptoInvoice(invoice_id=f"i{row.id}", status=status, currency_type="fiat", asset=None, fiat="USD",
                             amount=Decimal("5.00"), payload=payload, pay_url=None, paid_asset="USDT",
                             paid_amount=Decimal("5.00") if status == "paid" else None)

    firsts = 0
    for event in events:
        if event == "foreign":  # someone else's (or a made-up) reference: nothing of ours moves
            assert await crypto_topups.apply_invoice(db, report("paid", "CP-NOTOURS"), None) is None
            continue
        outcome = await crypto_topups.apply_invoice(db, report(event, row.reference), None)
        firsts += bool(outcome and outcome.settled and outcome.settled.first_time)
    paid = "paid" in events
    assert firsts == (1 if paid else 0)
    assert await ledger.balance(db.conn, user) - before == (5_000_000 if paid else 0)
