"""The curated catalogue's SQL: admins' service names/descriptions/pins and category labels/merges."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import aiosqlite

from bot.storage.clock import now_text

_FIELDS = ("name", "description", "pin")


@dataclass(frozen=True)
class ServiceOverride:
    panel: str
    service_id: str
    name: str | None
    description: str | None
    pin: int | None


async def get_override(conn: aiosqlite.Connection, panel: str, service_id: str) -> ServiceOverride | None:
    async with conn.execute("SELECT panel, service_id, name, description, pin FROM service_overrides "
                            "WHERE panel = ? AND service_id = ?", (panel, service_id)) as cur:
        row = await cur.fetchone()
    return ServiceOverride(*row) if row else None


async def set_override(conn: aiosqlite.Connection, panel: str, service_id: str, field: str,
                       value: str | int | None, actor: int) -> None:
    """Set (None: drop) one field of a service's override; a row left with nothing is deleted."""
    if field not in _FIELDS:
        raise ValueError(field)
    await conn.execute(
        "INSERT INTO service_overrides (panel, service_id, actor, updated_at) VALUES (?, ?, ?, ?) "
        "ON CONFLICT (panel, service_id) DO NOTHING", (panel, service_id, actor, now_text()))
    await conn.execute(f"UPDATE service_overrides SET {field} = ?, actor = ?, updated_at = ? "  # noqa: S608 - field checked
                       "WHERE panel = ? AND service_id = ?", (value, actor, now_text(), panel, service_id))
    await conn.execute("DELETE FROM service_overrides WHERE panel = ? AND service_id = ? AND name IS NULL "
                       "AND description IS NULL AND pin IS NULL", (panel, service_id))


async def apply_overrides(conn: aiosqlite.Connection, panel: str, service_ids: Sequence[str] | None = None) -> None:
    """Shown name, description and pin of a panel's services (or some of them): the admins' over the panel's."""
    sql = ("SELECT s.service_id, COALESCE(o.name, s.panel_name, s.name), COALESCE(o.description, s.panel_description), "
           "o.pin, c.name, c.label FROM services s JOIN categories c ON c.id = s.category_id "
           "LEFT JOIN service_overrides o ON o.panel = s.panel AND o.service_id = s.service_id WHERE s.panel = ?")
    params: list[object] = [panel]
    if service_ids is None:  # after a refresh: only services with an override differ from the panel's
        sql += " AND o.service_id IS NOT NULL"
    else:
        sql += " AND s.service_id IN (" + ",".join("?" * len(service_ids)) + ")"
        params += list(service_ids)
    async with conn.execute(sql, params) as cur:
        rows = await cur.fetchall()
    await conn.executemany(
        "UPDATE services SET name = ?, description = ?, pin = ?, search_text = ? WHERE panel = ? AND service_id = ?",
        [(name, description, pin, " ".join(filter(None, (name, category, label))).casefold(), panel, sid)
         for sid, name, description, pin, category, label in rows])


async def set_category_label(conn: aiosqlite.Connection, category_id: int, label: str | None) -> bool:
    cur = await conn.execute("UPDATE categories SET label = ? WHERE id = ?", (label, category_id))
    return cur.rowcount > 0


async def set_category_platform(conn: aiosqlite.Connection, category_id: int, platform: str) -> bool:
    cur = await conn.execute("UPDATE categories SET platform = ?, platform_fixed = 1 WHERE id = ?",
                             (platform, category_id))
    return cur.rowcount > 0


async def merge_category(conn: aiosqlite.Connection, source_id: int, target_id: int) -> int:
    """Show `source`'s services in `target` from now on (refreshes keep it); how many services moved."""
    await conn.execute("UPDATE categories SET merged_into = ? WHERE id = ? OR merged_into = ?",
                       (target_id, source_id, source_id))
    cur = await conn.execute("UPDATE services SET category_id = ? WHERE category_id = ?", (target_id, source_id))
    return cur.rowcount


async def category_exists(conn: aiosqlite.Connection, category_id: int) -> bool:
    async with conn.execute("SELECT 1 FROM categories WHERE id = ? AND merged_into IS NULL", (category_id,)) as cur:
        return await cur.fetchone() is not None
