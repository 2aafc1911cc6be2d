"""Markup percents: shop-wide ('*') and per service ('panel:service_id'), exact Decimal text."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import aiosqlite

from bot.storage.clock import now_text

SHOP_WIDE = "*"


def service_scope(panel: str, service_id: str) -> str:
    """The scope key of one service's markup."""
    return f"{panel}:{service_id}"


@dataclass(frozen=True)
class Markup:
    """One markup row."""

    scope: str
    percent: Decimal
    actor: int | None


async def get(conn: aiosqlite.Connection, scope: str) -> Decimal | None:
    """The percent stored for a scope, or None."""
    async with conn.execute("SELECT percent FROM markups WHERE scope = ?", (scope,)) as cur:
        row = await cur.fetchone()
    return Decimal(row[0]) if row else None


async def get_first(conn: aiosqlite.Connection, scopes: tuple[str, str]) -> Decimal | None:
    """The percent of the first scope that has one (e.g. the service's, then the shop-wide row)."""
    async with conn.execute(
        "SELECT percent FROM markups WHERE scope IN (?, ?) ORDER BY scope = ? DESC LIMIT 1",
        (scopes[0], scopes[1], scopes[0]),
    ) as cur:
        row = await cur.fetchone()
    return Decimal(row[0]) if row else None


async def put(conn: aiosqlite.Connection, scope: str, percent: Decimal, actor: int | None = None) -> None:
    """Set a scope's markup percent."""
    if not isinstance(percent, Decimal) or not percent.is_finite():
        raise ValueError("markup percent must be a finite Decimal")
    await conn.execute(
        "INSERT INTO markups(scope, percent, actor, updated_at) VALUES (?, ?, ?, ?) "
        "ON CONFLICT(scope) DO UPDATE SET percent = excluded.percent, actor = excluded.actor, "
        "updated_at = excluded.updated_at",
        (scope, str(percent), actor, now_text()),
    )


async def delete(conn: aiosqlite.Connection, scope: str) -> bool:
    """Drop a scope's markup (the next level applies again); False when there was none."""
    cur = await conn.execute("DELETE FROM markups WHERE scope = ?", (scope,))
    return cur.rowcount > 0


async def all_markups(conn: aiosqlite.Connection) -> list[Markup]:
    """Every markup row, shop-wide first."""
    async with conn.execute(
        "SELECT scope, percent, actor FROM markups ORDER BY scope <> '*', scope"
    ) as cur:
        return [Markup(row[0], Decimal(row[1]), row[2]) for row in await cur.fetchall()]
