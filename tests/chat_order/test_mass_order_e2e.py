"""Mass order (issue #15): a list of lines, a preview with reasons, each valid line placed once."""

from __future__ import annotations

from bot.money import to_minor
from tests.chat_order.conftest import Customer, start_shop
from tests.e2e.harness import ADMIN_CHAT_ID

LIST = """1 | https://instagram.com/p/one | 100
16, https://youtube.com/watch?v=2, 1000
999 | https://instagram.com/p/x | 100
1 https://instagram.com/p/three 20
1 | https://instagram.com/p/four | 200"""


async def _preview(customer):
    prompt = await customer.send("/mass")
    assert "service_id | link | quantity" in prompt.plain
    return await customer.send(LIST)


async def test_five_lines_two_bad_place_three_orders_once_each(shop, customer):
    await customer.fund("10")
    preview = await _preview(customer)
    text = preview.plain
    assert "✅ 1." in text and "✅ 2." in text and "✅ 5." in text
    assert "❌ 3." in text and "no such service" in text
    assert "❌ 4." in text and "outside the service's limits" in text
    # 100 × 0.90/1000 + 1000 × 1.75/1000 + 200 × 0.90/1000 = 0.09 + 1.75 + 0.18
    assert "Total: 2.02 USD" in text and "after the orders: 7.98 USD" in text
    confirm = customer.button_data("Place 3 orders")
    customer.tg.press(customer.user_id, preview, confirm)
    customer.tg.press(customer.user_id, preview, confirm)  # a double tap
    done = await customer.wait_screen("Mass order done")
    assert "3 of 3 placed" in done.plain
    await customer.press_data(confirm, preview)  # and a late third tap
    await customer.tg.settle(quiet=0.2)
    assert len(shop.panel.orders) == 3
    assert await customer.balance() == to_minor("7.98")
    rows = await shop.db.fetchall("SELECT client_token FROM orders ORDER BY id")
    assert [r[0].split(":")[-1] for r in rows] == ["1", "2", "5"]
    told = [c.message.plain for c in shop.tg.calls_of("sendMessage", chat_id=ADMIN_CHAT_ID)]
    assert [t for t in told if "Mass order by customer 42: 3 order(s) placed" in t]  # one line, not three alerts


async def test_service_card_shows_its_id(shop, customer):
    await customer.send("/order")
    await customer.press("YouTube")
    await customer.press("YouTube")
    card = await customer.press("Views_HQ")
    assert "Service id: 16" in card.plain


async def test_not_enough_money_offers_no_confirm(shop, customer):
    await customer.fund("1")
    preview = await _preview(customer)
    assert "Not enough money" in preview.plain
    assert not [label for label, _ in preview.buttons if "Place" in label]


async def test_new_order_has_a_mass_order_button(shop, customer):
    await customer.send("/order")
    prompt = await customer.press("Mass order")
    assert "service_id | link | quantity" in prompt.plain


async def test_admin_can_turn_mass_orders_off(tmp_path):
    env = await start_shop(tmp_path / "off", settings={"storefront": {"mass_order_enabled": "false"}})
    try:
        customer = Customer(env, 42)
        assert "turned off" in (await customer.send("/mass")).plain
        platforms = await customer.send("/order")
        assert not [label for label, _ in platforms.buttons if "Mass order" in label]
    finally:
        await env.stop()


async def test_more_than_100_lines_are_refused_as_a_whole(shop, customer):
    await customer.send("/mass")
    reply = await customer.send("\n".join(["1 | https://instagram.com/p/a | 100"] * 101))
    assert "more than 100 lines" in reply.plain and not shop.panel.orders
