"""Orders: the stored record and the queries the chat, sync and admins read it with.

Status words: `submitting` (recorded, `add` not answered yet), `unknown` (the outcome of `add`
is unknown: reconcile), then the OrderStatus values. A panel status word we do not know
(OrderStatus.UNKNOWN) never becomes an order status: the order keeps its status and the raw
word goes to status_raw, so `unknown` always means "awaiting reconciliation".
Writes live in order_writes.py.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

import aiosqlite

from bot.panel.models import OrderStatus, OrderType
from bot.storage.clock import parse_time
from bot.storage.paging import Page

SUBMITTING = "submitting"
OUTCOME_UNKNOWN = "unknown"
# the panel still works on these; the sync polls them (SQL takes the JSON form, via json_each)
OPEN_STATUSES = ("pending", "in_progress", "active", "paused")
OPEN_STATUSES_JSON = json.dumps(OPEN_STATUSES)
FINAL_STATUSES = tuple(s.value for s in OrderStatus if s.is_final)


def is_final(status: str) -> bool:
    """Whether a stored status is terminal (no more panel answers change it)."""
    return status in FINAL_STATUSES


@dataclass(frozen=True)
class Order:
    """One order as stored; money in minor units, rate/markup as exact Decimals."""

    id: int
    user_id: int
    client_token: str | None
    panel: str
    service_id: str
    service_name: str
    type: OrderType
    can_refill: bool
    can_cancel: bool
    link: str | None
    extras: dict[str, Any]
    quantity: int
    price: int
    rate: Decimal
    rate_per: int
    markup: Decimal
    panel_order_id: str | None
    panel_charge: Decimal | None
    status: str
    status_raw: str | None
    remains: int | None
    start_count: int | None
    runs_done: int | None
    posts_done: int | None
    refunded: int
    fail_kind: str | None
    fail_reason: str | None
    cancel_state: str | None
    cancel_message: str | None
    cancel_at: datetime | None
    last_answer: dict[str, Any] | None
    miss_count: int
    notified_status: str | None
    created_at: datetime
    updated_at: datetime
    held: str | None = None  # a final status an admin must settle (why); no money moved yet

    @property
    def is_final(self) -> bool:
        return is_final(self.status)

    @property
    def unrefunded(self) -> int:
        """What could still be refunded (minor)."""
        return self.price - self.refunded


def _order(row: aiosqlite.Row) -> Order:
    return Order(
        id=row["id"], user_id=row["user_id"], client_token=row["client_token"], panel=row["panel"],
        service_id=row["service_id"], service_name=row["service_name"], type=OrderType(row["type"]),
        can_refill=bool(row["can_refill"]), can_cancel=bool(row["can_cancel"]), link=row["link"],
        extras=json.loads(row["extras"]), quantity=row["quantity"], price=row["price"],
        rate=Decimal(row["rate"]), rate_per=row["rate_per"], markup=Decimal(row["markup"]),
        panel_order_id=row["panel_order_id"],
        panel_charge=Decimal(row["panel_charge"]) if row["panel_charge"] is not None else None,
        status=row["status"], status_raw=row["status_raw"], remains=row["remains"],
        start_count=row["start_count"], runs_done=row["runs_done"], posts_done=row["posts_done"],
        refunded=row["refunded"], fail_kind=row["fail_kind"], fail_reason=row["fail_reason"],
        cancel_state=row["cancel_state"], cancel_message=row["cancel_message"],
        cancel_at=parse_time(row["cancel_at"]),
        last_answer=json.loads(row["last_answer"]) if row["last_answer"] else None,
        miss_count=row["miss_count"], notified_status=row["notified_status"],
        created_at=parse_time(row["created_at"]), updated_at=parse_time(row["updated_at"]),
        held=row["held"],
    )


async def _many(conn: aiosqlite.Connection, sql: str, params: tuple) -> list[Order]:
    async with conn.execute(sql, params) as cur:
        return [_order(row) for row in await cur.fetchall()]


async def get(conn: aiosqlite.Connection, order_id: int) -> Order | None:
    """One order by our id."""
    found = await _many(conn, "SELECT * FROM orders WHERE id = ?", (order_id,))
    return found[0] if found else None


async def get_many(conn: aiosqlite.Connection, order_ids: list[int]) -> dict[int, Order]:
    """Several orders by id in one query (the sync reads a batch's orders at once); missing ids left out."""
    if not order_ids:
        return {}
    found = await _many(conn, "SELECT * FROM orders WHERE id IN (SELECT value FROM json_each(?))",
                        (json.dumps(order_ids),))
    return {order.id: order for order in found}


async def get_for_user(conn: aiosqlite.Connection, order_id: int, user_id: int) -> Order | None:
    """One order by id, only if it belongs to this customer."""
    found = await _many(conn, "SELECT * FROM orders WHERE id = ? AND user_id = ?", (order_id, user_id))
    return found[0] if found else None


async def by_client_token(conn: aiosqlite.Connection, user_id: int, client_token: str) -> Order | None:
    """The order a chat flow already placed with this idempotency token."""
    found = await _many(
        conn, "SELECT * FROM orders WHERE user_id = ? AND client_token = ?", (user_id, client_token)
    )
    return found[0] if found else None


async def by_panel_order(conn: aiosqlite.Connection, panel: str, panel_order_id: str) -> Order | None:
    """The order a panel knows by this id."""
    found = await _many(
        conn, "SELECT * FROM orders WHERE panel = ? AND panel_order_id = ?", (panel, panel_order_id)
    )
    return found[0] if found else None


async def for_user(
    conn: aiosqlite.Connection, user_id: int, *, offset: int = 0, limit: int = 10
) -> Page[Order]:
    """A customer's orders, newest first, one page of them with the total."""
    items = await _many(
        conn, "SELECT * FROM orders WHERE user_id = ? ORDER BY id DESC LIMIT ? OFFSET ?",
        (user_id, limit, offset),
    )
    async with conn.execute("SELECT COUNT(*) FROM orders WHERE user_id = ?", (user_id,)) as cur:
        total = (await cur.fetchone())[0]
    return Page(items=items, total=total, offset=offset, limit=limit)


async def open_for_panel(conn: aiosqlite.Connection, panel: str) -> list[Order]:
    """Orders the panel still works on (non-final, with a panel order id), oldest first."""
    return await _many(
        conn,
        "SELECT * FROM orders WHERE panel = ? AND status IN (SELECT value FROM json_each(?)) "
        "AND panel_order_id IS NOT NULL ORDER BY id",
        (panel, OPEN_STATUSES_JSON),
    )


async def with_status(conn: aiosqlite.Connection, status: str, *, limit: int = 100) -> list[Order]:
    """Orders in one status, oldest first (e.g. `unknown` ones awaiting reconciliation)."""
    return await _many(
        conn, "SELECT * FROM orders WHERE status = ? ORDER BY id LIMIT ?", (status, limit)
    )


async def awaiting_admin(conn: aiosqlite.Connection, *, limit: int = 100) -> list[Order]:
    """Orders only an admin can settle, oldest first: `unknown` ones and held final ones."""
    return await _many(
        conn, "SELECT * FROM orders WHERE status = ? OR held IS NOT NULL ORDER BY id LIMIT ?",
        (OUTCOME_UNKNOWN, limit),
    )


async def count_awaiting_admin(conn: aiosqlite.Connection) -> int:
    """How many orders `awaiting_admin` would list without a limit."""
    async with conn.execute(
        "SELECT COUNT(*) FROM orders WHERE status = ? OR held IS NOT NULL", (OUTCOME_UNKNOWN,)
    ) as cur:
        return (await cur.fetchone())[0]


async def count_by_status(conn: aiosqlite.Connection) -> dict[str, int]:
    """How many orders are in each status (admin overview)."""
    async with conn.execute("SELECT status, COUNT(*) FROM orders GROUP BY status") as cur:
        return {row[0]: row[1] for row in await cur.fetchall()}


async def untold(conn: aiosqlite.Connection, since: str, *, limit: int) -> list[Order]:
    """Placed orders whose status past `pending` their customer was not told, changed at/after `since`.

    Customers who blocked the bot are left out; oldest change first, at most `limit`.
    """
    return await _many(
        conn,
        "SELECT orders.* FROM orders JOIN users ON users.id = orders.user_id "
        "WHERE orders.status NOT IN ('pending', 'submitting', 'unknown') "
        "AND orders.notified_status IS NOT orders.status AND orders.panel_order_id IS NOT NULL "
        "AND orders.updated_at >= ? AND users.blocked = 0 ORDER BY orders.updated_at, orders.id LIMIT ?",
        (since, limit),
    )
