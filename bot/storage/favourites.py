"""Favourites: the services each customer starred (SQL of the favourites table)."""

from __future__ import annotations

import aiosqlite

from bot.storage.catalogue import CachedService, service_from_row
from bot.storage.clock import now_text

MAX_SHOWN = 50


async def add(conn: aiosqlite.Connection, user_id: int, panel: str, service_id: str) -> None:
    await conn.execute(
        "INSERT INTO favourites (user_id, panel, service_id, created_at) VALUES (?, ?, ?, ?) "
        "ON CONFLICT (user_id, panel, service_id) DO NOTHING", (user_id, panel, service_id, now_text()))


async def remove(conn: aiosqlite.Connection, user_id: int, panel: str, service_id: str) -> None:
    await conn.execute("DELETE FROM favourites WHERE user_id = ? AND panel = ? AND service_id = ?",
                       (user_id, panel, service_id))


async def has(conn: aiosqlite.Connection, user_id: int, panel: str, service_id: str) -> bool:
    async with conn.execute("SELECT 1 FROM favourites WHERE user_id = ? AND panel = ? AND service_id = ?",
                            (user_id, panel, service_id)) as cur:
        return await cur.fetchone() is not None


_VISIBLE = ("FROM favourites f JOIN services s ON s.panel = f.panel AND s.service_id = f.service_id "
            "JOIN categories c ON c.id = s.category_id "
            "WHERE f.user_id = ? AND s.available = 1 AND s.hidden = 0 AND c.hidden = 0 "
            "AND s.panel NOT IN (SELECT panel FROM unpriced_panels)")


async def visible(conn: aiosqlite.Connection, user_id: int, limit: int = MAX_SHOWN) -> list[CachedService]:
    """The customer's starred services customers may order now, oldest star first."""
    async with conn.execute(
        "SELECT s.*, COALESCE(c.label, c.name) AS category, c.platform AS platform, c.hidden AS category_hidden "
        f"{_VISIBLE} ORDER BY f.created_at, s.panel, s.service_id LIMIT ?", (user_id, limit),
    ) as cur:
        return [service_from_row(row) for row in await cur.fetchall()]


async def any_visible(conn: aiosqlite.Connection, user_id: int) -> bool:
    async with conn.execute(f"SELECT 1 {_VISIBLE} LIMIT 1", (user_id,)) as cur:
        return await cur.fetchone() is not None
