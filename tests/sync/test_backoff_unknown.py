"""The backoff schedule of a failing panel, and when the list of unknown orders is posted."""

from __future__ import annotations

from bot.domain import reconcile
from bot.domain.sync_backoff import MAX_SKIPPED_CYCLES, PanelBackoff
from bot.domain.sync_unknown import LISTED, UnknownWatch
from bot.storage import order_writes
from tests.sync.support import track_order


def _pattern(backoff: PanelBackoff, cycles: int, *, fail: bool = True) -> str:
    """'x' = asked (and failed), '.' = sat out."""
    out = []
    for _ in range(cycles):
        if backoff.should_try("p"):
            out.append("x")
            if fail:
                backoff.failed("p")
        else:
            out.append(".")
    return "".join(out)


def test_failures_double_the_cycles_sat_out_up_to_a_cap() -> None:
    backoff = PanelBackoff(poll_seconds=60)
    assert _pattern(backoff, 16) == "xx.x...x.......x"
    assert backoff.failures("p") == 5
    for _ in range(10):
        backoff.failed("p")
    assert backoff.failed("p") == MAX_SKIPPED_CYCLES


def test_success_ends_the_streak_and_retry_after_is_honoured() -> None:
    backoff = PanelBackoff(poll_seconds=10)
    assert _pattern(backoff, 4) == "xx.x"
    backoff.succeeded("p")
    assert backoff.should_try("p") and backoff.failures("p") == 0
    assert backoff.failed("p", retry_after=45) == 4  # 45 s at a 10-s poll: sit out 4 cycles
    assert _pattern(backoff, 5, fail=False) == "....x"
    assert backoff.should_try("other")


async def _unknown(db, panel) -> int:
    order_id, _ = await track_order(db, panel)
    await db.conn.execute("UPDATE orders SET status = 'unknown', panel_order_id = NULL WHERE id = ?", (order_id,))
    return order_id


async def test_list_is_posted_on_change_reminded_hourly_and_cleared_once(db, panel) -> None:
    now = [0.0]
    watch = UnknownWatch(reminder_seconds=3600, clock=lambda: now[0])
    assert await watch.check(db) is None  # nothing to list, nothing ever listed
    first = await _unknown(db, panel)
    listed = await watch.check(db)
    assert [o.order_id for o in listed.orders] == [first] and not listed.reminder
    now[0] = 3599
    assert await watch.check(db) is None
    now[0] = 3600
    reminder = await watch.check(db)
    assert reminder.reminder and [o.order_id for o in reminder.orders] == [first]
    second = await _unknown(db, panel)
    now[0] = 3601
    changed = await watch.check(db)
    assert not changed.reminder and [o.order_id for o in changed.orders] == [first, second]
    await reconcile.refund_unknown(db, first)
    async with db.transaction() as conn:
        await order_writes.set_placed(conn, second, "777", expect="unknown")
    cleared = await watch.check(db)
    assert cleared.orders == () and cleared.total == 0
    now[0] = 99_999
    assert await watch.check(db) is None  # an empty list is never "reminded"


async def test_a_long_list_shows_the_first_ones_and_the_true_total(db, panel) -> None:
    for _ in range(LISTED + 2):
        await _unknown(db, panel)
    listed = await UnknownWatch().check(db)
    assert len(listed.orders) == LISTED and listed.total == LISTED + 2
