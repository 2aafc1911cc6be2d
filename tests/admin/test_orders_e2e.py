"""/order, /refund, /unknown and /resolve: one order in full, refunds at most up to the price, reconciliation."""

from __future__ import annotations

from bot.domain import lookups, statuses, wallet
from bot.domain.order_results import Placed, Unknown
from bot.panel.hub import PanelHub
from tests.admin.conftest import ADMIN, CUSTOMER
from tests.admin.helpers import Ops, customer_starts, fund, place


async def placed(env, quantity: int = 1000) -> Placed:
    result = await place(env, CUSTOMER, quantity=quantity)
    assert isinstance(result, Placed), result
    return result


async def unknown_order(env) -> Unknown:
    """place_order while the panel takes the order but its answer hangs past our timeout."""
    env.panel.hang_seconds = 1.0
    env.panel.inject("add", "hang")
    configs = [c.model_copy(update={"timeout_seconds": 0.3}) for c in env.settings.panels.panels]
    async with PanelHub(configs, retry_delays=(0.01,)) as slow:
        result = await place(env, CUSTOMER, panels=slow)
    assert isinstance(result, Unknown), result
    return result


async def test_order_shows_the_panels_last_raw_answer(shop):
    await customer_starts(shop, CUSTOMER)
    await fund(shop, CUSTOMER, "10")
    order = await placed(shop)
    shop.panel.set_status(order.panel_order_id, "In progress", start_count=120, remains=800)
    state = await shop.runtime.panels.get("main").status(order.panel_order_id)
    await statuses.apply_status(shop.db, order.order_id, state)
    reply = await Ops(shop, ADMIN).say(f"/order {order.order_id}")
    text = reply.plain
    assert f"Order #{order.order_id} · in_progress" in text
    assert "Service: main:1 Instagram Followers <Real> & Active (default)" in text
    assert f"Panel order: {order.panel_order_id}" in text and "Start count: 120 · remains: 800" in text
    assert "order_charge · -0.90 USD" in text
    assert "The panel's last answer:" in text and '"start_count": ' in text and "800" in text
    assert "<pre>" in reply.text  # raw JSON in a code block, escaped


async def test_a_full_refund_is_given_once(shop):
    await customer_starts(shop, CUSTOMER)
    await fund(shop, CUSTOMER, "10")
    order = await placed(shop)  # 0.90 USD
    ops = Ops(shop, ADMIN)
    reply = await ops.say(f"/refund {order.order_id}")
    assert f"Refunded 0.90 USD of order #{order.order_id} (0.90 USD of 0.90 USD refunded in total)" in reply.plain
    assert "The customer was told." in reply.plain
    notice = await shop.tg.wait_for("sendMessage", chat_id=CUSTOMER)
    assert notice.message.plain == f"↩️ 0.90 USD for order #{order.order_id} was returned to your balance. " \
                                   "Balance: 10.00 USD."
    again = await ops.say(f"/refund {order.order_id}")
    assert again.plain == f"⛔ Order #{order.order_id} is already refunded in full."
    more = await ops.say(f"/refund #{order.order_id} 0.01")
    assert more.plain.startswith("⛔ Order")
    assert await wallet.balance(shop.db, CUSTOMER) == 10_000_000
    rows = await shop.db.fetchall("SELECT amount, actor FROM ledger WHERE kind = 'refund'")
    assert [tuple(r) for r in rows] == [(900_000, ADMIN)]


async def test_a_partial_refund_then_no_more_than_is_left(shop):
    await customer_starts(shop, CUSTOMER)
    await fund(shop, CUSTOMER, "10")
    order = await placed(shop, quantity=2000)  # 1.80 USD
    ops = Ops(shop, ADMIN)
    assert "Refunded 0.50 USD" in (await ops.say(f"/refund {order.order_id} 0.5")).plain
    assert (await ops.say(f"/refund {order.order_id} 1.31")).plain == \
        f"⛔ Only 1.30 USD of order #{order.order_id} is left to refund."
    assert "(1.80 USD of 1.80 USD refunded in total)" in (await ops.say(f"/refund {order.order_id}")).plain
    assert (await lookups.order(shop.db, order.order_id)).refunded == 1_800_000
    assert (await ops.say("/refund 9999")).plain == "⛔ There is no order #9999."
    assert (await ops.say("/refund abc")).plain.startswith("Usage:")


async def test_resolve_links_an_unknown_order_and_tracking_starts(shop):
    await customer_starts(shop, CUSTOMER)
    await fund(shop, CUSTOMER, "10")
    held = await unknown_order(shop)
    (panel_order_id,) = shop.panel.orders  # the panel did take it: the answer was what got lost
    ops = Ops(shop, ADMIN)

    listed = await ops.say("/unknown")
    assert f"#{held.order_id} · main · Instagram Followers" in listed.plain and "/resolve" in listed.plain
    refused = await ops.say(f"/refund {held.order_id}")
    assert refused.plain.startswith(f"⛔ Order #{held.order_id} awaits reconciliation")

    reply = await ops.say(f"/resolve {held.order_id} {panel_order_id}")
    assert reply.plain == f"✅ Order #{held.order_id} is linked to panel order {panel_order_id} " \
                          "and tracked from now on."
    assert [o.id for o in await lookups.open_orders(shop.db, "main")] == [held.order_id]
    # the sync's next answer about it is applied like any other order's
    shop.panel.complete(panel_order_id)
    state = await shop.runtime.panels.get("main").status(panel_order_id)
    change = await statuses.apply_status(shop.db, held.order_id, state)
    assert change is not None and (await lookups.order(shop.db, held.order_id)).status == "completed"
    assert await wallet.balance(shop.db, CUSTOMER) == 9_100_000  # charged once, never refunded
    assert (await ops.say("/unknown")).plain == "No orders await reconciliation. 👍"
    again = await ops.say(f"/resolve {held.order_id} refund")
    assert again.plain == f"⛔ Order #{held.order_id} is completed: that is not possible now."


async def test_resolve_refund_when_the_panel_has_no_such_order(shop):
    await customer_starts(shop, CUSTOMER, lang="ru")
    await fund(shop, CUSTOMER, "10")
    held = await unknown_order(shop)
    ops = Ops(shop, ADMIN)
    reply = await ops.say(f"/resolve {held.order_id} REFUND")
    assert f"Order #{held.order_id} is marked as not placed; 0.90 USD refunded." in reply.plain
    notice = await shop.tg.wait_for("sendMessage", chat_id=CUSTOMER)
    assert "возвращено на ваш баланс" in notice.message.plain
    assert await wallet.balance(shop.db, CUSTOMER) == 10_000_000
    assert (await ops.say(f"/resolve {held.order_id} refund")).plain.endswith("that is not possible now.")
    assert (await ops.say(f"/refund {held.order_id}")).plain.endswith("is already refunded in full.")
    assert await wallet.balance(shop.db, CUSTOMER) == 10_000_000


async def test_a_panel_order_id_links_one_order_only(shop):
    await customer_starts(shop, CUSTOMER)
    await fund(shop, CUSTOMER, "10")
    taken = await placed(shop)
    held = await unknown_order(shop)
    reply = await Ops(shop, ADMIN).say(f"/resolve {held.order_id} {taken.panel_order_id}")
    assert reply.plain == f"⛔ Panel order {taken.panel_order_id} is already linked to another order."
    assert (await lookups.order(shop.db, held.order_id)).status == "unknown"
