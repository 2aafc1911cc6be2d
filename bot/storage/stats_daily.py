"""Read-only per-day figures for the operators' /stats chart (no writes here).

Days are the first ten characters of the stored UTC timestamps (YYYY-MM-DD), so grouping is the
same in SQLite and PostgreSQL text columns.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import aiosqlite

from bot.storage.stats import OrderCostBasis


@dataclass(frozen=True)
class DayOrder:
    """One order of the period: its day, what the customer kept paying, and its cost basis (None: no cost)."""

    day: str
    paid: int
    basis: OrderCostBasis | None


@dataclass(frozen=True)
class ServiceTotal:
    name: str
    orders: int
    paid: int


async def orders_since(conn: aiosqlite.Connection, since: str) -> list[DayOrder]:
    """Orders created since `since`, one row each (money exact: integers, Decimal text parsed)."""
    async with conn.execute(
        "SELECT substr(created_at, 1, 10), price - refunded, panel_order_id IS NOT NULL, status, quantity, "
        "remains, rate, rate_per, panel_charge FROM orders WHERE created_at >= ? ORDER BY created_at",
        (since,),
    ) as cur:
        rows = await cur.fetchall()
    return [
        DayOrder(r[0], int(r[1]), OrderCostBasis(r[3], r[4], r[5], Decimal(r[6]), r[7],
                                                 Decimal(r[8]) if r[8] is not None else None) if r[2] else None)
        for r in rows
    ]


async def top_services(conn: aiosqlite.Connection, since: str, limit: int) -> list[ServiceTotal]:
    """The services customers paid most for since `since` (net of refunds)."""
    async with conn.execute(
        "SELECT service_name, COUNT(*), SUM(price - refunded) AS paid FROM orders WHERE created_at >= ? "
        "GROUP BY service_name ORDER BY paid DESC, COUNT(*) DESC LIMIT ?",
        (since, limit),
    ) as cur:
        return [ServiceTotal(r[0], r[1], int(r[2])) for r in await cur.fetchall()]
