"""Refill and cancel requests against the fake panel: rules, stored answers, refill statuses."""

from __future__ import annotations

from decimal import Decimal

from bot.domain import order_requests, ordering, statuses, wallet
from bot.domain.order_requests import Accepted, NotAllowed, Refused, Unavailable
from bot.panel.models import OrderRequest, OrderStatus, RefillState, RefillStatus
from bot.storage import orders, refills
from tests.conftest import hub_for

FOLLOWERS = OrderRequest(service="1", link="https://instagram.com/p/abc", quantity=1000)  # refill + cancel
COMMENTS = OrderRequest(service="3", link="https://instagram.com/p/abc", comments=("a",) * 10)  # cancel only


async def _placed(db, hub, token="t", request=FOLLOWERS, user_id=1) -> int:
    await wallet.credit(db, user_id, 10_000_000)
    result = await ordering.place_order(db, hub, user_id=user_id, panel="main", request=request,
                                        client_token=token, default_markup=Decimal(0))
    return result.order_id


async def _sync(db, hub, order_id):
    """What the status sync does for one order."""
    order = await orders.get(db.conn, order_id)
    state = await hub.get("main").status(order.panel_order_id)
    return await statuses.apply_status(db, order_id, state)


async def test_refill_of_a_completed_order_is_requested_once_and_tracked(shop, hub, panel):
    order_id = await _placed(shop, hub)
    assert await order_requests.request_refill(shop, hub, 1, order_id) == NotAllowed("wrong_status")
    panel.complete((await orders.get(shop.conn, order_id)).panel_order_id)
    assert (await _sync(shop, hub, order_id)).new_status == "completed"

    result = await order_requests.request_refill(shop, hub, 1, order_id)
    assert isinstance(result, Accepted) and result.confirmed
    assert await order_requests.request_refill(shop, hub, 1, order_id) == NotAllowed("already_requested")
    assert panel.requests["refill"] == 1
    (refill,) = await refills.for_order(shop.conn, order_id)
    assert refill.status == "pending" and refill.panel_refill_id in panel.refills

    done = RefillState(refill_id=refill.panel_refill_id, status=RefillStatus.COMPLETED, status_raw="Completed")
    change = await order_requests.apply_refill_status(shop, refill.id, done)
    assert (change.old_status, change.new_status) == ("pending", "completed")
    assert await order_requests.apply_refill_status(shop, refill.id, done) is None
    late = RefillState(refill_id=refill.panel_refill_id, status=RefillStatus.IN_PROGRESS, status_raw="In progress")
    assert await order_requests.apply_refill_status(shop, refill.id, late) is None


async def test_only_the_owner_and_only_services_that_allow_it(shop, hub, panel):
    order_id = await _placed(shop, hub)
    assert await order_requests.request_refill(shop, hub, 2, order_id) == NotAllowed("not_found")
    assert await order_requests.request_cancel(shop, hub, 2, order_id) == NotAllowed("not_found")
    comments_id = await _placed(shop, hub, "c", COMMENTS)
    panel.complete((await orders.get(shop.conn, comments_id)).panel_order_id)
    await _sync(shop, hub, comments_id)
    assert await order_requests.request_refill(shop, hub, 1, comments_id) == NotAllowed("not_supported")
    assert panel.requests["refill"] == 0 and panel.requests["cancel"] + panel.requests["cancel_multi"] == 0


async def test_a_refused_refill_keeps_the_panels_words_and_allows_a_new_request(shop, hub, panel):
    order_id = await _placed(shop, hub)
    panel.complete((await orders.get(shop.conn, order_id)).panel_order_id)
    await _sync(shop, hub, order_id)
    panel.inject("refill", "error", message="Order not eligible for refill.")
    result = await order_requests.request_refill(shop, hub, 1, order_id)
    assert isinstance(result, Refused) and result.message == "Order not eligible for refill."
    (refill,) = await refills.for_order(shop.conn, order_id)
    assert (refill.status, refill.message) == ("refused", "Order not eligible for refill.")
    assert isinstance(await order_requests.request_refill(shop, hub, 1, order_id), Accepted)


async def test_cancel_is_requested_then_the_canceled_status_refunds(shop, hub, panel):
    order_id = await _placed(shop, hub)
    price = (await orders.get(shop.conn, order_id)).price
    assert await order_requests.request_cancel(shop, hub, 1, order_id) == Accepted(order_id)
    assert await order_requests.request_cancel(shop, hub, 1, order_id) == NotAllowed("already_requested")
    order = await orders.get(shop.conn, order_id)
    assert order.cancel_state == "requested"
    assert panel.orders[order.panel_order_id].status.lower() in ("canceled", "cancelled")
    change = await _sync(shop, hub, order_id)
    assert (change.new_status, change.refund) == (OrderStatus.CANCELED, price)
    assert await wallet.balance(shop, 1) == 10_000_000
    assert await order_requests.request_cancel(shop, hub, 1, order_id) == NotAllowed("wrong_status")


async def test_unclear_or_unreachable_cancel_is_stored_as_such(shop, hub, panel):
    order_id = await _placed(shop, hub)
    panel.inject("cancel", "html502")
    assert await order_requests.request_cancel(shop, hub, 1, order_id) == Accepted(order_id, confirmed=False)
    assert (await orders.get(shop.conn, order_id)).cancel_state == "outcome_unknown"
    await panel.stop()
    async with hub_for(panel) as dead_hub:
        assert await order_requests.request_cancel(shop, dead_hub, 1, order_id) == Unavailable()
    assert (await orders.get(shop.conn, order_id)).cancel_state == "not_sent"
