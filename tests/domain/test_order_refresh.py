"""A customer's Refresh against the fake panel: owner only, panel asked only when it can tell, refund once."""

from __future__ import annotations

from decimal import Decimal

from bot.domain import ordering, wallet
from bot.domain.order_refresh import RefreshOutcome, RefreshResult, refresh_order
from bot.panel.models import OrderRequest
from bot.storage import ledger, orders
from bot.storage.ledger import LedgerKind, order_reference
from tests.domain.conftest import placed_order

FOLLOWERS = OrderRequest(service="1", link="https://instagram.com/p/abc", quantity=1000)


async def _placed(db, hub, user_id=1) -> int:
    await wallet.credit(db, user_id, 10_000_000)
    result = await ordering.place_order(db, hub, user_id=user_id, panel="main", request=FOLLOWERS,
                                        client_token="t", default_markup=Decimal(0))
    return result.order_id


async def _refunds(db, order_id):
    return [e.amount for e in await ledger.by_reference(db.conn, order_reference(order_id))
            if e.kind is LedgerKind.REFUND]


async def test_partial_refunds_once_however_often_refreshed_and_is_marked_as_told(shop, hub, panel):
    order_id = await _placed(shop, hub)
    order = await orders.get(shop.conn, order_id)
    panel.set_status(order.panel_order_id, "Partial", remains=250)

    first = await refresh_order(shop, hub, 1, order_id)
    assert first.outcome is RefreshOutcome.UPDATED and first.refund == order.price // 4
    assert await refresh_order(shop, hub, 1, order_id) == RefreshResult(RefreshOutcome.NO_NEWS)
    assert await _refunds(shop, order_id) == [order.price // 4]
    after = await orders.get(shop.conn, order_id)
    assert after.status == "partial" and after.notified_status == "partial"  # the sync will not push it again


async def test_progress_without_refund_is_news(shop, hub, panel):
    order_id = await _placed(shop, hub)
    panel.set_status((await orders.get(shop.conn, order_id)).panel_order_id, "In progress", remains=400)
    assert await refresh_order(shop, hub, 1, order_id) == RefreshResult(RefreshOutcome.UPDATED, refund=0)
    assert (await orders.get(shop.conn, order_id)).notified_status == "in_progress"
    assert await refresh_order(shop, hub, 1, order_id) == RefreshResult(RefreshOutcome.NO_NEWS)


async def test_someone_elses_order_is_not_found_and_the_panel_is_not_asked(shop, hub, panel):
    order_id = await _placed(shop, hub, user_id=1)
    asked = panel.requests["status"]
    assert await refresh_order(shop, hub, 2, order_id) == RefreshResult(RefreshOutcome.NOT_FOUND)
    assert await refresh_order(shop, hub, 1, 999_999) == RefreshResult(RefreshOutcome.NOT_FOUND)
    assert panel.requests["status"] == asked


async def test_a_final_order_has_no_news_without_asking(shop, hub, panel):
    order_id = await placed_order(shop, status="completed")
    asked = panel.requests["status"]
    assert await refresh_order(shop, hub, 1, order_id) == RefreshResult(RefreshOutcome.NO_NEWS)
    assert panel.requests["status"] == asked


async def test_a_silent_panel_or_one_that_left_the_config_fails_without_changes(shop, hub, panel):
    order_id = await _placed(shop, hub)
    panel.set_status((await orders.get(shop.conn, order_id)).panel_order_id, "Canceled")
    panel.inject("status", "html502", times=5)
    assert await refresh_order(shop, hub, 1, order_id) == RefreshResult(RefreshOutcome.FAILED)
    assert (await orders.get(shop.conn, order_id)).status == "pending" and await _refunds(shop, order_id) == []

    gone = await placed_order(shop, panel="gone")
    assert await refresh_order(shop, hub, 1, gone) == RefreshResult(RefreshOutcome.FAILED)
