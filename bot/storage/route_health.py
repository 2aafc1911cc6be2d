"""What routing remembers of each provider, and what it has to tell the admins: their SQL.

Tables of migration 0017: route_health (balance known, clear refusals in a row, cooling off) and
route_events (failovers and cool-offs waiting for the admin group). The routes themselves and a routed
order's attempts are in routes.py; the rules in bot/domain/routing.py.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

import aiosqlite

from bot.storage.clock import now_text, parse_time


@dataclass(frozen=True)
class Health:
    """What routing knows of one panel."""

    panel: str
    balance: Decimal | None
    balance_at: datetime | None
    refusals: int
    cooled_until: datetime | None


@dataclass(frozen=True)
class Event:
    """A failover or cool-off to tell the admin group about."""

    id: int
    kind: str
    panel: str
    order_id: int | None
    reason: str | None
    created_at: datetime


# ---- health -------------------------------------------------------------------------------

async def health(conn: aiosqlite.Connection) -> dict[str, Health]:
    """What routing knows of every panel it has seen, by panel name."""
    async with conn.execute("SELECT * FROM route_health") as cur:
        rows = await cur.fetchall()
    return {
        r["panel"]: Health(r["panel"], Decimal(r["balance"]) if r["balance"] is not None else None,
                           parse_time(r["balance_at"]), r["refusals"], parse_time(r["cooled_until"]))
        for r in rows
    }


async def set_balance(conn: aiosqlite.Connection, panel: str, balance: Decimal) -> None:
    """The panel's balance as just read."""
    now = now_text()
    await conn.execute(
        "INSERT INTO route_health(panel, balance, balance_at, updated_at) VALUES (?, ?, ?, ?) "
        "ON CONFLICT(panel) DO UPDATE SET balance = excluded.balance, balance_at = excluded.balance_at, "
        "updated_at = excluded.updated_at",
        (panel, str(balance), now, now),
    )


async def note_accepted(conn: aiosqlite.Connection, panel: str, spent: Decimal) -> None:
    """An `add` was accepted: refusals in a row back to 0, the known balance lowered by its cost."""
    now = now_text()
    await conn.execute(
        "INSERT INTO route_health(panel, updated_at) VALUES (?, ?) ON CONFLICT(panel) DO UPDATE SET "
        "refusals = 0, updated_at = excluded.updated_at", (panel, now),
    )
    async with conn.execute("SELECT balance FROM route_health WHERE panel = ?", (panel,)) as cur:
        row = await cur.fetchone()
    if row is not None and row[0] is not None:
        await conn.execute("UPDATE route_health SET balance = ? WHERE panel = ?",
                           (str(Decimal(row[0]) - spent), panel))


async def note_refusal(conn: aiosqlite.Connection, panel: str, cool_after: int, cooled_until: str) -> bool:
    """One more clear refusal in a row; at `cool_after` the panel cools off until `cooled_until`
    and the count starts again. True when this refusal started a cool-off."""
    now = now_text()
    async with conn.execute(
        "INSERT INTO route_health(panel, refusals, updated_at) VALUES (?, 1, ?) ON CONFLICT(panel) DO UPDATE "
        "SET refusals = route_health.refusals + 1, updated_at = excluded.updated_at RETURNING refusals",
        (panel, now),
    ) as cur:
        count = (await cur.fetchone())[0]
    if count < cool_after:
        return False
    await conn.execute("UPDATE route_health SET refusals = 0, cooled_until = ? WHERE panel = ?",
                       (cooled_until, panel))
    return True


# ---- events for the admin group -----------------------------------------------------------

async def add_event(conn: aiosqlite.Connection, kind: str, panel: str, order_id: int | None, reason: str | None,
                    *, quiet_since: str | None) -> bool:
    """Record an event; it is announced unless one of its kind about this panel was announced after
    `quiet_since` (None: always announce). True when it will be announced."""
    announce = True
    if quiet_since is not None:
        async with conn.execute(
            "SELECT 1 FROM route_events WHERE panel = ? AND kind = ? AND announce = 1 AND created_at > ? LIMIT 1",
            (panel, kind, quiet_since),
        ) as cur:
            announce = await cur.fetchone() is None
    await conn.execute(
        "INSERT INTO route_events(kind, panel, order_id, reason, announce, created_at) VALUES (?, ?, ?, ?, ?, ?)",
        (kind, panel, order_id, reason, int(announce), now_text()),
    )
    return announce


async def unposted(conn: aiosqlite.Connection, limit: int = 20) -> list[Event]:
    """Events to announce that the admin group has not been sent yet, oldest first."""
    async with conn.execute(
        "SELECT id, kind, panel, order_id, reason, created_at FROM route_events "
        "WHERE announce = 1 AND posted = 0 ORDER BY id LIMIT ?", (limit,),
    ) as cur:
        return [Event(r[0], r[1], r[2], r[3], r[4], parse_time(r[5])) for r in await cur.fetchall()]


async def mark_posted(conn: aiosqlite.Connection, event_ids: list[int]) -> None:
    """These events were sent (or given up on)."""
    await conn.execute("UPDATE route_events SET posted = 1 WHERE id IN (SELECT CAST(value AS INTEGER) FROM json_each(?))",
                       (json.dumps(event_ids),))
