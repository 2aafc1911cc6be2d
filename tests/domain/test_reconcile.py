"""Reconciliation: unknown orders are linked or refunded once; admin refunds never exceed the price."""

from __future__ import annotations

import pytest

from bot.domain import reconcile, wallet
from bot.domain.errors import LimitExceeded, NotFound, WrongState
from bot.storage import orders
from tests.domain.conftest import placed_order


async def test_resolve_unknown_links_the_panel_id_once(db):
    order_id = await placed_order(db, status="unknown")
    await db.conn.execute("UPDATE orders SET panel_order_id = NULL WHERE id = ?", (order_id,))
    assert [o.id for o in await reconcile.unknown_orders(db)] == [order_id]
    order = await reconcile.resolve_unknown(db, order_id, " 555 ")
    assert (order.status, order.panel_order_id) == ("pending", "555")
    assert [o.id for o in await orders.open_for_panel(db.conn, "main")] == [order_id]
    with pytest.raises(WrongState):
        await reconcile.resolve_unknown(db, order_id, "556")
    with pytest.raises(NotFound):
        await reconcile.resolve_unknown(db, 404, "1")


async def test_resolve_refuses_a_panel_id_used_by_another_order(db):
    taken = await orders.get(db.conn, await placed_order(db))
    order_id = await placed_order(db, status="unknown")
    await db.conn.execute("UPDATE orders SET panel_order_id = NULL WHERE id = ?", (order_id,))
    with pytest.raises(WrongState, match="already linked"):
        await reconcile.resolve_unknown(db, order_id, taken.panel_order_id)
    assert (await orders.get(db.conn, order_id)).status == "unknown"


async def test_refund_unknown_refunds_in_full_exactly_once(db):
    order_id = await placed_order(db, price=7000, status="unknown")
    assert await wallet.balance(db, 1) == 0
    assert await reconcile.refund_unknown(db, order_id, actor=42) == 7000
    with pytest.raises(WrongState):
        await reconcile.refund_unknown(db, order_id)
    order = await orders.get(db.conn, order_id)
    assert (order.status, order.refunded) == ("failed", 7000)
    assert await wallet.balance(db, 1) == 7000


async def test_admin_refunds_add_up_to_the_price_and_no_more(db):
    order_id = await placed_order(db, price=1000, status="completed")
    assert await reconcile.refund_order(db, order_id, 300, actor=42) == 300
    with pytest.raises(LimitExceeded):
        await reconcile.refund_order(db, order_id, 701, actor=42)
    assert await reconcile.refund_order(db, order_id, None, actor=42) == 700
    with pytest.raises(LimitExceeded):
        await reconcile.refund_order(db, order_id, None, actor=42)
    assert (await orders.get(db.conn, order_id)).refunded == 1000
    assert await wallet.balance(db, 1) == 1000
    with pytest.raises(ValueError):
        await reconcile.refund_order(db, order_id, 0, actor=42)
