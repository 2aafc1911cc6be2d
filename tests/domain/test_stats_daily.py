"""The charts' daily figures follow /stats's money rules: per-day sums equal the period's totals."""

from __future__ import annotations

import tempfile
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.domain import stats, stats_daily
from bot.domain.stats import Period
from bot.panel.models import Balance
from bot.storage.db import Database
from tests.domain.conftest import placed_order

NOW = datetime(2026, 6, 30, 12, 0, tzinfo=UTC)

orders = st.lists(st.tuples(
    st.integers(min_value=0, max_value=40),  # days before NOW (some outside 30 days)
    st.integers(min_value=1, max_value=5_000_000),  # price
    st.sampled_from(["pending", "completed", "partial", "canceled", "refunded", "failed", "unknown"]),
    st.integers(min_value=0, max_value=1000),  # remains
    st.one_of(st.none(), st.decimals(min_value=0, max_value=10, places=4)),  # the panel's charge
    st.integers(min_value=0, max_value=100),  # percent refunded
), max_size=25)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=orders, period=st.sampled_from([Period.WEEK, Period.MONTH]))
async def test_daily_figures_add_up_to_the_periods_stats(rows, period):
    with tempfile.TemporaryDirectory() as folder:
        db = await Database.open(Path(folder) / "bot.db")
        try:
            for n, (days_ago, price, status, remains, charge, refunded) in enumerate(rows):
                order_id = await placed_order(db, user_id=n % 3 + 1, price=price, status=status)
                created = (NOW - timedelta(days=days_ago, minutes=n)).isoformat(timespec="seconds")
                async with db.transaction() as conn:
                    await conn.execute(
                        "UPDATE orders SET created_at = ?, remains = ?, panel_charge = ?, refunded = ? WHERE id = ?",
                        (created, remains, None if charge is None else str(charge), price * refunded // 100,
                         order_id))
            figures = await stats_daily.daily_figures(db, period, now=NOW)
            totals = await stats.shop_stats(db, period, now=NOW)
        finally:
            await db.close()
    assert len(figures.days) == {Period.WEEK: 7, Period.MONTH: 30}[period] + 1
    assert sum(figures.orders) == totals.order_total
    assert sum(figures.turnover) == totals.turnover
    # profit rounds each day's cost to the minor unit, the period total rounds once: at most ½ per day apart
    assert abs(sum(figures.profit) - totals.profit) <= len(figures.days)
    assert sum(t.orders for t in figures.top) == totals.order_total  # one service name here: it is the top


async def test_balance_trend_needs_two_readings(db):
    await stats_daily.record_balance(db, "main", Balance(amount=Decimal("10.5"), currency="USD"))
    assert await stats_daily.balance_trends(db) == {}
    await stats_daily.record_balance(db, "main", Balance(amount=Decimal("9.25"), currency="USD"))
    [first, second] = (await stats_daily.balance_trends(db))["main"]
    assert (first.amount, second.amount, second.currency) == (Decimal("10.5"), Decimal("9.25"), "USD")
