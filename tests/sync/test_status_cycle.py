"""The status cycle against fake panels over HTTP: batching, one push per change, refunds once, misses."""

from __future__ import annotations

import asyncio

from bot.domain import order_requests, wallet
from bot.domain.sync import StatusSync, already_stored
from bot.domain.sync_events import StatusMisses, UnknownOrders
from bot.storage import ledger, orders, sync_orders
from bot.storage.ledger import LedgerKind, order_reference
from tests.sync.conftest import MISS_ALERT
from tests.sync.support import track_many, track_order, until


def _asked(fake, since: int = 0) -> list[str]:
    """Panel order ids asked with multi-status since call number `since`."""
    return [i for c in fake.calls[since:] if c.label == "status_multi" for i in c.form["orders"].split(",")]


async def test_250_open_orders_cost_three_requests_per_cycle(db, panel, hub, sync, notifier):
    await track_many(db, panel, "main", 250)
    first = await sync.run_cycle(db, hub, notifier)
    assert panel.requests["status_multi"] == 3 and first.panel("main").requests == 3
    assert sorted(panel.ids_per_request) == [50, 100, 100]
    assert first.panel("main").asked == 250
    second = await sync.run_cycle(db, hub, notifier)
    assert panel.requests["status_multi"] == 6 and second.requests == 3
    assert panel.requests["status"] == 0  # never one request per order
    # all still Pending: start counts and remains were stored, nothing worth a push
    assert notifier.orders == [] and first.panel("main").changes == 250 and second.panel("main").changes == 0


async def test_completed_order_is_pushed_once_and_then_left_alone(db, panel, hub, sync, notifier):
    order_id, panel_id = await track_order(db, panel)
    other_id, _ = await track_order(db, panel)
    panel.complete(panel_id)
    await sync.run_cycle(db, hub, notifier)
    assert [(u.order_id, u.kind, u.refund) for u in notifier.orders] == [(order_id, "completed", 0)]
    mark = len(panel.calls)
    await sync.run_cycle(db, hub, notifier)
    assert len(notifier.orders) == 1
    assert panel_id not in _asked(panel, mark)  # final: no longer asked
    assert _asked(panel, mark) == [(await orders.get(db.conn, other_id)).panel_order_id]
    assert (await orders.get(db.conn, order_id)).status == "completed"


async def test_started_push_carries_the_start_count(db, panel, hub, sync, notifier):
    order_id, panel_id = await track_order(db, panel)
    panel.set_status(panel_id, "In progress", start_count=1234, remains=600)
    await sync.run_cycle(db, hub, notifier)
    (update,) = notifier.orders
    assert (update.order_id, update.kind, update.start_count, update.remains) == (order_id, "in_progress", 1234, 600)
    panel.set_status(panel_id, "In progress", remains=300)  # progress under the same status: stored, not pushed
    await sync.run_cycle(db, hub, notifier)
    assert len(notifier.orders) == 1 and (await orders.get(db.conn, order_id)).remains == 300


async def test_partial_refunds_remains_times_unit_price_exactly_once(db, panel, hub, notifier):
    # 1000 units for 2.000000: the unit price is 2000 minor; 250 not delivered -> 500_000 back
    order_id, panel_id = await track_order(db, panel, quantity=1000, price=2_000_000)
    panel.set_status(panel_id, "Partial", remains=250)
    # two syncs at once (e.g. two processes on one database) both get the Partial answer
    one = StatusSync(concurrency=1, miss_alert=MISS_ALERT, poll_seconds=60)
    two = StatusSync(concurrency=1, miss_alert=MISS_ALERT, poll_seconds=60)
    await asyncio.gather(one.run_cycle(db, hub, notifier), two.run_cycle(db, hub, notifier))
    await one.run_cycle(db, hub, notifier)
    refunds = [e.amount for e in await ledger.by_reference(db.conn, order_reference(order_id))
               if e.kind is LedgerKind.REFUND]
    assert refunds == [500_000]
    assert [(u.kind, u.refund, u.remains) for u in notifier.orders] == [("partial", 500_000, 250)]
    assert await wallet.balance(db, 1) == 500_000
    assert (await orders.get(db.conn, order_id)).refunded == 500_000


async def test_canceled_after_a_cancel_request_refunds_in_full_and_says_so(db, panel, hub, sync, notifier):
    order_id, panel_id = await track_order(db, panel, price=700_000)
    result = await order_requests.request_cancel(db, hub, 1, order_id)
    assert isinstance(result, order_requests.Accepted)
    await sync.run_cycle(db, hub, notifier)
    (update,) = notifier.orders
    assert (update.kind, update.refund, update.cancel_asked) == ("canceled", 700_000, True)
    assert await wallet.balance(db, 1) == 700_000


async def test_refill_completed_reaches_the_customer_once(db, panel, hub, sync, notifier):
    order_id, panel_id = await track_order(db, panel, user_id=7, fake_status="Completed")
    panel.complete(panel_id)
    await sync.run_cycle(db, hub, notifier)  # the order is completed on our side too
    result = await order_requests.request_refill(db, hub, 7, order_id)
    assert isinstance(result, order_requests.Accepted) and result.confirmed
    notifier.clear()
    await sync.run_cycle(db, hub, notifier)
    assert notifier.refills == []  # still Pending on the panel: nothing to tell
    (refill_id,) = panel.orders[panel_id].refills
    panel.set_refill_status(refill_id, "Completed")
    await sync.run_cycle(db, hub, notifier)
    assert [(u.order_id, u.user_id, u.status) for u in notifier.refills] == [(order_id, 7, "completed")]
    before = panel.requests["refill_status_multi"]
    await sync.run_cycle(db, hub, notifier)
    assert panel.requests["refill_status_multi"] == before and len(notifier.refills) == 1


async def test_error_entries_are_retried_and_flagged_once_at_the_threshold(db, panel, hub, sync, notifier):
    lost_id, _ = await track_order(db, panel, panel_order_id="999999")  # the panel does not know it
    fine_id, fine_panel_id = await track_order(db, panel)
    for cycle in range(1, MISS_ALERT + 2):
        mark = len(panel.calls)
        report = await sync.run_cycle(db, hub, notifier)
        assert "999999" in _asked(panel, mark), f"cycle {cycle}: the order must be asked again"
        assert report.panel("main").misses == 1
        assert (await orders.get(db.conn, lost_id)).miss_count == cycle
        flagged = notifier.alerts_of(StatusMisses)
        assert len(flagged) == (0 if cycle < MISS_ALERT else 1), f"cycle {cycle}"
    (alert,) = notifier.alerts_of(StatusMisses)
    assert alert.panel == "main" and [(o.order_id, o.panel_order_id, o.misses) for o in alert.orders] == [
        (lost_id, "999999", MISS_ALERT)]
    assert "Incorrect order ID" in alert.orders[0].message
    assert (await orders.get(db.conn, fine_id)).miss_count == 0
    assert (await orders.get(db.conn, lost_id)).status == "pending"  # never silently dropped


async def test_a_good_answer_ends_a_miss_streak(db, panel, hub, sync, notifier):
    order_id, panel_id = await track_order(db, panel)
    panel.script("status_multi", f'{{"{panel_id}": {{"error": "Incorrect order ID"}}}}', times=MISS_ALERT - 1)
    for _ in range(MISS_ALERT - 1):
        await sync.run_cycle(db, hub, notifier)
    assert (await orders.get(db.conn, order_id)).miss_count == MISS_ALERT - 1
    await sync.run_cycle(db, hub, notifier)  # the panel knows it again
    assert (await orders.get(db.conn, order_id)).miss_count == 0
    panel.script("status_multi", f'{{"{panel_id}": {{"error": "Incorrect order ID"}}}}', times=MISS_ALERT - 1)
    for _ in range(MISS_ALERT - 1):
        await sync.run_cycle(db, hub, notifier)
    assert notifier.alerts_of(StatusMisses) == []  # a new streak starts from zero


async def test_a_cycle_started_while_one_runs_is_skipped(db, hub, panel, sync, notifier):
    await track_order(db, panel)
    panel.hang_seconds = 0.5
    panel.inject("status_multi", "hang", before=True)
    running = asyncio.create_task(sync.run_cycle(db, hub, notifier))
    await until(lambda: panel.requests["status_multi"] > 0)
    assert sync.running
    skipped = await sync.run_cycle(db, hub, notifier)
    assert skipped.skipped and skipped.panels == []
    done = await running
    assert not done.skipped and panel.requests["status_multi"] == 1
    assert not sync.running


async def test_unknown_orders_are_listed_by_the_cycle(db, panel, hub, sync, notifier):
    order_id, _ = await track_order(db, panel)
    await db.conn.execute("UPDATE orders SET status = 'unknown', panel_order_id = NULL WHERE id = ?", (order_id,))
    await sync.run_cycle(db, hub, notifier)
    await sync.run_cycle(db, hub, notifier)
    (listed,) = notifier.alerts_of(UnknownOrders)  # posted when it changed, not every cycle
    assert [o.order_id for o in listed.orders] == [order_id] and listed.total == 1 and not listed.reminder


async def test_a_repeated_answer_is_recognised_without_applying_it(db, panel, second, hub, sync, notifier):
    for fake, name in ((panel, "main"), (second, "second")):  # two dialects: numbers as text and as floats
        await track_many(db, fake, name, 3)
        fake.set_status(next(iter(fake.orders)), "In progress", start_count=7, remains=40)
    await sync.run_cycle(db, hub, notifier)
    for name in ("main", "second"):
        rows = await sync_orders.open_orders(db.conn, name)
        answers = await hub.get(name).statuses([r.panel_order_id for r in rows])
        assert [already_stored(r, answers[r.panel_order_id]) for r in rows] == [True, True, True]
    panel.set_status(next(iter(panel.orders)), "In progress", start_count=7, remains=39)
    rows = await sync_orders.open_orders(db.conn, "main")
    answers = await hub.get("main").statuses([r.panel_order_id for r in rows])
    assert [already_stored(r, answers[r.panel_order_id]) for r in rows] == [False, True, True]
