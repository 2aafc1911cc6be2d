"""Property test of the sync batch: whichever entries fail to apply, each failing order is rolled back
alone (counted as its miss) and every other order ends exactly as its own answer says, in one cycle."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.domain import wallet
from bot.domain.refunds import share_of_price
from bot.domain.sync import StatusSync
from bot.storage import ledger, orders
from bot.storage.db import Database
from bot.storage.ledger import LedgerKind, order_reference
from tests.conftest import hub_for
from tests.fakes.panel_server import FakePanel
from tests.sync.support import RecordingNotifier, track_order

PRICE, QUANTITY = 1_000_000, 1000
answers = st.one_of(
    st.tuples(st.just("Canceled"), st.none()),
    st.tuples(st.just("Completed"), st.just(0)),
    st.tuples(st.just("In progress"), st.integers(min_value=0, max_value=QUANTITY)),
    st.tuples(st.just("Partial"), st.integers(min_value=0, max_value=QUANTITY)),
    st.tuples(st.just("Partial"), st.sampled_from(["", "1e30", "12.5", "abc", "-3"])),  # held
)


def _expected(word: str, remains) -> tuple[str, int, bool]:
    """(status, refunded, held) an order ends with when its answer applies."""
    if word == "Canceled":
        return "canceled", PRICE, False
    if word == "Completed":
        return "completed", 0, False
    if word == "In progress":
        return "in_progress", 0, False
    if isinstance(remains, int):
        return "partial", share_of_price(PRICE, remains, QUANTITY), False
    return "partial", 0, True


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(entries=st.lists(st.tuples(answers, st.booleans()), min_size=1, max_size=8))
async def test_each_failing_entry_is_isolated_and_the_others_apply(tmp_path_factory, entries):
    db = await Database.open(tmp_path_factory.mktemp("batch") / "bot.db")
    try:
        async with FakePanel(dialect="folgen", key="prop-key-0123456789") as panel, \
                hub_for({"main": panel}) as hub:
            tracked = []
            for i, ((word, remains), broken) in enumerate(entries):
                order_id, panel_id = await track_order(db, panel, user_id=1 + i, price=PRICE, quantity=QUANTITY)
                panel.set_status(panel_id, word, remains=remains)
                if broken:  # a real storage failure on this order's status write, after its refund row
                    await db.conn.execute(
                        f"CREATE TRIGGER break_{order_id} BEFORE UPDATE OF status ON orders "
                        f"WHEN NEW.id = {order_id} BEGIN SELECT RAISE(ABORT, 'no'); END")
                tracked.append((order_id, word, remains, broken))
            sync = StatusSync(concurrency=2, miss_alert=3, poll_seconds=60)
            report = await sync.run_cycle(db, hub, RecordingNotifier())
            assert report.panel("main").error is None
            assert report.panel("main").misses == sum(b for *_, b in tracked)
            for order_id, word, remains, broken in tracked:
                order = await orders.get(db.conn, order_id)
                refunds = sum(e.amount for e in await ledger.by_reference(db.conn, order_reference(order_id))
                              if e.kind is LedgerKind.REFUND)
                if broken:
                    assert (order.status, order.refunded, order.miss_count, refunds) == ("pending", 0, 1, 0)
                else:
                    status, refunded, held = _expected(word, remains)
                    assert (order.status, order.refunded, order.held is not None) == (status, refunded, held)
                    assert refunds == refunded and order.miss_count == 0
                assert await wallet.balance(db, order.user_id) == order.refunded
            assert await wallet.check_balances(db) == []
    finally:
        await db.close()
