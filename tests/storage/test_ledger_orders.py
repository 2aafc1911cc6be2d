"""Ledger and order storage: the database itself refuses double charges, double refunds, over-refunds."""

from __future__ import annotations

import sqlite3
from decimal import Decimal

import pytest

from bot.panel.models import OrderStatus, OrderType
from bot.storage import audit, ledger, markups, order_writes, orders, panel_state, refills, users
from bot.storage.ledger import LedgerKind, order_reference
from bot.storage.order_writes import NewOrder


def _new(user_id: int = 1, token: str | None = None, price: int = 100) -> NewOrder:
    return NewOrder(user_id=user_id, panel="p", service_id="1", service_name="S", type=OrderType.DEFAULT,
                    quantity=10, price=price, rate=Decimal("10"), rate_per=1000, markup=Decimal("0"),
                    link="https://x.io", extras={"runs": 2}, client_token=token)


async def test_balance_is_the_ledger_sum(db):
    await users.ensure(db.conn, 1)
    for amount in (500, -200, 7):
        await ledger.add(db.conn, 1, amount, LedgerKind.CREDIT)
    assert await ledger.balance(db.conn, 1) == 307
    assert await ledger.balance(db.conn, 2) == 0
    with pytest.raises(ValueError):
        await ledger.add(db.conn, 1, 0, LedgerKind.CREDIT)
    with pytest.raises(TypeError):
        await ledger.add(db.conn, 1, Decimal(1), LedgerKind.CREDIT)


async def test_balance_sum_uses_the_covering_index(db):
    if db.is_postgres:
        pytest.skip("SQLite's query planner (EXPLAIN QUERY PLAN); PostgreSQL plans by table statistics")
    plan = await db.fetchall("EXPLAIN QUERY PLAN SELECT COALESCE(SUM(amount), 0) FROM ledger WHERE user_id = ?", (1,))
    assert "COVERING INDEX ledger_user" in " ".join(row["detail"] for row in plan)


async def test_the_bot_refunds_one_order_once_but_admins_may_add_more(db):
    await users.ensure(db.conn, 1)
    ref = order_reference(5)
    await ledger.add(db.conn, 1, 10, LedgerKind.REFUND, reference=ref)
    with pytest.raises(sqlite3.IntegrityError):
        await ledger.add(db.conn, 1, 10, LedgerKind.REFUND, reference=ref)
    await ledger.add(db.conn, 1, 10, LedgerKind.REFUND, reference=ref, actor=99)
    assert [e.actor for e in await ledger.by_reference(db.conn, ref)] == [None, 99]


async def test_order_round_trip_token_uniqueness_and_refund_ceiling(db):
    await users.ensure(db.conn, 1)
    order_id = await order_writes.insert_submitting(db.conn, _new(token="t1"))
    order = await orders.get(db.conn, order_id)
    assert (order.status, order.extras, order.rate, order.type, order.unrefunded) == (
        "submitting", {"runs": 2}, Decimal("10"), OrderType.DEFAULT, 100)
    assert (await orders.by_client_token(db.conn, 1, "t1")).id == order_id
    with pytest.raises(sqlite3.IntegrityError):
        await order_writes.insert_submitting(db.conn, _new(token="t1"))
    await order_writes.add_refunded(db.conn, order_id, 100)
    with pytest.raises(sqlite3.IntegrityError):
        await order_writes.add_refunded(db.conn, order_id, 1)


async def test_transitions_expect_their_status(db):
    await users.ensure(db.conn, 1)
    a = await order_writes.insert_submitting(db.conn, _new())
    b = await order_writes.insert_submitting(db.conn, _new())
    assert await order_writes.set_placed(db.conn, a, "900")
    assert not await order_writes.set_placed(db.conn, a, "901")
    assert await order_writes.submitting_to_unknown(db.conn) == [b]
    assert not await order_writes.set_failed(db.conn, b, "other", "x", expect="submitting")
    assert (await orders.by_panel_order(db.conn, "p", "900")).id == a
    assert [o.id for o in await orders.open_for_panel(db.conn, "p")] == [a]
    assert await orders.count_by_status(db.conn) == {"pending": 1, "unknown": 1}


async def test_user_orders_newest_first_with_total(db):
    await users.ensure(db.conn, 1)
    await users.ensure(db.conn, 2)
    ids = [await order_writes.insert_submitting(db.conn, _new()) for _ in range(5)]
    await order_writes.insert_submitting(db.conn, _new(user_id=2))
    page = await orders.for_user(db.conn, 1, offset=0, limit=3)
    assert [o.id for o in page.items] == ids[::-1][:3] and page.total == 5 and page.has_next
    assert await orders.get_for_user(db.conn, ids[0], 2) is None


def test_open_statuses_are_the_non_final_panel_statuses():
    expected = {s.value for s in OrderStatus if not s.is_final and s is not OrderStatus.UNKNOWN}
    assert set(orders.OPEN_STATUSES) == expected


async def test_refill_claims_block_until_answered(db):
    await users.ensure(db.conn, 1)
    order_id = await order_writes.insert_submitting(db.conn, _new())
    await order_writes.set_placed(db.conn, order_id, "77")
    first = await refills.claim(db.conn, order_id)
    assert await refills.claim(db.conn, order_id) is None
    await refills.set_answer(db.conn, first, "pending", panel_refill_id="r1")
    assert [r.panel_refill_id for r in await refills.open_for_panel(db.conn, "p")] == ["r1"]
    await refills.set_status(db.conn, first, "completed", "Completed")
    assert (await refills.get(db.conn, first)).is_final
    assert await refills.claim(db.conn, order_id) is not None


async def test_markups_panel_state_and_audit(db):
    await markups.put(db.conn, "*", Decimal("12.5"), actor=1)
    await markups.put(db.conn, "p:1", Decimal("-5"))
    assert await markups.get_first(db.conn, ("p:1", "*")) == Decimal("-5")
    assert await markups.get_first(db.conn, ("p:2", "*")) == Decimal("12.5")
    assert [m.scope for m in await markups.all_markups(db.conn)] == ["*", "p:1"]
    with pytest.raises(ValueError):
        await markups.put(db.conn, "*", Decimal("NaN"))

    down = await panel_state.record_failure(db.conn, "p", "timeout")
    again = await panel_state.record_failure(db.conn, "p", "502")
    assert again.down_since == down.down_since and again.last_error == "502"
    await panel_state.set_alerted(db.conn, "p", down=True)
    before = await panel_state.record_success(db.conn, "p")
    assert before.down_alerted
    after = await panel_state.get(db.conn, "p")
    assert (after.down_since, after.last_error, after.down_alerted) == (None, None, False)

    await audit.record(db.conn, 42, "refund", {"order": 5, "amount": Decimal("1.5")})
    entry = (await audit.recent(db.conn, admin_id=42))[0]
    assert (entry.action, entry.arguments) == ("refund", {"order": 5, "amount": "1.5"})
    assert await audit.recent(db.conn, admin_id=7) == []
