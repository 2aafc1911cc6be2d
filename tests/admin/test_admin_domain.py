"""Telegram-free admin rules: stats periods and costs, the broadcast's pacing and counting."""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, datetime
from decimal import Decimal

import pytest

from bot.domain import broadcast, stats
from bot.domain.stats import Period
from bot.storage import users
from bot.storage.stats import OrderCostBasis
from tests import dbs
from tests.domain.conftest import placed_order

# the `db` fixture (and its target) over both databases: SQLite and PostgreSQL (tests/dbs.py)
db, db_target = dbs.db, dbs.db_target


def test_periods_start_where_they_say():
    now = datetime(2024, 5, 31, 15, 45, 10, tzinfo=UTC)
    assert Period.TODAY.since(now) == datetime(2024, 5, 31, tzinfo=UTC)
    assert Period.WEEK.since(now) == datetime(2024, 5, 24, 15, 45, 10, tzinfo=UTC)
    assert Period.MONTH.since(now) == datetime(2024, 5, 1, 15, 45, 10, tzinfo=UTC)
    assert Period.ALL.since(now).year == 1970


@pytest.mark.parametrize(("basis", "cost"), [
    (OrderCostBasis("completed", 1000, 0, Decimal("0.90"), 1000, Decimal("0.85")), Decimal("0.85")),
    (OrderCostBasis("pending", 1000, None, Decimal("0.90"), 1000, None), Decimal("0.9")),
    (OrderCostBasis("partial", 1000, 400, Decimal("0.90"), 1000, None), Decimal("0.54")),
    (OrderCostBasis("partial", 1000, 5000, Decimal("0.90"), 1000, None), Decimal(0)),
    (OrderCostBasis("canceled", 1000, 1000, Decimal("0.90"), 1000, Decimal("0.90")), Decimal(0)),
    (OrderCostBasis("completed", 1, None, Decimal("2.50"), 1, None), Decimal("2.50")),  # a package
])
def test_order_cost(basis, cost):
    assert stats.order_cost(basis) == cost


async def test_stats_count_the_period_only_and_leave_operators_out(db):
    old = await placed_order(db, user_id=5, price=2_000_000)
    await placed_order(db, user_id=6, price=1_000_000)
    async with db.transaction() as conn:
        await conn.execute("UPDATE orders SET created_at = '2020-01-01T00:00:00+00:00' WHERE id = ?", (old,))
        await conn.execute("UPDATE users SET first_seen = '2020-01-01T00:00:00+00:00', "
                           "last_seen = '2020-01-01T00:00:00+00:00' WHERE id = 5")
        await users.touch(conn, 1)  # an operator who wrote in the admin group
    today = await stats.shop_stats(db, Period.TODAY, operators={1})
    assert (today.customers.total, today.customers.new, today.customers.active, today.customers.buyers) == \
        (2, 1, 1, 1)
    assert (today.orders, today.turnover, today.cost) == ({"pending": 1}, 1_000_000, 1_000_000)
    ever = await stats.shop_stats(db, Period.ALL, operators={1})
    assert (ever.order_total, ever.turnover, ever.profit) == (2, 3_000_000, 1_000_000)


async def test_the_rate_window_never_lets_more_than_its_limit_through():
    window = broadcast.RateWindow(limit=5, period=0.2)
    started = time.monotonic()
    stamps = []
    for _ in range(12):
        await window.acquire()
        stamps.append(time.monotonic())
    assert all(stamps[i + 5] - stamps[i] >= 0.2 for i in range(len(stamps) - 5))
    assert 0.4 <= time.monotonic() - started < 0.8


async def test_a_broadcast_counts_sent_blocked_failed_and_skips_operators(db):
    async with db.transaction() as conn:
        for user_id in range(1, 31):
            await users.touch(conn, user_id)
        await users.set_banned(conn, 7, True)
        await users.set_blocked(conn, 8, True)
    reached: list[int] = []

    async def send(user_id: int) -> bool:
        await asyncio.sleep(0)
        if user_id % 10 == 0:
            raise ConnectionError("network")
        reached.append(user_id)
        return user_id % 3 != 0  # every third blocked the bot

    assert await broadcast.audience(db, operators={1, 2, 8}) == 26
    result = await broadcast.run_broadcast(db, send, limiter=broadcast.RateWindow(limit=1000), operators={1, 2})
    assert sorted(reached) == [u for u in range(3, 31) if u not in (7, 8) and u % 10]
    assert (result.total, result.failed, result.blocked, result.sent) == (26, 3, 9, 14)
    assert result.done == result.total and not result.stopped


async def test_a_stopped_broadcast_ends_after_the_sends_under_way(db):
    async with db.transaction() as conn:
        for user_id in range(1, 51):
            await users.touch(conn, user_id)
    sent: list[int] = []

    async def send(user_id: int) -> bool:
        sent.append(user_id)
        return True

    result = await broadcast.run_broadcast(db, send, limiter=broadcast.RateWindow(limit=1000),
                                           should_stop=lambda: len(sent) >= 10)
    assert result.stopped and 10 <= result.sent < 50 and result.sent == len(sent)
