"""Admin reconciliation of orders: link an `unknown` order to the panel's id, or refund it;
settle a held final order (its answer did not say enough) with an amount.

An `unknown` or held order's charge is held until one of these runs; each works once (the
second call finds the order in another state and raises WrongState).
"""

from __future__ import annotations

import sqlite3

from bot.domain import referrals
from bot.domain.errors import LimitExceeded, NotFound, WrongState
from bot.domain.refunds import refund
from bot.storage import order_writes, orders
from bot.storage.db import Database
from bot.storage.orders import OUTCOME_UNKNOWN, Order


async def unknown_orders(db: Database, limit: int = 100) -> list[Order]:
    """Orders awaiting an admin, oldest first: `unknown` ones and held final ones (`held` says why)."""
    return await orders.awaiting_admin(db.conn, limit=limit)


async def count_unknown(db: Database) -> int:
    """How many orders await an admin (unknown_orders without a limit)."""
    return await orders.count_awaiting_admin(db.conn)


async def settle_held(db: Database, order_id: int, amount: int, *, actor: int) -> int:
    """An admin settles a held final order: refund `amount` (minor, 0 allowed), once; the amount given."""
    if not isinstance(amount, int) or isinstance(amount, bool) or amount < 0:
        raise ValueError("amount must be a non-negative integer of minor units")
    async with db.transaction() as conn:
        order = await orders.get(conn, order_id)
        if order is None:
            raise NotFound(f"order {order_id} not found")
        if amount > order.unrefunded:
            raise LimitExceeded(f"only {order.unrefunded} of order {order_id} is left to refund")
        if not await order_writes.clear_held(conn, order_id):
            raise WrongState(f"order {order_id} is {order.status}, not held for settlement")
        given = await refund(conn, order, amount, note=f"order {order.status} settled by admin", actor=actor)
        await referrals.settle_order(conn, order_id)  # now that what the order kept is known
        return given


async def resolve_unknown(db: Database, order_id: int, panel_order_id: str) -> Order:
    """The panel does have it: store its id, status pending, and the sync tracks it from now on."""
    panel_order_id = panel_order_id.strip()
    if not panel_order_id:
        raise ValueError("panel order id is empty")
    try:
        async with db.transaction() as conn:
            order = await orders.get(conn, order_id)
            if order is None:
                raise NotFound(f"order {order_id} not found")
            if not await order_writes.set_placed(conn, order_id, panel_order_id, expect=OUTCOME_UNKNOWN):
                raise WrongState(f"order {order_id} is {order.status}, not {OUTCOME_UNKNOWN}")
            return await orders.get(conn, order_id)
    except sqlite3.IntegrityError:
        raise WrongState(f"panel order {panel_order_id} is already linked to another order") from None


async def refund_unknown(db: Database, order_id: int, *, actor: int | None = None) -> int:
    """The panel does not have it: failed and refunded in full, exactly once; the amount refunded."""
    async with db.transaction() as conn:
        order = await orders.get(conn, order_id)
        if order is None:
            raise NotFound(f"order {order_id} not found")
        if not await order_writes.set_failed(
            conn, order_id, "not_placed", "not found on the panel (reconciled)", expect=OUTCOME_UNKNOWN
        ):
            raise WrongState(f"order {order_id} is {order.status}, not {OUTCOME_UNKNOWN}")
        return await refund(conn, order, order.unrefunded, note="not placed (reconciled)", actor=actor)


async def refund_order(db: Database, order_id: int, amount: int | None, *, actor: int, note: str | None = None) -> int:
    """An admin refunds part (`amount`, minor) or all that is left (None); never beyond the price."""
    if amount is not None and (not isinstance(amount, int) or isinstance(amount, bool) or amount <= 0):
        raise ValueError("amount must be a positive integer of minor units")
    async with db.transaction() as conn:
        order = await orders.get(conn, order_id)
        if order is None:
            raise NotFound(f"order {order_id} not found")
        if order.status == orders.SUBMITTING:
            raise WrongState(f"order {order_id} is still being placed")
        wanted = order.unrefunded if amount is None else amount
        if wanted > order.unrefunded:
            raise LimitExceeded(f"only {order.unrefunded} of order {order_id} is left to refund")
        if wanted == 0:
            raise LimitExceeded(f"order {order_id} is already refunded in full")
        return await refund(conn, order, wanted, note=note or "refund by admin", actor=actor)
