"""Refunding (part of) an order's price: one ledger row plus the order's refunded total.

Runs inside the caller's transaction. The total never exceeds the price (checked here and by a
CHECK on orders.refunded); the bot's own refund of an order (actor None) can exist only once
(the ledger_once unique index), so a bug cannot refund an order twice, it can only fail.
"""

from __future__ import annotations

import aiosqlite

from bot.domain import referrals
from bot.storage import ledger, order_writes
from bot.storage.ledger import LedgerKind, order_reference
from bot.storage.orders import Order


async def refund(
    conn: aiosqlite.Connection, order: Order, amount: int, *, note: str | None = None, actor: int | None = None
) -> int:
    """Give back up to `amount` of the order's price (what is left unrefunded at most); the amount given."""
    amount = min(amount, order.unrefunded)
    if amount <= 0:
        return 0
    await ledger.add(
        conn, order.user_id, amount, LedgerKind.REFUND, reference=order_reference(order.id), note=note, actor=actor
    )
    await order_writes.add_refunded(conn, order.id, amount)
    await referrals.settle_order(conn, order.id)  # a final order's referral commission follows what it kept
    return amount


def share_of_price(price: int, part: int, whole: int) -> int:
    """price × part ÷ whole, rounded half-up, for 0 <= part <= whole (integers, exact)."""
    if whole <= 0:
        return 0
    part = max(0, min(part, whole))
    return (2 * price * part + whole) // (2 * whole)
