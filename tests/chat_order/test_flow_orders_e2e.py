"""A customer goes from /order (or the menu button) to a placed order, through the real bot and fakes."""

from __future__ import annotations

from bot.money import to_minor
from bot.render.order_views import ENTRY_CALLBACK
from tests.chat_order.conftest import Customer


async def open_service(customer: Customer, platform: str, category: str, service: str, via: str = "/order"):
    """From /order to the service card, through the lists."""
    screen = await customer.send(via)
    assert "New order" in screen.plain or "Новый заказ" in screen.plain
    await customer.press(platform)
    await customer.press(category)
    return await customer.press(service)


async def test_default_service_placed_and_charged_exactly(shop, customer):
    await customer.fund("5")
    card = await open_service(customer, "Instagram", "Instagram Followers", "Instagram Followers")
    assert "Instagram Followers <Real> & Active" in card.plain  # escaped in HTML, shown as is
    assert "0.90 USD" in card.plain and "50" in card.plain and "10000" in card.plain
    assert "Real-looking followers" in card.plain
    assert "Link" in (await customer.press("Order this")).plain or "link" in customer.screen.plain
    assert "from 50 to 10000" in (await customer.send("https://instagram.com/p/abc")).plain
    runs = await customer.send("1 000")
    assert "Drip-feed" in runs.plain
    confirm = await customer.press("Skip")
    assert "Check your order" in confirm.plain
    assert "https://instagram.com/p/abc" in confirm.plain and "1000" in confirm.plain
    assert "0.90 USD" in confirm.plain and "4.10 USD" in confirm.plain  # total and balance after
    await customer.press("Confirm")
    placed = await customer.wait_screen("is placed")
    assert "0.90 USD" in placed.plain and "4.10 USD" in placed.plain
    [order] = shop.panel.orders.values()
    assert (order.service, order.link, order.quantity) == ("1", "https://instagram.com/p/abc", 1000)
    assert "runs" not in order.params
    assert await customer.balance() == to_minor("4.10")


async def test_menu_button_enters_the_flow(shop, customer):
    customer.tg.send_text(42, "/start")  # no menu feature here: press the exported entry button instead
    menu = await customer.send("/order")
    customer.tg.press(42, menu, ENTRY_CALLBACK)
    fresh = await customer.tg.next_message(42)
    assert "New order" in fresh.plain


async def test_custom_comments_quantity_is_the_comment_count(shop, customer):
    await customer.fund("1")
    await open_service(customer, "Instagram", "Instagram Comments", "Custom_Comments")
    await customer.press("Order this")
    ask = await customer.send("https://instagram.com/p/xyz")
    assert "from 10 to 1500 lines" in ask.plain
    wrong = await customer.send("only\ntwo")
    assert "You sent 2 lines" in wrong.plain and "from 10 to 1500" in wrong.plain
    comments = "\n".join(f"Nice <post> & photo #{i}" for i in range(12))
    confirm = await customer.send(comments)
    assert "12 lines" in confirm.plain
    assert "0.10 USD" in confirm.plain  # 8 per 1000 x 12 = 0.096 -> 0.10 shown
    await customer.press("Confirm")
    await customer.wait_screen("is placed")
    [order] = shop.panel.orders.values()
    assert order.params["comments"].split("\n") == comments.split("\n")
    assert await customer.balance() == to_minor("1") - to_minor("0.096")


async def test_dripfeed_order_sends_runs_and_interval(shop, customer):
    await customer.fund("10")
    await open_service(customer, "Instagram", "Instagram Followers", "Instagram Followers")
    await customer.press("Order this")
    await customer.send("https://instagram.com/p/drip")
    await customer.send("500")
    too_many = await customer.send("30")
    assert "15000" in too_many.plain and "from 50 to 10000" in too_many.plain
    assert "minutes between runs" in (await customer.send("4")).plain
    confirm = await customer.send("30")
    assert "Runs: 4" in confirm.plain and "Interval, minutes: 30" in confirm.plain
    assert "1.80 USD" in confirm.plain  # 0.90 per 1000 x 500 x 4
    await customer.press("Confirm")
    await customer.wait_screen("is placed")
    [order] = shop.panel.orders.values()
    assert (order.params["quantity"], order.params["runs"], order.params["interval"]) == ("500", "4", "30")
    assert order.quantity == 2000  # the fake counts a drip-feed's quantity (and remains) over all its runs
    assert await customer.balance() == to_minor("8.20")
