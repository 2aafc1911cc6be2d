"""One bad entry never blocks the others: each order's apply is a savepoint inside the batch's one
transaction; an entry that fails counts as a miss for that order alone and reaches the admins at
the threshold, while its neighbours' refunds land."""

from __future__ import annotations

from bot.domain import order_requests, wallet
from bot.domain.sync_events import StatusMisses
from bot.storage import ledger, orders
from bot.storage.ledger import LedgerKind, order_reference
from tests.sync.conftest import MISS_ALERT
from tests.sync.support import track_order


async def _refunds(db, order_id: int) -> list[int]:
    return [e.amount for e in await ledger.by_reference(db.conn, order_reference(order_id))
            if e.kind is LedgerKind.REFUND]


async def _break_status_writes(db, order_id: int, table: str = "orders", name: str | None = None) -> None:
    """A real storage failure on one row: its status can no longer be written (a trigger, either database)."""
    name = name or f"break_{order_id}"
    if db.is_postgres:
        await db.conn.raw.execute(
            f"CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS "
            "$$ BEGIN RAISE EXCEPTION 'disk says no'; END $$; "
            f"CREATE TRIGGER {name} BEFORE UPDATE OF status ON {table} FOR EACH ROW "
            f"WHEN (NEW.id = {order_id}) EXECUTE FUNCTION {name}()")
        return
    await db.conn.execute(
        f"CREATE TRIGGER {name} BEFORE UPDATE OF status ON {table} "
        f"WHEN NEW.id = {order_id} BEGIN SELECT RAISE(ABORT, 'disk says no'); END")


async def _mend(db, name: str, table: str = "orders") -> None:
    await db.conn.execute(f"DROP TRIGGER {name} ON {table}" if db.is_postgres else f"DROP TRIGGER {name}")


async def test_absurd_numbers_in_one_entry_do_not_stop_a_canceled_neighbour(db, panel, hub, sync, notifier):
    odd_id, odd_panel = await track_order(db, panel, user_id=1, price=300_000)
    canceled_id, canceled_panel = await track_order(db, panel, user_id=2, price=700_000)
    panel.set_status(odd_panel, "In progress", remains="1e30", start_count="18446744073709551615")
    panel.set_status(canceled_panel, "Canceled")
    report = await sync.run_cycle(db, hub, notifier)
    assert report.panel("main").error is None
    odd = await orders.get(db.conn, odd_id)
    assert (odd.status, odd.remains, odd.start_count, odd.refunded) == ("in_progress", None, None, 0)
    assert odd.last_answer["remains"] == "1e30"  # kept raw for admins
    assert await _refunds(db, canceled_id) == [700_000]
    assert await wallet.balance(db, 2) == 700_000


async def test_a_failing_entry_is_rolled_back_alone_and_counted_as_its_miss(db, panel, hub, sync, notifier):
    broken_id, broken_panel = await track_order(db, panel, user_id=1, price=300_000)
    canceled_id, canceled_panel = await track_order(db, panel, user_id=2, price=700_000)
    await _break_status_writes(db, broken_id)
    panel.set_status(broken_panel, "Canceled")  # its refund row is written, then the status write fails
    panel.set_status(canceled_panel, "Canceled")
    report = await sync.run_cycle(db, hub, notifier)
    assert report.panel("main").error is None and report.panel("main").misses == 1
    assert await _refunds(db, broken_id) == []  # the savepoint took its refund back with it
    assert await wallet.balance(db, 1) == 0
    broken = await orders.get(db.conn, broken_id)
    assert (broken.status, broken.refunded, broken.miss_count) == ("pending", 0, 1)
    assert await _refunds(db, canceled_id) == [700_000]
    assert [(u.order_id, u.kind) for u in notifier.orders] == [(canceled_id, "canceled")]
    assert await wallet.check_balances(db) == []
    for _ in range(MISS_ALERT - 1):
        await sync.run_cycle(db, hub, notifier)
    (alert,) = notifier.alerts_of(StatusMisses)
    assert [(o.order_id, o.misses) for o in alert.orders] == [(broken_id, MISS_ALERT)]
    await _mend(db, f"break_{broken_id}")
    await sync.run_cycle(db, hub, notifier)
    assert await _refunds(db, broken_id) == [300_000]
    assert (await orders.get(db.conn, broken_id)).miss_count == 0


async def test_a_refill_answer_that_fails_to_apply_does_not_block_the_others(db, panel, hub, sync, notifier):
    pairs = []
    for user_id in (7, 8):
        order_id, panel_id = await track_order(db, panel, user_id=user_id, fake_status="Completed")
        panel.complete(panel_id)
        pairs.append((order_id, panel_id))
    await sync.run_cycle(db, hub, notifier)
    for (order_id, _), user_id in zip(pairs, (7, 8), strict=True):
        assert isinstance(await order_requests.request_refill(db, hub, user_id, order_id), order_requests.Accepted)
    (broken_refill,) = await db.fetchall("SELECT id FROM refills WHERE order_id = ?", (pairs[0][0],))
    await _break_status_writes(db, broken_refill["id"], "refills", "break_refill")
    for _, panel_id in pairs:
        (refill_id,) = panel.orders[panel_id].refills
        panel.set_refill_status(refill_id, "Completed")
    notifier.clear()
    report = await sync.run_cycle(db, hub, notifier)
    assert report.panel("main").error is None and report.panel("main").misses == 1
    assert [u.order_id for u in notifier.refills] == [pairs[1][0]]
    await _mend(db, "break_refill", "refills")
    await sync.run_cycle(db, hub, notifier)
    assert sorted(u.order_id for u in notifier.refills) == sorted(o for o, _ in pairs)
