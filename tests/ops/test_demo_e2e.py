"""The demo panel (PANEL_URL=demo) under the real bot: the catalogue of every order type is there at once,
orders move through the statuses to Completed, a Partial refunds the undelivered part, a refill completes,
and the admins see the demo banner."""

from __future__ import annotations

import asyncio
import itertools
from decimal import Decimal

import pytest

from bot.domain import lookups, ordering, wallet
from bot.money import to_minor
from bot.ops import catalogue_load
from bot.panel.models import OrderRequest
from bot.telegram.sync_job import sync_service
from tests.e2e.harness import ADMIN_CHAT_ID, BotEnv

ADMIN = 9100
CUSTOMER = 9200
STEP = 0.05  # the demo's pace in these tests: final after 6 steps
_tokens = itertools.count(1)


@pytest.fixture
async def demo(tmp_path):
    env = BotEnv(tmp_path, admin_ids={ADMIN}, settings={
        "panels": {"panels": [], "panel_url": "demo", "panel_key": None, "demo_step_seconds": STEP}})
    await env.start()
    await asyncio.wait_for(catalogue_load.loader(env.app).done.wait(), 20)
    yield env
    await env.stop()


async def place(env: BotEnv, quantity: int = 300, service: str = "101"):
    request = OrderRequest(service=service, link="https://instagram.com/demo_shop", quantity=quantity)
    return await ordering.place_order(env.db, env.runtime.panels, user_id=CUSTOMER, panel="demo", request=request,
                                      client_token=f"demo-{next(_tokens)}", default_markup=Decimal(0))


async def sync_until_final(env: BotEnv, order_ids: list[int], timeout: float = 20.0) -> None:  # noqa: ASYNC109
    service = sync_service(env.app)
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        await service.status_cycle(env.runtime)
        found = [await lookups.order(env.db, oid) for oid in order_ids]
        if all(o is not None and o.is_final for o in found):
            return
        assert asyncio.get_running_loop().time() < deadline, [o.status for o in found if o]
        await asyncio.sleep(STEP)


async def test_the_demo_shop_sells_every_order_type_and_its_orders_complete_or_refund(demo: BotEnv) -> None:
    types = await demo.db.fetchall("SELECT DISTINCT type FROM services WHERE panel = 'demo'")
    assert len(types) == 17  # every type but UNSUPPORTED
    await wallet.credit(demo.db, CUSTOMER, to_minor(Decimal("50")), note="demo funds")
    placed = [await place(demo) for _ in range(3)]  # the demo's 3rd order ends Partial
    assert all(type(p).__name__ == "Placed" for p in placed), placed
    await sync_until_final(demo, [p.order_id for p in placed])
    first, second, third = [await lookups.order(demo.db, p.order_id) for p in placed]
    assert (first.status, second.status, third.status) == ("completed", "completed", "partial")
    assert third.remains == 100
    refund = third.price * 100 // 300
    spent = sum(p.price for p in placed) - refund
    assert abs(await wallet.balance(demo.db, CUSTOMER) - (to_minor(Decimal("50")) - spent)) <= 1
    # and the customer hears of both, in the chat
    done = await demo.tg.wait_for("sendMessage", lambda c: f"#{first.id}" in (c.text or "")
                                  and "is completed" in c.text, chat_id=CUSTOMER, since=0, timeout=10)
    partly = await demo.tg.wait_for("sendMessage", lambda c: f"#{third.id}" in (c.text or "")
                                    and "only partly" in c.text, chat_id=CUSTOMER, since=0, timeout=10)
    assert done.ok and "was returned to your balance" in partly.text


async def test_a_refill_on_the_demo_panel_completes(demo: BotEnv) -> None:
    client = demo.runtime.panels.get("demo")
    panel_id = await client.add(OrderRequest(service="101", link="https://instagram.com/x", quantity=100))
    await asyncio.sleep(STEP * 7)
    refill_id = await client.refill(panel_id)
    await asyncio.sleep(STEP * 3)
    assert (await client.refill_status(refill_id)).status.value == "completed"


async def test_the_admins_see_the_demo_banner(demo: BotEnv) -> None:
    post = await demo.tg.wait_for("sendMessage", lambda c: "Demo mode" in (c.text or ""), chat_id=ADMIN_CHAT_ID,
                                  since=0, timeout=10)
    assert "nothing is delivered" in post.text
    demo.tg.send_group_text(ADMIN, "/stats")
    stats = await demo.tg.wait_for("sendMessage", lambda c: "Customers" in (c.text or "") or "📊" in (c.text or ""),
                                   chat_id=ADMIN_CHAT_ID, timeout=10)
    assert "Demo mode" in stats.text


async def test_a_customer_orders_on_the_demo_shop_through_the_chat(demo: BotEnv) -> None:
    from tests.chat_order.conftest import Customer
    from tests.chat_order.test_flow_orders_e2e import open_service

    customer = Customer(demo, CUSTOMER)
    await customer.fund("5")
    card = await open_service(customer, "Instagram", "Instagram Followers", "Cheap")
    assert "Instagram Followers [Cheap, no refill]" in card.plain
    await customer.press("Order this")
    await customer.send("https://instagram.com/demo_shop")
    confirm = await customer.send("1000")
    assert "Check your order" in confirm.plain and "0.45 USD" in confirm.plain
    await customer.press("Confirm")
    await customer.wait_screen("is placed")
    [order] = await demo.db.fetchall("SELECT id FROM orders WHERE user_id = ?", (CUSTOMER,))
    await sync_until_final(demo, [order[0]])
    assert (await lookups.order(demo.db, order[0])).status == "completed"
