"""panel_balance_history: the balances panels reported, for the /panels trend chart."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

import aiosqlite

from bot.storage.clock import now_text, parse_time


@dataclass(frozen=True)
class BalancePoint:
    panel: str
    amount: Decimal
    currency: str | None
    recorded_at: datetime


async def add(conn: aiosqlite.Connection, panel: str, amount: Decimal, currency: str | None,
              at: str | None = None) -> None:
    await conn.execute(
        "INSERT INTO panel_balance_history (panel, amount, currency, recorded_at) VALUES (?, ?, ?, ?)",
        (panel, str(amount), currency, at or now_text()),
    )


async def since(conn: aiosqlite.Connection, since_text: str) -> list[BalancePoint]:
    """Every recorded balance since `since_text` (stored format), per panel in time order."""
    async with conn.execute(
        "SELECT panel, amount, currency, recorded_at FROM panel_balance_history WHERE recorded_at >= ? "
        "ORDER BY panel, recorded_at, id",
        (since_text,),
    ) as cur:
        return [BalancePoint(r[0], Decimal(r[1]), r[2], parse_time(r[3])) for r in await cur.fetchall()]
