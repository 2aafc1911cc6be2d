"""The catalogue cache: categories (short stable ids, merged across panels by name) and services.

A service the panel stops listing is kept with available = 0 (its hidden flag survives if it
comes back); customers see only available, not hidden services (`_SHOWN`) of not hidden categories,
never a type the bot cannot order, and a route (bot/domain/routing.py) once: the view
`route_tails` (0017) names the members left out.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from decimal import Decimal

import aiosqlite

from bot.panel.models import Service
from bot.storage.catalogue_rows import CachedService, Category, FetchRecord, service_from_row
from bot.storage.clock import now_text, parse_time
from bot.storage.paging import Page

# what makes an available service of a shown category one a customer may order: not hidden by an admin,
# of a type the bot can order, its panel's currency priced, and not a route's left-out member
_SHOWN = (
    "s.hidden = 0 AND s.type <> 'unsupported' AND s.panel NOT IN (SELECT panel FROM unpriced_panels) "
    "AND NOT EXISTS (SELECT 1 FROM route_tails t WHERE t.panel = s.panel AND t.service_id = s.service_id)"
)


async def _count(conn: aiosqlite.Connection, sql: str, params: tuple) -> int:
    async with conn.execute(sql, params) as cur:
        return (await cur.fetchone())[0]


async def category_ids(conn: aiosqlite.Connection, names: dict[str, str]) -> dict[str, int]:
    """Ids of categories by name (creating missing ones with their platform)."""
    await conn.executemany(
        "INSERT INTO categories(name, platform) VALUES (?, ?) "
        "ON CONFLICT(name) DO UPDATE SET platform = excluded.platform "
        "WHERE categories.platform <> excluded.platform AND categories.platform_fixed = 0",
        list(names.items()),
    )
    async with conn.execute(  # a merged category's services go to the category it was merged into
        "SELECT COALESCE(c.merged_into, c.id), c.name FROM categories c JOIN json_each(?) j ON j.value = c.name",
        (json.dumps(list(names)),),
    ) as cur:
        return {row[1]: row[0] for row in await cur.fetchall()}


async def unsupported_ids(conn: aiosqlite.Connection, panel: str) -> set[str]:
    """Ids of a panel's stored services already known as a type the bot cannot order."""
    async with conn.execute(
        "SELECT service_id FROM services WHERE panel = ? AND type = 'unsupported'", (panel,)
    ) as cur:
        return {row[0] for row in await cur.fetchall()}


async def panel_rates(conn: aiosqlite.Connection, panel: str) -> dict[str, tuple[str, Decimal]]:
    """service id -> (name, rate) of what a panel listed last time (available ones)."""
    async with conn.execute(
        "SELECT service_id, name, rate FROM services WHERE panel = ? AND available = 1", (panel,)
    ) as cur:
        return {row[0]: (row[1], Decimal(row[2])) for row in await cur.fetchall()}


async def replace_panel_services(
    conn: aiosqlite.Connection, panel: str, services: Sequence[Service], category_id_of: dict[str, int],
    *, new_hidden: bool = False,
) -> None:
    """Store a panel's fresh list; services it no longer lists become unavailable (hidden flags kept).

    `new_hidden`: services stored for the first time arrive hidden (CATALOGUE_NEW_HIDDEN). The panel's
    name and description go to panel_name/panel_description too; curation.apply_overrides then puts
    the admins' ones back.
    """
    now = now_text()
    rows = [
        (
            panel, s.id, s.name, s.type.value, s.type_raw, category_id_of[s.category], str(s.rate), s.min,
            s.max, s.description, int(s.dripfeed), int(s.refill), int(s.cancel), position,
            f"{s.name} {s.category}".casefold(), now, s.name, s.description, int(new_hidden),
        )
        for position, s in enumerate(services)
    ]
    await conn.executemany(
        "INSERT INTO services(panel, service_id, name, type, type_raw, category_id, rate, min, max, "
        "description, dripfeed, refill, cancel, position, search_text, fetched_at, panel_name, "
        "panel_description, hidden) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
        "ON CONFLICT(panel, service_id) DO UPDATE SET name = excluded.name, type = excluded.type, "
        "panel_name = excluded.panel_name, panel_description = excluded.panel_description, "
        "type_raw = excluded.type_raw, category_id = excluded.category_id, rate = excluded.rate, "
        "min = excluded.min, max = excluded.max, description = excluded.description, "
        "dripfeed = excluded.dripfeed, refill = excluded.refill, cancel = excluded.cancel, available = 1, "
        "position = excluded.position, search_text = excluded.search_text, fetched_at = excluded.fetched_at",
        rows,
    )
    await conn.execute(
        "UPDATE services SET available = 0 WHERE panel = ? AND available = 1 "
        "AND service_id NOT IN (SELECT value FROM json_each(?))",
        (panel, json.dumps([s.id for s in services])),
    )


async def record_fetch(
    conn: aiosqlite.Connection, panel: str, *, error: str | None, service_count: int | None = None
) -> None:
    """Remember a fetch attempt: success (error None) with its count, or the error (cache kept)."""
    now = now_text()
    await conn.execute(
        "INSERT INTO catalogue_fetches(panel, fetched_at, attempted_at, last_error, service_count) "
        "VALUES (?, ?, ?, ?, COALESCE(?, 0)) "
        "ON CONFLICT(panel) DO UPDATE SET attempted_at = excluded.attempted_at, "
        "last_error = excluded.last_error, "
        "fetched_at = COALESCE(excluded.fetched_at, catalogue_fetches.fetched_at), "
        "service_count = COALESCE(?, catalogue_fetches.service_count)",
        (panel, None if error else now, now, error, service_count, service_count),
    )


async def fetch_records(conn: aiosqlite.Connection) -> list[FetchRecord]:
    """Every panel's last fetch, by panel name."""
    async with conn.execute("SELECT * FROM catalogue_fetches ORDER BY panel") as cur:
        rows = await cur.fetchall()
    return [
        FetchRecord(row["panel"], parse_time(row["fetched_at"]), parse_time(row["attempted_at"]),
                    row["last_error"], row["service_count"])
        for row in rows
    ]


async def platform_counts(conn: aiosqlite.Connection) -> dict[str, int]:
    """platform -> number of categories a customer can see in it."""
    async with conn.execute(
        "SELECT c.platform, COUNT(DISTINCT c.id) FROM categories c JOIN services s ON s.category_id = c.id "  # noqa: S608 (the constant _SHOWN)
        "WHERE c.hidden = 0 AND " + _SHOWN + " AND s.available = 1 GROUP BY c.platform"
    ) as cur:
        return {row[0]: row[1] for row in await cur.fetchall()}


async def categories(
    conn: aiosqlite.Connection, platform: str | None, *, offset: int, limit: int, include_hidden: bool = False
) -> Page[Category]:
    """Categories (of one platform, or all) with services to show, in first-seen order."""
    params = {"platform": platform, "all": int(include_hidden), "limit": limit, "offset": offset}
    async with conn.execute(
        "SELECT c.id, COALESCE(c.label, c.name), c.platform, c.hidden, COUNT(*) FROM categories c "  # noqa: S608 (the constant _SHOWN)
        "JOIN services s ON s.category_id = c.id "
        "WHERE (:platform IS NULL OR c.platform = :platform) AND s.available = 1 "
        "AND (:all = 1 OR (c.hidden = 0 AND " + _SHOWN + ")) "
        "GROUP BY c.id ORDER BY c.id LIMIT :limit OFFSET :offset",
        params,
    ) as cur:
        items = [Category(r[0], r[1], r[2], bool(r[3]), r[4]) for r in await cur.fetchall()]
    total = await _count(
        conn,
        "SELECT COUNT(DISTINCT c.id) FROM categories c JOIN services s ON s.category_id = c.id "  # noqa: S608 (the constant _SHOWN)
        "WHERE (:platform IS NULL OR c.platform = :platform) AND s.available = 1 "
        "AND (:all = 1 OR (c.hidden = 0 AND " + _SHOWN + "))",
        params,
    )
    return Page(items=items, total=total, offset=offset, limit=limit)


async def get_category(conn: aiosqlite.Connection, category_id: int) -> Category | None:
    """One category by id, with how many services a customer can see in it."""
    async with conn.execute(
        "SELECT c.id, COALESCE(c.label, c.name), c.platform, c.hidden, "  # noqa: S608 (the constant _SHOWN)
        "(SELECT COUNT(*) FROM services s WHERE s.category_id = c.id AND s.available = 1 AND " + _SHOWN + ") "
        "FROM categories c WHERE c.id = ?",
        (category_id,),
    ) as cur:
        r = await cur.fetchone()
    return Category(r[0], r[1], r[2], bool(r[3]), r[4]) if r else None


async def services_in_category(
    conn: aiosqlite.Connection, category_id: int, *, offset: int, limit: int, include_hidden: bool = False
) -> Page[CachedService]:
    """Available services of a category in the panels' own order (hidden ones only for admins)."""
    params = {"category": category_id, "all": int(include_hidden), "limit": limit, "offset": offset}
    async with conn.execute(
        "SELECT s.*, COALESCE(c.label, c.name) AS category, c.platform AS platform, c.hidden AS category_hidden "
        "FROM services s JOIN categories c ON c.id = s.category_id "
        "WHERE s.category_id = :category AND s.available = 1 AND (:all = 1 OR (" + _SHOWN + " AND c.hidden = 0)) "
        "ORDER BY COALESCE(s.pin, 1000000000), s.panel, s.position LIMIT :limit OFFSET :offset",
        params,
    ) as cur:
        items = [service_from_row(row) for row in await cur.fetchall()]
    total = await _count(
        conn,
        "SELECT COUNT(*) FROM services s JOIN categories c ON c.id = s.category_id "  # noqa: S608 (the constant _SHOWN)
        "WHERE s.category_id = :category AND s.available = 1 AND (:all = 1 OR (" + _SHOWN + " AND c.hidden = 0))",
        params,
    )
    return Page(items=items, total=total, offset=offset, limit=limit)


def like_pattern(word: str) -> str:
    """A LIKE pattern matching `word` anywhere, with %, _ and the escape char taken literally."""
    escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


async def search(
    conn: aiosqlite.Connection, words: Sequence[str], *, offset: int, limit: int
) -> Page[CachedService]:
    """Visible services whose name or category contains every word (casefolded), panels' order."""
    patterns = json.dumps([like_pattern(w.casefold()) for w in words if w])
    params = {"patterns": patterns, "limit": limit, "offset": offset}
    # every word must match: no pattern may be left that the text does not contain
    async with conn.execute(
        "SELECT s.*, COALESCE(c.label, c.name) AS category, c.platform AS platform, c.hidden AS category_hidden "  # noqa: S608 (the constant _SHOWN)
        "FROM services s JOIN categories c ON c.id = s.category_id "
        "WHERE s.available = 1 AND " + _SHOWN + " AND c.hidden = 0 AND NOT EXISTS "
        "(SELECT 1 FROM json_each(:patterns) p WHERE s.search_text NOT LIKE p.value ESCAPE '\\') "
        "ORDER BY c.id, s.panel, s.position LIMIT :limit OFFSET :offset",
        params,
    ) as cur:
        items = [service_from_row(row) for row in await cur.fetchall()]
    total = await _count(
        conn,
        "SELECT COUNT(*) FROM services s JOIN categories c ON c.id = s.category_id "  # noqa: S608 (the constant _SHOWN)
        "WHERE s.available = 1 AND " + _SHOWN + " AND c.hidden = 0 AND NOT EXISTS "
        "(SELECT 1 FROM json_each(:patterns) p WHERE s.search_text NOT LIKE p.value ESCAPE '\\')",
        params,
    )
    return Page(items=items, total=total, offset=offset, limit=limit)


async def get_service(conn: aiosqlite.Connection, panel: str, service_id: str) -> CachedService | None:
    """One cached service by (panel, id), whatever its flags (callers check hidden/available)."""
    async with conn.execute(
        "SELECT s.*, COALESCE(c.label, c.name) AS category, c.platform AS platform, c.hidden AS category_hidden, "
        "s.panel IN (SELECT panel FROM unpriced_panels) AS unpriced "
        "FROM services s JOIN categories c ON c.id = s.category_id WHERE s.panel = ? AND s.service_id = ?",
        (panel, service_id),
    ) as cur:
        row = await cur.fetchone()
    return service_from_row(row) if row else None


async def set_service_hidden(conn: aiosqlite.Connection, panel: str, service_id: str, hidden: bool) -> bool:
    """Hide or show one service for customers; False when it is not cached."""
    cur = await conn.execute(
        "UPDATE services SET hidden = ? WHERE panel = ? AND service_id = ?", (int(hidden), panel, service_id)
    )
    return cur.rowcount > 0


async def set_category_hidden(conn: aiosqlite.Connection, category_id: int, hidden: bool) -> bool:
    """Hide or show a whole category for customers; False when the id is unknown."""
    cur = await conn.execute("UPDATE categories SET hidden = ? WHERE id = ?", (int(hidden), category_id))
    return cur.rowcount > 0


async def visible_services(conn: aiosqlite.Connection, *, limit: int = 50_000) -> list[CachedService]:
    """Every service a customer can order (the Mini App's whole catalogue): the same filter and order as
    services_in_category, category by category."""
    async with conn.execute(
        "SELECT s.*, COALESCE(c.label, c.name) AS category, c.platform AS platform, c.hidden AS category_hidden "
        "FROM services s JOIN categories c ON c.id = s.category_id "
        "WHERE s.available = 1 AND c.hidden = 0 AND " + _SHOWN + " "
        "ORDER BY c.id, COALESCE(s.pin, 1000000000), s.panel, s.position LIMIT ?",
        (limit,),
    ) as cur:
        return [service_from_row(row) for row in await cur.fetchall()]
