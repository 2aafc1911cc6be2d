"""Read-only figures across tables for the operators' /stats and /panels (no writes here).

Periods are given as a stored-format timestamp (`since`, see clock.py): ISO-8601 UTC text
compares correctly as text. Money stays exact: integer columns are summed in SQL, Decimal
text columns (rates, panel charges) are returned row by row for the caller to add up.
"""

from __future__ import annotations

import json
from collections.abc import Collection
from dataclasses import dataclass
from decimal import Decimal

import aiosqlite

from bot.storage.orders import OPEN_STATUSES_JSON


@dataclass(frozen=True)
class UserCounts:
    """Customers in total, first seen since, last seen since, and who ordered since."""

    total: int
    new: int
    active: int
    buyers: int


@dataclass(frozen=True)
class OrderCostBasis:
    """What an order cost the operator can be worked out from (Decimal text parsed)."""

    status: str
    quantity: int
    remains: int | None
    rate: Decimal
    rate_per: int
    panel_charge: Decimal | None
    exchange_rate: Decimal = Decimal(1)  # shop units per unit of the panel's currency, at placing


async def user_counts(conn: aiosqlite.Connection, since: str, *, exclude: Collection[int] = ()) -> UserCounts:
    """How many customers there are, and how many were new, active and buying since `since` (`exclude`: ids)."""
    skip = json.dumps(sorted(exclude))
    async with conn.execute(
        "SELECT COUNT(*), COALESCE(SUM(first_seen >= ?), 0), COALESCE(SUM(last_seen >= ?), 0) FROM users "
        "WHERE id NOT IN (SELECT CAST(value AS INTEGER) FROM json_each(?))",
        (since, since, skip),
    ) as cur:
        total, new, active = await cur.fetchone()
    async with conn.execute(
        "SELECT COUNT(DISTINCT user_id) FROM orders WHERE created_at >= ? "
        "AND user_id NOT IN (SELECT CAST(value AS INTEGER) FROM json_each(?))",
        (since, skip),
    ) as cur:
        (buyers,) = await cur.fetchone()
    return UserCounts(total, new, active, buyers)


async def orders_by_status(conn: aiosqlite.Connection, since: str) -> dict[str, int]:
    """status -> how many orders created since `since` are in it."""
    async with conn.execute(
        "SELECT status, COUNT(*) FROM orders WHERE created_at >= ? GROUP BY status ORDER BY status", (since,)
    ) as cur:
        return {row[0]: row[1] for row in await cur.fetchall()}


async def paid_net(conn: aiosqlite.Connection, since: str) -> int:
    """What customers paid for orders created since `since`, net of refunds (minor units)."""
    async with conn.execute(
        "SELECT COALESCE(SUM(price - refunded), 0) FROM orders WHERE created_at >= ?", (since,)
    ) as cur:
        return int((await cur.fetchone())[0])


async def cost_bases(conn: aiosqlite.Connection, since: str) -> list[OrderCostBasis]:
    """Orders created since `since` that a panel accepted, with what their cost is worked out from."""
    async with conn.execute(
        "SELECT status, quantity, remains, rate, rate_per, panel_charge, exchange_rate FROM orders "
        "WHERE created_at >= ? AND panel_order_id IS NOT NULL",
        (since,),
    ) as cur:
        return [
            OrderCostBasis(row[0], row[1], row[2], Decimal(row[3]), row[4],
                           Decimal(row[5]) if row[5] is not None else None, Decimal(row[6] or "1"))
            for row in await cur.fetchall()
        ]


async def open_orders_by_panel(conn: aiosqlite.Connection) -> dict[str, int]:
    """panel -> how many of its orders are still worked on (what the sync polls)."""
    async with conn.execute(
        "SELECT panel, COUNT(*) FROM orders WHERE status IN (SELECT value FROM json_each(?)) "
        "AND panel_order_id IS NOT NULL GROUP BY panel",
        (OPEN_STATUSES_JSON,),
    ) as cur:
        return {row[0]: row[1] for row in await cur.fetchall()}
