"""Property tests of settlement: a final answer settles only from its own fields, held otherwise, and
refunds add up — an admin's manual refunds count toward the undelivered share, never paid twice."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.domain import reconcile, statuses, wallet
from bot.domain.refunds import share_of_price
from bot.panel.models import OrderState, OrderStatus, OrderType
from bot.storage import ledger, orders
from bot.storage.db import Database
from bot.storage.ledger import LedgerKind, order_reference
from tests.domain.conftest import placed_order

QUANTITY = 1000
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
remains_values = st.one_of(st.none(), st.integers(min_value=-5, max_value=QUANTITY + 5))
open_answers = st.lists(st.tuples(st.sampled_from([OrderStatus.PENDING, OrderStatus.IN_PROGRESS]),
                                  remains_values), max_size=3)
manual = st.lists(st.integers(min_value=1, max_value=400_000), max_size=3)


def _state(status: OrderStatus, **fields) -> OrderState:
    return OrderState(order_id="x", status=status, status_raw=status.value, **fields)


async def _bot_refunds(db, order_id) -> list[int]:
    return [e.amount for e in await ledger.by_reference(db.conn, order_reference(order_id))
            if e.kind is LedgerKind.REFUND and e.actor is None]


async def _manual_refunds(db, order_id, amounts) -> int:
    given = 0
    for amount in amounts:
        order = await orders.get(db.conn, order_id)
        if amount <= order.unrefunded:
            given += await reconcile.refund_order(db, order_id, amount, actor=99)
    return given


@SETTINGS
@given(price=st.integers(min_value=1, max_value=5_000_000), before=open_answers, refunds=manual,
       remains=remains_values)
async def test_a_partial_settles_from_its_own_remains_or_is_held(price, before, refunds, remains):
    db = await Database.open(":memory:")
    try:
        order_id = await placed_order(db, price=price, quantity=QUANTITY)
        for status, number in before:  # older answers: never read by the final one
            await statuses.apply_status(db, order_id, _state(status, remains=number))
        given = await _manual_refunds(db, order_id, refunds)
        change = await statuses.apply_status(db, order_id, _state(OrderStatus.PARTIAL, remains=remains))
        order = await orders.get(db.conn, order_id)
        assert order.status == "partial"
        if remains is None or not 0 <= remains <= QUANTITY:
            assert change.held and order.held and change.refund == 0
            assert order.refunded == given and await _bot_refunds(db, order_id) == []
            listed = [o.id for o in await reconcile.unknown_orders(db)]
            assert listed == [order_id]
            settle = min(order.unrefunded, 123_456)
            assert await reconcile.settle_held(db, order_id, settle, actor=7) == settle
            assert (await orders.get(db.conn, order_id)).refunded == given + settle
            assert await reconcile.unknown_orders(db) == []
        else:
            due = share_of_price(price, remains, QUANTITY)
            assert not change.held and order.held is None
            assert order.refunded == max(given, due)  # manual refunds count toward what is due
            assert change.refund == max(0, due - given)
        assert await wallet.check_balances(db) == []
        assert await wallet.balance(db, 1) == (await orders.get(db.conn, order_id)).refunded
    finally:
        await db.close()


@SETTINGS
@given(price=st.integers(min_value=1, max_value=5_000_000), runs=st.integers(min_value=2, max_value=10),
       done=st.one_of(st.none(), st.integers(min_value=-1, max_value=12)), refunds=manual,
       earlier=st.one_of(st.none(), st.integers(min_value=0, max_value=10)),
       status=st.sampled_from([OrderStatus.CANCELED, OrderStatus.PARTIAL]))
async def test_a_stopped_drip_feed_keeps_the_runs_done_and_refunds_add_up(price, runs, done, refunds, earlier, status):
    db = await Database.open(":memory:")
    try:
        order_id = await placed_order(db, price=price, quantity=QUANTITY, extras={"runs": runs, "interval": 10})
        await statuses.apply_status(db, order_id, _state(OrderStatus.IN_PROGRESS, runs=earlier))
        given = await _manual_refunds(db, order_id, refunds)
        change = await statuses.apply_status(db, order_id, _state(status, runs=done))
        order = await orders.get(db.conn, order_id)
        if done is None or not 0 <= done <= runs:
            assert change.held and order.refunded == given and await _bot_refunds(db, order_id) == []
        else:
            due = share_of_price(price, runs - done, runs)
            assert order.held is None and order.refunded == max(given, due)
        assert await wallet.check_balances(db) == []
    finally:
        await db.close()


@SETTINGS
@given(price=st.integers(min_value=1, max_value=5_000_000), posts=st.integers(min_value=1, max_value=20),
       done=st.one_of(st.none(), st.integers(min_value=-1, max_value=25)), refunds=manual,
       status=st.sampled_from([OrderStatus.CANCELED, OrderStatus.EXPIRED, OrderStatus.PARTIAL]))
async def test_a_stopped_subscription_keeps_the_posts_done(price, posts, done, refunds, status):
    db = await Database.open(":memory:")
    try:
        order_id = await placed_order(db, price=price, quantity=QUANTITY, type=OrderType.SUBSCRIPTIONS,
                                      extras={"posts": posts})
        await statuses.apply_status(db, order_id, _state(OrderStatus.ACTIVE, posts=0))
        given = await _manual_refunds(db, order_id, refunds)
        change = await statuses.apply_status(db, order_id, _state(status, posts=done))
        order = await orders.get(db.conn, order_id)
        if done is None or not 0 <= done <= posts:
            assert change.held and order.refunded == given
        else:
            assert order.held is None and order.refunded == max(given, share_of_price(price, posts - done, posts))
        assert await wallet.check_balances(db) == []
    finally:
        await db.close()
