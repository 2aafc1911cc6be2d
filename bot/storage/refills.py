"""Refill requests of orders and the panel's answers about them.

Status words: `requested` (claimed, panel not answered yet), `outcome_unknown`, `refused`,
`not_sent` (the panel was unreachable), then the RefillStatus values. An unknown panel word
keeps the status and goes to status_raw.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import aiosqlite

from bot.panel.models import RefillStatus
from bot.storage.clock import now_text, parse_time

REQUESTED = "requested"
# a new request for the same order waits until these are over
BUSY_STATUSES = ("requested", "pending", "in_progress")
FINAL_STATUSES = tuple(s.value for s in RefillStatus if s.is_final) + ("refused", "not_sent")


@dataclass(frozen=True)
class Refill:
    """One refill request as stored."""

    id: int
    order_id: int
    panel_refill_id: str | None
    status: str
    status_raw: str | None
    message: str | None
    created_at: datetime
    updated_at: datetime

    @property
    def is_final(self) -> bool:
        return self.status in FINAL_STATUSES


def _refill(row: aiosqlite.Row) -> Refill:
    return Refill(
        id=row["id"], order_id=row["order_id"], panel_refill_id=row["panel_refill_id"],
        status=row["status"], status_raw=row["status_raw"], message=row["message"],
        created_at=parse_time(row["created_at"]), updated_at=parse_time(row["updated_at"]),
    )


async def _many(conn: aiosqlite.Connection, sql: str, params: tuple) -> list[Refill]:
    async with conn.execute(sql, params) as cur:
        return [_refill(row) for row in await cur.fetchall()]


async def claim(conn: aiosqlite.Connection, order_id: int) -> int | None:
    """Record a `requested` refill unless one is busy for this order; its id, or None."""
    async with conn.execute(
        "SELECT 1 FROM refills WHERE order_id = ? AND status IN ('requested', 'pending', 'in_progress')",
        (order_id,),
    ) as cur:
        if await cur.fetchone() is not None:
            return None
    now = now_text()
    cur = await conn.execute(
        "INSERT INTO refills(order_id, status, created_at, updated_at) VALUES (?, ?, ?, ?)",
        (order_id, REQUESTED, now, now),
    )
    return cur.lastrowid


async def set_answer(
    conn: aiosqlite.Connection, refill_id: int, status: str, *,
    panel_refill_id: str | None = None, message: str | None = None,
) -> None:
    """Store the panel's answer to the refill request."""
    await conn.execute(
        "UPDATE refills SET status = ?, panel_refill_id = COALESCE(?, panel_refill_id), message = ?, "
        "updated_at = ? WHERE id = ?",
        (status, panel_refill_id, message, now_text(), refill_id),
    )


async def set_status(conn: aiosqlite.Connection, refill_id: int, status: str, status_raw: str | None) -> None:
    """Store a refill status answer."""
    await conn.execute(
        "UPDATE refills SET status = ?, status_raw = ?, updated_at = ? WHERE id = ?",
        (status, status_raw, now_text(), refill_id),
    )


async def get(conn: aiosqlite.Connection, refill_id: int) -> Refill | None:
    """One refill by our id."""
    found = await _many(conn, "SELECT * FROM refills WHERE id = ?", (refill_id,))
    return found[0] if found else None


async def for_order(conn: aiosqlite.Connection, order_id: int) -> list[Refill]:
    """An order's refills, oldest first."""
    return await _many(conn, "SELECT * FROM refills WHERE order_id = ? ORDER BY id", (order_id,))


async def open_for_panel(conn: aiosqlite.Connection, panel: str) -> list[Refill]:
    """Refills the panel accepted and still works on (with a panel refill id), oldest first."""
    return await _many(
        conn,
        "SELECT r.* FROM refills r JOIN orders o ON o.id = r.order_id "
        "WHERE o.panel = ? AND r.status IN ('pending', 'in_progress') AND r.panel_refill_id IS NOT NULL "
        "ORDER BY r.id",
        (panel,),
    )
