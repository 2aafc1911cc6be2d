"""Order writes. Each transition names the status it expects, so a stale writer changes nothing.

Callers run these inside `db.transaction()` together with the matching ledger rows.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import aiosqlite

from bot.panel.models import OrderType
from bot.storage.clock import now_text
from bot.storage.orders import OUTCOME_UNKNOWN, SUBMITTING


@dataclass(frozen=True)
class NewOrder:
    """What is recorded before `add` is called."""

    user_id: int
    panel: str
    service_id: str
    service_name: str
    type: OrderType
    quantity: int
    price: int
    rate: Decimal
    rate_per: int
    markup: Decimal
    link: str | None = None
    extras: dict[str, Any] = field(default_factory=dict)
    can_refill: bool = False
    can_cancel: bool = False
    client_token: str | None = None
    panel_currency: str | None = None  # as the panel's balance names it (None: never read)
    exchange_rate: Decimal = Decimal(1)  # shop units per unit of the panel's currency, at placing
    cost: Decimal | None = None  # what the panel charges, in its currency (rate × units)


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=str)


async def insert_submitting(conn: aiosqlite.Connection, order: NewOrder) -> int:
    """Record an order as `submitting` and return its id."""
    now = now_text()
    cur = await conn.execute(
        "INSERT INTO orders(user_id, client_token, panel, service_id, service_name, type, can_refill, "
        "can_cancel, link, extras, quantity, price, rate, rate_per, markup, status, created_at, updated_at, "
        "panel_currency, exchange_rate, cost) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            order.user_id, order.client_token, order.panel, order.service_id, order.service_name,
            OrderType(order.type).value, int(order.can_refill), int(order.can_cancel), order.link,
            _json(order.extras), order.quantity, order.price, str(order.rate), order.rate_per,
            str(order.markup), SUBMITTING, now, now,
            order.panel_currency, str(order.exchange_rate), None if order.cost is None else str(order.cost),
        ),
    )
    return cur.lastrowid


async def set_placed(
    conn: aiosqlite.Connection, order_id: int, panel_order_id: str, *, expect: str = SUBMITTING
) -> bool:
    """`expect` -> pending with the panel's order id; False when the order was not in `expect`."""
    cur = await conn.execute(
        "UPDATE orders SET panel_order_id = ?, status = 'pending', status_raw = NULL, updated_at = ? "
        "WHERE id = ? AND status = ?",
        (panel_order_id, now_text(), order_id, expect),
    )
    return cur.rowcount > 0


async def set_failed(
    conn: aiosqlite.Connection, order_id: int, kind: str, reason: str | None, *, expect: str
) -> bool:
    """`expect` -> failed, keeping why (refund separately, in the same transaction)."""
    cur = await conn.execute(
        "UPDATE orders SET status = 'failed', fail_kind = ?, fail_reason = ?, updated_at = ? "
        "WHERE id = ? AND status = ?",
        (kind, reason, now_text(), order_id, expect),
    )
    return cur.rowcount > 0


async def set_outcome_unknown(conn: aiosqlite.Connection, order_id: int, reason: str | None) -> bool:
    """submitting -> unknown: the charge stays held until an admin reconciles."""
    cur = await conn.execute(
        "UPDATE orders SET status = ?, fail_reason = ?, updated_at = ? WHERE id = ? AND status = ?",
        (OUTCOME_UNKNOWN, reason, now_text(), order_id, SUBMITTING),
    )
    return cur.rowcount > 0


async def submitting_to_unknown(conn: aiosqlite.Connection) -> list[int]:
    """Every order left `submitting` by a crash becomes `unknown` (never re-placed); their ids."""
    async with conn.execute(
        "UPDATE orders SET status = ?, fail_reason = 'interrupted before the panel answered', "
        "updated_at = ? WHERE status = ? RETURNING id",
        (OUTCOME_UNKNOWN, now_text(), SUBMITTING),
    ) as cur:
        return sorted(row[0] for row in await cur.fetchall())


@dataclass(frozen=True)
class PanelProgress:
    """The order fields a panel's status answer sets."""

    status: str
    status_raw: str | None
    remains: int | None
    start_count: int | None
    runs_done: int | None
    posts_done: int | None
    panel_charge: Decimal | None


async def set_progress(
    conn: aiosqlite.Connection, order_id: int, progress: PanelProgress, answer: dict[str, Any],
    *, held: str | None = None,
) -> None:
    """Store a panel's status answer (the caller decided it is news) and reset the miss count;
    `held`: the final status it brings waits for an admin to settle it (why)."""
    await conn.execute(
        "UPDATE orders SET status = ?, status_raw = ?, remains = ?, start_count = ?, runs_done = ?, "
        "posts_done = ?, panel_charge = ?, last_answer = ?, miss_count = 0, updated_at = ?, held = ? "
        "WHERE id = ?",
        (
            progress.status, progress.status_raw, progress.remains, progress.start_count,
            progress.runs_done, progress.posts_done,
            str(progress.panel_charge) if progress.panel_charge is not None else None,
            _json(answer), now_text(), held, order_id,
        ),
    )


async def clear_held(conn: aiosqlite.Connection, order_id: int) -> bool:
    """An admin settled a held order; False when it was not held (settled already, or never)."""
    cur = await conn.execute(
        "UPDATE orders SET held = NULL, updated_at = ? WHERE id = ? AND held IS NOT NULL", (now_text(), order_id)
    )
    return cur.rowcount > 0


async def set_last_answer(conn: aiosqlite.Connection, order_id: int, answer: dict[str, Any]) -> None:
    """Keep a panel answer that changes nothing (admins still see it) and reset the miss count."""
    await conn.execute(
        "UPDATE orders SET last_answer = ?, miss_count = 0 WHERE id = ?", (_json(answer), order_id)
    )


async def add_refunded(conn: aiosqlite.Connection, order_id: int, amount: int) -> None:
    """Count a refund against the order; the CHECK refuses a total beyond the price."""
    await conn.execute(
        "UPDATE orders SET refunded = refunded + ?, updated_at = ? WHERE id = ?",
        (amount, now_text(), order_id),
    )


async def bump_miss(conn: aiosqlite.Connection, order_id: int) -> int:
    """One more consecutive status error for this order; the new count (0 if unknown order)."""
    async with conn.execute(
        "UPDATE orders SET miss_count = miss_count + 1 WHERE id = ? RETURNING miss_count", (order_id,)
    ) as cur:
        row = await cur.fetchone()
    return row[0] if row else 0


async def set_notified(conn: aiosqlite.Connection, order_id: int, status: str) -> None:
    """Remember which status the customer was last told about."""
    await conn.execute("UPDATE orders SET notified_status = ? WHERE id = ?", (status, order_id))


async def start_cancel(conn: aiosqlite.Connection, order_id: int) -> bool:
    """Claim the cancel request (False when one is already under way or accepted)."""
    cur = await conn.execute(
        "UPDATE orders SET cancel_state = 'requesting', cancel_message = NULL, cancel_at = ? "
        "WHERE id = ? AND (cancel_state IS NULL OR cancel_state NOT IN ('requesting', 'requested'))",
        (now_text(), order_id),
    )
    return cur.rowcount > 0


async def set_cancel_state(
    conn: aiosqlite.Connection, order_id: int, state: str, message: str | None
) -> None:
    """Store the panel's answer to a cancel request (requested, refused, outcome_unknown, not_sent)."""
    await conn.execute(
        "UPDATE orders SET cancel_state = ?, cancel_message = ?, updated_at = ? WHERE id = ?",
        (state, message, now_text(), order_id),
    )
