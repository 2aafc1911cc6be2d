"""Figures per day for the operators' charts: orders, turnover and profit of each day of a period,
the top services, and each panel's balance over time.

The same money rules as /stats (bot/domain/stats.py): turnover is what customers kept paying,
cost is stats.order_cost of each accepted order, profit = turnover − cost; all exact integers.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from bot.domain.stats import Period, order_cost
from bot.money import to_minor
from bot.panel.models import Balance
from bot.storage import balance_history, stats_daily
from bot.storage.balance_history import BalancePoint
from bot.storage.db import Database
from bot.storage.stats_daily import ServiceTotal

TOP_SERVICES = 8
TREND_DAYS = 30


@dataclass(frozen=True)
class DailyFigures:
    """One value per day of the period, oldest first (money in minor units), and the top services."""

    days: list[date]
    orders: list[int]
    turnover: list[int]
    profit: list[int]
    top: list[ServiceTotal]


def _stored(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="seconds")


async def daily_figures(db: Database, period: Period, *, now: datetime | None = None) -> DailyFigures:
    """The period's orders, turnover and profit per UTC day (days without orders count zero)."""
    now = now or datetime.now(UTC)
    since = period.since(now)
    rows = await stats_daily.orders_since(db.conn, _stored(since))
    first = since.date() if period is not Period.ALL or not rows else date.fromisoformat(rows[0].day)
    days = [first + timedelta(days=n) for n in range((now.astimezone(UTC).date() - first).days + 1)]
    index = {d.isoformat(): n for n, d in enumerate(days)}
    orders, turnover = [0] * len(days), [0] * len(days)
    cost = [Decimal(0)] * len(days)
    for row in rows:
        n = index.get(row.day)
        if n is None:
            continue
        orders[n] += 1
        turnover[n] += row.paid
        if row.basis is not None:
            cost[n] += order_cost(row.basis)
    profit = [paid - to_minor(spent) for paid, spent in zip(turnover, cost, strict=True)]
    top = await stats_daily.top_services(db.conn, _stored(since), TOP_SERVICES)
    return DailyFigures(days, orders, turnover, profit, top)


async def record_balance(db: Database, panel: str, balance: Balance) -> None:
    """Keep one reported balance for the trend."""
    async with db.transaction() as conn:
        await balance_history.add(conn, panel, balance.amount, balance.currency)


async def balance_trends(db: Database, *, days: int = TREND_DAYS,
                         now: datetime | None = None) -> dict[str, list[BalancePoint]]:
    """panel -> its balances of the last `days`, for panels with at least two (a trend needs two)."""
    since = (now or datetime.now(UTC)) - timedelta(days=days)
    found: dict[str, list[BalancePoint]] = {}
    for point in await balance_history.since(db.conn, _stored(since)):
        found.setdefault(point.panel, []).append(point)
    return {panel: points for panel, points in found.items() if len(points) >= 2}
