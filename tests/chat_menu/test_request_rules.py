"""can_refill / can_cancel (bot/domain/order_requests.py) agree with what request_refill / request_cancel do."""

from __future__ import annotations

import pytest

from bot.domain import order_requests
from bot.storage import order_writes, orders, refills
from bot.storage.db import Database
from tests import dbs
from tests.domain.conftest import placed_order

# the `db` fixture (and its target) over both databases: SQLite and PostgreSQL (tests/dbs.py)
db, db_target = dbs.db, dbs.db_target


async def _order(db: Database, **options) -> orders.Order:
    return await orders.get(db.conn, await placed_order(db, **options))


@pytest.mark.parametrize(("status", "refill", "cancel"), [
    ("pending", False, True), ("in_progress", False, True), ("completed", True, False),
    ("partial", True, False), ("canceled", False, False), ("failed", False, False),
    ("unknown", False, False), ("submitting", False, False),
])
async def test_state_decides(db, status, refill, cancel):
    order = await _order(db, status=status)
    assert (order_requests.can_refill(order), order_requests.can_cancel(order)) == (refill, cancel)


async def test_service_flags_decide(db):
    done = await _order(db, status="completed", can_refill=False)
    running = await _order(db, status="pending", can_cancel=False)
    assert not order_requests.can_refill(done)
    assert not order_requests.can_cancel(running)


async def test_a_request_under_way_hides_another(db):
    order = await _order(db, status="completed")
    async with db.transaction() as conn:
        refill_id = await refills.claim(conn, order.id)
    busy = await refills.for_order(db.conn, order.id)
    assert not order_requests.can_refill(order, busy)
    async with db.transaction() as conn:
        await refills.set_answer(conn, refill_id, "completed")
    assert order_requests.can_refill(order, await refills.for_order(db.conn, order.id))

    running = await _order(db, status="pending")
    async with db.transaction() as conn:
        assert await order_writes.start_cancel(conn, running.id)
    assert not order_requests.can_cancel(await orders.get(db.conn, running.id))
    async with db.transaction() as conn:
        await order_writes.set_cancel_state(conn, running.id, "refused", "too late")
    assert order_requests.can_cancel(await orders.get(db.conn, running.id))  # a refused request may be asked again
