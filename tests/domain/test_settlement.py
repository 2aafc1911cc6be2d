"""Settling a final status: only from what that answer itself says; held for an admin otherwise.

Refunds add up: what an admin already refunded counts toward the undelivered part; drip-feeds and
subscriptions that stop keep what was delivered (runs / posts done) and give back the rest.
"""

from __future__ import annotations

import pytest

from bot.domain import reconcile, statuses, wallet
from bot.domain.errors import LimitExceeded, WrongState
from bot.panel.models import OrderState, OrderStatus, OrderType
from bot.storage import ledger, orders
from bot.storage import referrals as referral_store
from bot.storage.ledger import LedgerKind, order_reference
from tests.domain.conftest import placed_order
from tests.growth.conftest import FRIEND, REFERRER, referred_pair


def _state(status: OrderStatus, raw: str | None = None, **fields) -> OrderState:
    return OrderState(order_id="x", status=status, status_raw=raw or status.value, **fields)


async def _refunds(db, order_id):
    return [e.amount for e in await ledger.by_reference(db.conn, order_reference(order_id))
            if e.kind is LedgerKind.REFUND]


async def _awaiting(db) -> list[int]:
    return [o.id for o in await reconcile.unknown_orders(db)]


async def test_partial_without_remains_never_refunds_from_an_older_answer(db):
    order_id = await placed_order(db, price=1_000_000, quantity=1000)
    await statuses.apply_status(db, order_id, _state(OrderStatus.IN_PROGRESS, remains=1000))
    change = await statuses.apply_status(db, order_id, _state(OrderStatus.PARTIAL, "Partial"))
    assert change.new_status == "partial" and change.refund == 0 and change.held
    order = await orders.get(db.conn, order_id)
    assert order.refunded == 0 and order.held and "remains" in order.held
    assert await _refunds(db, order_id) == []
    assert await _awaiting(db) == [order_id]  # listed for an admin beside unknown orders


async def test_partial_without_remains_and_no_earlier_answer_is_held_too(db):
    order_id = await placed_order(db)
    change = await statuses.apply_status(db, order_id, _state(OrderStatus.PARTIAL))
    assert change.refund == 0 and change.held
    assert await _awaiting(db) == [order_id]


@pytest.mark.parametrize("remains", [1001, 10**9])
async def test_remains_beyond_the_quantity_is_held_not_guessed(db, remains):
    order_id = await placed_order(db, price=1000, quantity=1000)
    change = await statuses.apply_status(db, order_id, _state(OrderStatus.PARTIAL, remains=remains))
    assert change.refund == 0 and change.held
    assert (await orders.get(db.conn, order_id)).refunded == 0


async def test_a_package_partial_is_held_for_an_admin(db):
    order_id = await placed_order(db, type=OrderType.PACKAGE, quantity=1, price=9000)
    change = await statuses.apply_status(db, order_id, _state(OrderStatus.PARTIAL, remains=1))
    assert change.refund == 0 and change.held


async def test_an_admin_settles_a_held_order_once_with_an_amount(db):
    order_id = await placed_order(db, price=1_000_000)
    await statuses.apply_status(db, order_id, _state(OrderStatus.PARTIAL))
    assert await wallet.balance(db, 1) == 0
    with pytest.raises(LimitExceeded):
        await reconcile.settle_held(db, order_id, 1_000_001, actor=99)
    assert await reconcile.settle_held(db, order_id, 250_000, actor=99) == 250_000
    order = await orders.get(db.conn, order_id)
    assert (order.status, order.held, order.refunded) == ("partial", None, 250_000)
    assert await wallet.balance(db, 1) == 250_000
    assert await _awaiting(db) == []
    with pytest.raises(WrongState):
        await reconcile.settle_held(db, order_id, 1, actor=99)


async def test_an_admin_may_settle_a_held_order_with_nothing_to_give_back(db):
    order_id = await placed_order(db, price=1_000_000)
    await statuses.apply_status(db, order_id, _state(OrderStatus.PARTIAL))
    assert await reconcile.settle_held(db, order_id, 0, actor=99) == 0
    assert (await orders.get(db.conn, order_id)).held is None and await wallet.balance(db, 1) == 0


async def test_a_manual_refund_counts_toward_a_later_partial(db):
    order_id = await placed_order(db, price=1_000_000, quantity=1000)
    assert await reconcile.refund_order(db, order_id, 300_000, actor=99) == 300_000
    change = await statuses.apply_status(db, order_id, _state(OrderStatus.PARTIAL, remains=500))
    assert change.refund == 200_000  # 500_000 due, 300_000 already given
    assert await _refunds(db, order_id) == [300_000, 200_000]
    other = await placed_order(db, user_id=2, price=1_000_000, quantity=1000)
    await reconcile.refund_order(db, other, 600_000, actor=99)
    assert (await statuses.apply_status(db, other, _state(OrderStatus.PARTIAL, remains=500))).refund == 0
    assert (await orders.get(db.conn, other)).refunded == 600_000


async def test_a_canceled_drip_feed_keeps_the_runs_done(db):
    # 4 runs of 250: 1000 units for 1.000000; 1 run done when it was canceled -> 3/4 back
    order_id = await placed_order(db, price=1_000_000, quantity=1000, extras={"runs": 4, "interval": 30})
    await statuses.apply_status(db, order_id, _state(OrderStatus.IN_PROGRESS, remains=1000))
    change = await statuses.apply_status(db, order_id, _state(OrderStatus.CANCELED, runs=1))
    assert change.refund == 750_000 and not change.held


async def test_a_canceled_drip_feed_reads_remains_over_the_whole_order(db):
    order_id = await placed_order(db, price=1_000_000, quantity=1000, extras={"runs": 4, "interval": 30})
    change = await statuses.apply_status(db, order_id, _state(OrderStatus.CANCELED, remains=500, runs=2))
    assert change.refund == 500_000


async def test_a_drip_feed_final_with_neither_runs_nor_remains_is_held(db):
    order_id = await placed_order(db, price=1_000_000, quantity=1000, extras={"runs": 4, "interval": 30})
    await statuses.apply_status(db, order_id, _state(OrderStatus.IN_PROGRESS, runs=1))
    change = await statuses.apply_status(db, order_id, _state(OrderStatus.CANCELED))
    assert change.refund == 0 and change.held
    partial = await placed_order(db, user_id=2, price=1_000_000, quantity=1000, extras={"runs": 4})
    change = await statuses.apply_status(db, partial, _state(OrderStatus.PARTIAL, runs=5))  # out of range
    assert change.refund == 0 and change.held


async def test_a_canceled_subscription_keeps_the_posts_done(db):
    order_id = await placed_order(db, type=OrderType.SUBSCRIPTIONS, quantity=1000, price=10_000,
                                  extras={"posts": 4, "old_posts": 1})
    change = await statuses.apply_status(db, order_id, _state(OrderStatus.CANCELED, posts=2))
    assert change.refund == 6000  # 3 of 5 posts not done


async def test_a_subscription_ending_without_posts_never_reads_older_posts(db):
    order_id = await placed_order(db, type=OrderType.SUBSCRIPTIONS, quantity=1000, price=10_000,
                                  extras={"posts": 4, "old_posts": 1})
    await statuses.apply_status(db, order_id, _state(OrderStatus.ACTIVE, posts=0))
    change = await statuses.apply_status(db, order_id, _state(OrderStatus.EXPIRED))
    assert change.refund == 0 and change.held


async def test_full_refund_statuses_and_completed_need_no_numbers(db):
    canceled = await placed_order(db, price=5000)
    assert (await statuses.apply_status(db, canceled, _state(OrderStatus.CANCELED))).refund == 5000
    failed = await placed_order(db, user_id=2, price=5000)
    await reconcile.refund_order(db, failed, 1000, actor=99)
    assert (await statuses.apply_status(db, failed, _state(OrderStatus.FAILED))).refund == 4000
    done = await placed_order(db, user_id=3, price=5000)
    change = await statuses.apply_status(db, done, _state(OrderStatus.COMPLETED))
    assert change.refund == 0 and not change.held
    assert await _awaiting(db) == []


async def test_a_held_order_pays_its_referral_commission_only_once_settled_on_what_it_kept(db):
    await referred_pair(db, percent="10")
    order_id = await placed_order(db, FRIEND, price=1_000_000, quantity=1000)
    await statuses.apply_status(db, order_id, _state(OrderStatus.PARTIAL))
    assert await referral_store.commission_of(db.conn, order_id) is None  # not known yet: nothing paid
    await reconcile.settle_held(db, order_id, 400_000, actor=99)
    settled = await referral_store.commission_of(db.conn, order_id)
    assert (settled.spent, settled.amount) == (600_000, 60_000)
    assert await wallet.balance(db, REFERRER) == 60_000
