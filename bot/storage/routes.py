"""Routes (one shop service over equivalent services of several panels): their SQL, all of it.

Tables of migration 0017: routes, route_members, route_attempts (every try of a routed order,
written before its `add`), route_health (balance known, refusals in a row, cooling off) and
route_events (failovers and cool-offs waiting for the admin group). Rules: bot/domain/routing.py.
Here: the routes and a routed order's attempts; route_health and route_events are route_health.py's.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import Decimal

import aiosqlite

from bot.storage.clock import now_text


@dataclass(frozen=True)
class Member:
    """One service of a route."""

    panel: str
    service_id: str

    def __str__(self) -> str:
        return f"{self.panel}:{self.service_id}"


@dataclass(frozen=True)
class Route:
    """A route with its members in priority order."""

    id: int
    name: str
    policy: str
    allow_loss: bool
    members: tuple[Member, ...]


@dataclass(frozen=True)
class Attempt:
    """One provider tried (or skipped) for a routed order."""

    order_id: int
    seq: int
    panel: str
    service_id: str
    cost: int
    outcome: str
    reason: str | None


# ---- routes -------------------------------------------------------------------------------

async def _members(conn: aiosqlite.Connection, route_ids: list[int]) -> dict[int, list[Member]]:
    found: dict[int, list[Member]] = {i: [] for i in route_ids}
    async with conn.execute(
        "SELECT route_id, panel, service_id FROM route_members "
        "WHERE route_id IN (SELECT CAST(value AS INTEGER) FROM json_each(?)) ORDER BY route_id, position",
        (json.dumps(route_ids),),
    ) as cur:
        for row in await cur.fetchall():
            found[row[0]].append(Member(row[1], row[2]))
    return found


def _routes(rows: list[aiosqlite.Row], members: dict[int, list[Member]]) -> list[Route]:
    return [Route(r["id"], r["name"], r["policy"], bool(r["allow_loss"]), tuple(members[r["id"]])) for r in rows]


async def all_routes(conn: aiosqlite.Connection) -> list[Route]:
    """Every route, by name."""
    async with conn.execute("SELECT * FROM routes ORDER BY name") as cur:
        rows = list(await cur.fetchall())
    return _routes(rows, await _members(conn, [r["id"] for r in rows]))


async def by_name(conn: aiosqlite.Connection, name: str) -> Route | None:
    """One route by its name."""
    async with conn.execute("SELECT * FROM routes WHERE name = ?", (name,)) as cur:
        row = await cur.fetchone()
    return _routes([row], await _members(conn, [row["id"]]))[0] if row else None


async def route_of(conn: aiosqlite.Connection, panel: str, service_id: str) -> Route | None:
    """The route a service belongs to (at most one), or None."""
    async with conn.execute(
        "SELECT r.* FROM routes r JOIN route_members m ON m.route_id = r.id WHERE m.panel = ? AND m.service_id = ?",
        (panel, service_id),
    ) as cur:
        row = await cur.fetchone()
    return _routes([row], await _members(conn, [row["id"]]))[0] if row else None


async def routed_services(conn: aiosqlite.Connection) -> set[tuple[str, str]]:
    """(panel, service_id) of every service in some route."""
    async with conn.execute("SELECT panel, service_id FROM route_members") as cur:
        return {(r[0], r[1]) for r in await cur.fetchall()}


async def save_route(conn: aiosqlite.Connection, name: str, policy: str, allow_loss: bool,
                     members: list[Member], actor: int | None) -> int:
    """Create the route `name`, or replace its members and settings; its id."""
    now = now_text()
    async with conn.execute(
        "INSERT INTO routes(name, policy, allow_loss, actor, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?) "
        "ON CONFLICT(name) DO UPDATE SET policy = excluded.policy, allow_loss = excluded.allow_loss, "
        "actor = excluded.actor, updated_at = excluded.updated_at RETURNING id",
        (name, policy, int(allow_loss), actor, now, now),
    ) as cur:
        route_id = (await cur.fetchone())[0]
    await conn.execute("DELETE FROM route_members WHERE route_id = ?", (route_id,))
    await conn.executemany(
        "INSERT INTO route_members(route_id, position, panel, service_id) VALUES (?, ?, ?, ?)",
        [(route_id, position, m.panel, m.service_id) for position, m in enumerate(members)],
    )
    return route_id


async def delete_route(conn: aiosqlite.Connection, name: str) -> bool:
    """Remove a route (its members go with it); False when there is none of that name."""
    async with conn.execute("SELECT id FROM routes WHERE name = ?", (name,)) as cur:
        row = await cur.fetchone()
    if row is None:
        return False
    await conn.execute("DELETE FROM route_members WHERE route_id = ?", (row[0],))
    await conn.execute("DELETE FROM routes WHERE id = ?", (row[0],))
    return True


# ---- a routed order's attempts ------------------------------------------------------------

async def add_attempt(conn: aiosqlite.Connection, order_id: int, seq: int, member: Member, cost: int,
                      outcome: str, reason: str | None = None) -> None:
    """Record a provider tried or skipped for an order (UNIQUE: each provider once per order)."""
    now = now_text()
    await conn.execute(
        "INSERT INTO route_attempts(order_id, seq, panel, service_id, cost, outcome, reason, created_at, updated_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (order_id, seq, member.panel, member.service_id, cost, outcome, reason, now, now),
    )


async def set_attempt(conn: aiosqlite.Connection, order_id: int, seq: int, outcome: str,
                      reason: str | None = None) -> None:
    """The answer to an attempt that was `sending`."""
    await conn.execute(
        "UPDATE route_attempts SET outcome = ?, reason = ?, updated_at = ? "
        "WHERE order_id = ? AND seq = ? AND outcome = 'sending'",
        (outcome, reason, now_text(), order_id, seq),
    )


async def attempts(conn: aiosqlite.Connection, order_id: int) -> list[Attempt]:
    """Every provider tried or skipped for an order, in order."""
    async with conn.execute(
        "SELECT order_id, seq, panel, service_id, cost, outcome, reason FROM route_attempts "
        "WHERE order_id = ? ORDER BY seq", (order_id,),
    ) as cur:
        return [Attempt(*row) for row in await cur.fetchall()]


@dataclass(frozen=True)
class ProviderBasis:
    """What a routed order takes from the provider that gets its `add`: flags, and its cost basis."""

    refill: bool
    cancel: bool
    rate: Decimal  # the provider's rate (same rate_per: one order type per route)
    exchange_rate: Decimal
    currency: str | None
    cost: Decimal  # in the provider's currency


async def move_order(conn: aiosqlite.Connection, order_id: int, member: Member, basis: ProviderBasis) -> bool:
    """Point a `submitting` order at the provider about to get its `add`: status, refill and cancel
    follow orders.panel, and the operator's cost (stats) is this provider's. The customer's price
    and markup never change. False when the order is no longer `submitting`."""
    cur = await conn.execute(
        "UPDATE orders SET panel = ?, service_id = ?, can_refill = ?, can_cancel = ?, rate = ?, "
        "exchange_rate = ?, panel_currency = ?, cost = ?, updated_at = ? WHERE id = ? AND status = 'submitting'",
        (member.panel, member.service_id, int(basis.refill), int(basis.cancel), str(basis.rate),
         str(basis.exchange_rate), basis.currency, str(basis.cost), now_text(), order_id),
    )
    return cur.rowcount > 0


@dataclass(frozen=True)
class Offer:
    """An orderable service as /route suggest compares them."""

    panel: str
    service_id: str
    name: str
    type: str
    min: int
    max: int
    rate: Decimal


async def unrouted_offers(conn: aiosqlite.Connection) -> list[Offer]:
    """Available, not hidden services in no route, by panel and the panel's own order."""
    async with conn.execute(
        "SELECT s.panel, s.service_id, s.name, s.type, s.min, s.max, s.rate FROM services s "
        "WHERE s.available = 1 AND s.hidden = 0 AND NOT EXISTS "
        "(SELECT 1 FROM route_members m WHERE m.panel = s.panel AND m.service_id = s.service_id) "
        "ORDER BY s.panel, s.position"
    ) as cur:
        return [Offer(r[0], r[1], r[2], r[3], r[4], r[5], Decimal(r[6])) for r in await cur.fetchall()]
