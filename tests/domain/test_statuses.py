"""Applying panel answers: idempotent, final is final, refunds once and exactly sized."""

from __future__ import annotations

from decimal import Decimal

from bot.domain import statuses, wallet
from bot.panel.models import OrderState, OrderStatus, OrderType
from bot.storage import ledger, orders
from bot.storage.ledger import LedgerKind, order_reference
from tests.domain.conftest import placed_order


def _state(status: OrderStatus, raw: str | None = None, **fields) -> OrderState:
    return OrderState(order_id="x", status=status, status_raw=raw or status.value, **fields)


async def _refunds(db, order_id):
    return [e.amount for e in await ledger.by_reference(db.conn, order_reference(order_id))
            if e.kind is LedgerKind.REFUND]


async def test_same_answer_twice_changes_nothing_the_second_time(db):
    order_id = await placed_order(db)
    answer = _state(OrderStatus.IN_PROGRESS, start_count=10, remains=900)
    change = await statuses.apply_status(db, order_id, answer)
    assert (change.old_status, change.new_status, change.start_count, change.remains, change.refund) == (
        "pending", "in_progress", 10, 900, 0)
    assert change.status_changed
    assert await statuses.apply_status(db, order_id, answer) is None
    progress = await statuses.apply_status(db, order_id, _state(OrderStatus.IN_PROGRESS, remains=500))
    assert not progress.status_changed and progress.remains == 500 and progress.start_count == 10


async def test_partial_refunds_remains_share_half_up_once(db):
    order_id = await placed_order(db, price=1_000_001, quantity=3)
    change = await statuses.apply_status(db, order_id, _state(OrderStatus.PARTIAL, remains=1))
    assert change.refund == 333_334  # 1_000_001 / 3 = 333_333.67 -> half-up
    assert await statuses.apply_status(db, order_id, _state(OrderStatus.PARTIAL, remains=1)) is None
    assert await _refunds(db, order_id) == [333_334]
    assert (await orders.get(db.conn, order_id)).refunded == 333_334


async def test_remains_beyond_quantity_is_held_for_an_admin_not_guessed(db):
    order_id = await placed_order(db, price=1000, quantity=10)
    change = await statuses.apply_status(db, order_id, _state(OrderStatus.PARTIAL, remains=50))
    assert change.refund == 0 and "beyond the quantity" in change.held


async def test_canceled_refunds_in_full_and_final_never_goes_back(db):
    order_id = await placed_order(db, price=5000)
    assert (await statuses.apply_status(db, order_id, _state(OrderStatus.CANCELED, "Cancelled"))).refund == 5000
    late = _state(OrderStatus.IN_PROGRESS, "In progress", remains=3)
    assert await statuses.apply_status(db, order_id, late) is None
    assert await statuses.apply_status(db, order_id, _state(OrderStatus.REFUNDED, "Refunded")) is None
    order = await orders.get(db.conn, order_id)
    assert order.status == "canceled" and order.refunded == 5000
    assert order.last_answer["status_raw"] == "Refunded"  # the late answer is still kept for admins
    assert await _refunds(db, order_id) == [5000]
    assert await wallet.balance(db, 1) == 5000


async def test_completed_refunds_nothing_and_stores_charge(db):
    order_id = await placed_order(db)
    change = await statuses.apply_status(db, order_id, _state(OrderStatus.COMPLETED, charge=Decimal("0.9")))
    assert change.refund == 0 and change.new_status == "completed"
    assert (await orders.get(db.conn, order_id)).panel_charge == Decimal("0.9")


async def test_unknown_word_and_stale_pending_keep_the_status(db):
    order_id = await placed_order(db)
    assert await statuses.apply_status(db, order_id, _state(OrderStatus.UNKNOWN, "Weird")) is None
    order = await orders.get(db.conn, order_id)
    assert (order.status, order.status_raw) == ("pending", "Weird")
    await statuses.apply_status(db, order_id, _state(OrderStatus.IN_PROGRESS))
    assert await statuses.apply_status(db, order_id, _state(OrderStatus.PENDING)) is None
    assert (await orders.get(db.conn, order_id)).status == "in_progress"


async def test_package_partial_refunds_nothing_automatically_an_admin_decides(db):
    order_id = await placed_order(db, type=OrderType.PACKAGE, quantity=1, price=9000)
    change = await statuses.apply_status(db, order_id, _state(OrderStatus.PARTIAL, remains=1))
    assert change.refund == 0 and "package" in change.held


async def test_subscription_refunds_unused_posts(db):
    order_id = await placed_order(db, type=OrderType.SUBSCRIPTIONS, quantity=1000, price=10_000,
                                  extras={"posts": 4, "old_posts": 1})
    assert (await statuses.apply_status(db, order_id, _state(OrderStatus.ACTIVE, posts=2))).refund == 0
    change = await statuses.apply_status(db, order_id, _state(OrderStatus.EXPIRED, posts=3))
    assert change.refund == 4000  # 2 of 5 posts unused


async def test_misses_count_and_reset_on_success(db):
    order_id = await placed_order(db)
    assert await statuses.record_status_miss(db, order_id) == 1
    assert await statuses.record_status_miss(db, order_id) == 2
    assert await statuses.apply_status(db, order_id, _state(OrderStatus.PENDING)) is None
    assert (await orders.get(db.conn, order_id)).miss_count == 0
    assert await statuses.record_status_miss(db, 404) == 0


async def test_answers_for_orders_not_placed_are_ignored(db):
    assert await statuses.apply_status(db, 404, _state(OrderStatus.COMPLETED)) is None
    order_id = await placed_order(db, status="unknown")
    assert await statuses.apply_status(db, order_id, _state(OrderStatus.CANCELED)) is None
    assert (await orders.get(db.conn, order_id)).refunded == 0


async def test_notified_status_is_remembered(db):
    order_id = await placed_order(db)
    await statuses.mark_notified(db, order_id, "in_progress")
    assert (await orders.get(db.conn, order_id)).notified_status == "in_progress"
