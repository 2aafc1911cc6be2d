"""Per-panel health as the sync sees it: last sync, last error, down since, alerts already sent."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import aiosqlite

from bot.storage.clock import now_text, parse_time


@dataclass(frozen=True)
class PanelState:
    """One panel's health record."""

    panel: str
    last_sync_at: datetime | None
    last_error: str | None
    down_since: datetime | None
    down_alerted: bool
    low_balance_alerted: bool


def _state(row: aiosqlite.Row) -> PanelState:
    return PanelState(
        panel=row["panel"], last_sync_at=parse_time(row["last_sync_at"]), last_error=row["last_error"],
        down_since=parse_time(row["down_since"]), down_alerted=bool(row["down_alerted"]),
        low_balance_alerted=bool(row["low_balance_alerted"]),
    )


async def get(conn: aiosqlite.Connection, panel: str) -> PanelState | None:
    """One panel's record, or None before its first sync."""
    async with conn.execute("SELECT * FROM panel_state WHERE panel = ?", (panel,)) as cur:
        row = await cur.fetchone()
    return _state(row) if row else None


async def all_states(conn: aiosqlite.Connection) -> list[PanelState]:
    """Every panel's record, by name."""
    async with conn.execute("SELECT * FROM panel_state ORDER BY panel") as cur:
        return [_state(row) for row in await cur.fetchall()]


async def record_success(conn: aiosqlite.Connection, panel: str) -> PanelState:
    """A sync worked: clear the error and the down state (and its alert flag); the record before."""
    before = await get(conn, panel)
    now = now_text()
    await conn.execute(
        "INSERT INTO panel_state(panel, last_sync_at, updated_at) VALUES (?, ?, ?) "
        "ON CONFLICT(panel) DO UPDATE SET last_sync_at = excluded.last_sync_at, last_error = NULL, "
        "down_since = NULL, down_alerted = 0, updated_at = excluded.updated_at",
        (panel, now, now),
    )
    return before or PanelState(panel, None, None, None, False, False)


async def record_failure(conn: aiosqlite.Connection, panel: str, error: str) -> PanelState:
    """A sync failed: keep the error, start `down_since` if not started; the record after."""
    now = now_text()
    await conn.execute(
        "INSERT INTO panel_state(panel, last_error, down_since, updated_at) VALUES (?, ?, ?, ?) "
        "ON CONFLICT(panel) DO UPDATE SET last_error = excluded.last_error, "
        "down_since = COALESCE(panel_state.down_since, excluded.down_since), updated_at = excluded.updated_at",
        (panel, error, now, now),
    )
    return await get(conn, panel)


async def set_alerted(
    conn: aiosqlite.Connection, panel: str, *, down: bool | None = None, low_balance: bool | None = None
) -> None:
    """Remember which alerts were sent, so each is sent once per incident."""
    now = now_text()
    await conn.execute(
        "INSERT INTO panel_state(panel, updated_at) VALUES (?, ?) ON CONFLICT(panel) DO NOTHING", (panel, now)
    )
    await conn.execute(
        "UPDATE panel_state SET down_alerted = COALESCE(?, down_alerted), "
        "low_balance_alerted = COALESCE(?, low_balance_alerted), updated_at = ? WHERE panel = ?",
        (None if down is None else int(down), None if low_balance is None else int(low_balance), now, panel),
    )
