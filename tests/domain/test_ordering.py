"""Placing orders against the fake panel over real HTTP: charged once, placed at most once."""

from __future__ import annotations

import asyncio
import socket
from decimal import Decimal

from bot.domain import ordering, reconcile, wallet
from bot.domain.order_results import Banned, InsufficientFunds, Placed, Refused, Unknown
from bot.panel.errors import RefusalKind
from bot.panel.models import OrderRequest, OrderType
from bot.storage import ledger, order_writes, orders, users
from bot.storage.db import Database
from bot.storage.ledger import LedgerKind, order_reference
from tests.conftest import hub_for

FOLLOWERS = OrderRequest(service="1", link="https://instagram.com/p/abc", quantity=1000)
PRICE = 990_000  # 0.90 per 1000 × 1000, +10 % markup
MARKUP = Decimal(10)


async def _place(db, hub, token: str = "t1", request: OrderRequest = FOLLOWERS, user_id: int = 1):
    return await ordering.place_order(db, hub, user_id=user_id, panel="main", request=request,
                                      client_token=token, default_markup=MARKUP)


async def _ledger_kinds(db, order_id):
    return [(e.kind, e.amount) for e in await ledger.by_reference(db.conn, order_reference(order_id))]


async def test_placed_order_is_charged_exactly_and_sent_once(shop, hub, panel):
    await wallet.credit(shop, 1, 5_000_000)
    result = await _place(shop, hub)
    assert isinstance(result, Placed)
    assert (result.price, result.balance_after) == (PRICE, 5_000_000 - PRICE)
    sent = panel.orders[result.panel_order_id]
    assert (sent.service, sent.link, sent.quantity) == ("1", FOLLOWERS.link, 1000)
    order = await orders.get(shop.conn, result.order_id)
    assert (order.status, order.panel_order_id, order.price, order.quantity) == (
        "pending", result.panel_order_id, PRICE, 1000)
    assert (order.rate, order.rate_per, order.markup, order.can_refill) == (Decimal("0.90"), 1000, MARKUP, True)
    assert await _ledger_kinds(shop, result.order_id) == [(LedgerKind.ORDER_CHARGE, -PRICE)]
    assert panel.requests["add"] == 1


async def test_custom_comments_and_drip_feed_send_their_fields(shop, hub, panel):
    await wallet.credit(shop, 1, 50_000_000)
    comments = OrderRequest(service="3", type=OrderType.CUSTOM_COMMENTS, link="https://instagram.com/p/x",
                            comments=tuple(f"nice {i}" for i in range(10)))
    placed = await _place(shop, hub, "c", comments)
    assert placed.price == 88_000  # 8 per 1000 × 10 comments, +10 %
    assert panel.orders[placed.panel_order_id].params["comments"].split("\n")[0] == "nice 0"
    drip = FOLLOWERS.model_copy(update={"quantity": 100, "runs": 3, "interval": 15})
    placed = await _place(shop, hub, "d", drip)
    assert placed.price == 297_000  # 300 units
    assert panel.orders[placed.panel_order_id].params["runs"] == "3"
    assert (await orders.get(shop.conn, placed.order_id)).extras == {"runs": 3, "interval": 15}


async def test_a_refused_order_is_refunded_in_full_with_the_panels_words(shop, hub, panel):
    await wallet.credit(shop, 1, 1_000_000)
    panel.inject("add", "error", message="Not enough funds on balance")
    result = await _place(shop, hub)
    assert isinstance(result, Refused)
    assert (result.kind, result.message, result.unavailable) == (
        RefusalKind.PANEL_FUNDS, "Not enough funds on balance", False)
    order = await orders.get(shop.conn, result.order_id)
    assert (order.status, order.refunded, order.fail_reason) == ("failed", PRICE, "Not enough funds on balance")
    assert await _ledger_kinds(shop, order.id) == [(LedgerKind.ORDER_CHARGE, -PRICE), (LedgerKind.REFUND, PRICE)]
    assert await wallet.balance(shop, 1) == 1_000_000


async def test_a_timed_out_add_ends_unknown_with_the_charge_held_and_one_add(shop, panel):
    await wallet.credit(shop, 1, 1_000_000)
    panel.inject("add", "hang")  # the panel places the order, then its answer never comes
    async with hub_for(panel, timeout=0.3) as slow_hub:
        result = await _place(shop, slow_hub)
    assert isinstance(result, Unknown)
    assert panel.requests["add"] == 1
    order = await orders.get(shop.conn, result.order_id)
    assert (order.status, order.refunded, order.panel_order_id) == ("unknown", 0, None)
    assert await wallet.balance(shop, 1) == 1_000_000 - PRICE
    # the admin finds it on the panel and links it: tracked from now on, still charged once
    (panel_id,) = panel.orders
    resolved = await reconcile.resolve_unknown(shop, result.order_id, panel_id)
    assert (resolved.status, resolved.panel_order_id) == ("pending", panel_id)
    assert await wallet.balance(shop, 1) == 1_000_000 - PRICE


async def test_a_502_after_sending_is_unknown_not_retried(shop, hub, panel):
    await wallet.credit(shop, 1, 1_000_000)
    panel.inject("add", "html502")
    assert isinstance(await _place(shop, hub), Unknown)
    assert panel.requests["add"] == 1


async def test_an_unreachable_panel_refunds_and_says_try_later(shop):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # closed again before use: nothing listens there

    class Nowhere:
        url, key = f"http://127.0.0.1:{port}/api/v2", "key-nowhere"

    await wallet.credit(shop, 1, 1_000_000)
    async with hub_for(Nowhere) as dead_hub:
        result = await _place(shop, dead_hub)
    assert isinstance(result, Refused) and result.unavailable
    order = await orders.get(shop.conn, result.order_id)
    assert (order.status, order.fail_kind, order.refunded) == ("failed", "unavailable", PRICE)
    assert await wallet.balance(shop, 1) == 1_000_000


async def test_two_concurrent_orders_never_overdraw(shop, hub, panel):
    await wallet.credit(shop, 1, PRICE + 10)  # covers one order, not two
    results = await asyncio.gather(_place(shop, hub, "a"), _place(shop, hub, "b"))
    assert sorted(type(r).__name__ for r in results) == ["InsufficientFunds", "Placed"]
    poor = next(r for r in results if isinstance(r, InsufficientFunds))
    assert (poor.price, poor.balance) == (PRICE, 10)
    assert await wallet.balance(shop, 1) == 10
    assert panel.requests["add"] == 1


async def test_the_same_client_token_places_once(shop, hub, panel):
    await wallet.credit(shop, 1, 5_000_000)
    first, second = await asyncio.gather(_place(shop, hub, "tap"), _place(shop, hub, "tap"))
    third = await _place(shop, hub, "tap")
    placed = [r for r in (first, second) if isinstance(r, Placed) and not r.repeated]
    assert len(placed) == 1
    assert isinstance(third, Placed) and third.repeated and third.order_id == placed[0].order_id
    assert panel.requests["add"] == 1
    assert await wallet.balance(shop, 1) == 5_000_000 - PRICE


async def test_a_refused_token_repeats_its_refusal(shop, hub, panel):
    await wallet.credit(shop, 1, 1_000_000)
    panel.inject("add", "error", message="Incorrect link")
    first = await _place(shop, hub, "x")
    again = await _place(shop, hub, "x")
    assert isinstance(again, Refused) and again.repeated and again.order_id == first.order_id
    assert (again.kind, again.message) == (first.kind, first.message)
    assert panel.requests["add"] == 1


async def test_banned_poor_invalid_or_hidden_orders_record_nothing(shop, hub, panel):
    assert await _place(shop, hub, "p") == InsufficientFunds(PRICE, 0)
    await wallet.credit(shop, 1, 5_000_000)
    too_few = await _place(shop, hub, "q", FOLLOWERS.model_copy(update={"quantity": 10}))
    assert isinstance(too_few, Refused) and too_few.kind is RefusalKind.QUANTITY and too_few.order_id is None
    await shop.conn.execute("UPDATE services SET hidden = 1 WHERE panel = 'main' AND service_id = '1'")
    gone = await _place(shop, hub, "r")
    assert isinstance(gone, Refused) and gone.kind is RefusalKind.SERVICE_GONE
    await users.set_banned(shop.conn, 1, True)
    await shop.conn.execute("UPDATE services SET hidden = 0")
    assert await _place(shop, hub, "s") == Banned()
    assert (await orders.for_user(shop.conn, 1)).total == 0
    assert panel.requests["add"] == 0 and await wallet.balance(shop, 1) == 5_000_000


async def test_a_restart_loses_nothing_and_interrupted_orders_become_unknown(shop, hub, panel, db_target):
    await wallet.credit(shop, 1, 5_000_000)
    placed = await _place(shop, hub, "a")
    panel.inject("add", "error", message="Incorrect link")
    refused = await _place(shop, hub, "b")
    async with shop.transaction() as conn:  # what a crash between the charge and the panel's answer leaves
        crashed = await order_writes.insert_submitting(conn, order_writes.NewOrder(
            user_id=1, panel="main", service_id="1", service_name="S", type=OrderType.DEFAULT, quantity=1000,
            price=PRICE, rate=Decimal("0.9"), rate_per=1000, markup=MARKUP, client_token="c"))
        await ledger.add(conn, 1, -PRICE, LedgerKind.ORDER_CHARGE, reference=order_reference(crashed))
    before = [await orders.get(shop.conn, i) for i in (placed.order_id, refused.order_id)]
    history = await wallet.history(shop, 1)
    await shop.close()

    reopened = await Database.open(db_target)
    try:
        assert await ordering.recover_interrupted(reopened) == [crashed]
        assert await ordering.recover_interrupted(reopened) == []
        assert [await orders.get(reopened.conn, i) for i in (placed.order_id, refused.order_id)] == before
        assert await wallet.history(reopened, 1) == history
        assert (await orders.get(reopened.conn, crashed)).status == "unknown"
        assert await wallet.balance(reopened, 1) == 5_000_000 - 2 * PRICE
        again = await _place(reopened, hub, "c")  # the chat retries the interrupted token: never re-placed
        assert isinstance(again, Unknown) and again.order_id == crashed
        assert panel.requests["add"] == 2
    finally:
        await reopened.close()


async def test_an_error_next_to_an_order_id_holds_the_money_instead_of_refunding(shop, hub, panel):
    """`{"order": 23506, "error": "…"}`: the panel may run the order; refunding it would pay for it twice."""
    await wallet.credit(shop, 1, 1_000_000)
    panel.script("add", '{"order": 23506, "error": "Not enough funds on balance"}')
    result = await _place(shop, hub)
    assert isinstance(result, Unknown)
    order = await orders.get(shop.conn, result.order_id)
    assert (order.status, order.refunded) == ("unknown", 0)
    assert await _ledger_kinds(shop, order.id) == [(LedgerKind.ORDER_CHARGE, -PRICE)]


async def test_an_order_id_of_zero_is_no_id(shop, hub, panel):
    await wallet.credit(shop, 1, 1_000_000)
    panel.script("add", '{"order": 0}')
    result = await _place(shop, hub)
    assert isinstance(result, Unknown)
    assert (await orders.get(shop.conn, result.order_id)).panel_order_id is None
