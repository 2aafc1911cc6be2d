"""Order again (issue #15): from an order card, the same service and link, the quantity asked, then the card."""

from __future__ import annotations

from bot.money import to_minor
from bot.render.order_list_views import again_data
from tests.chat_menu.test_my_orders_e2e import NEITHER, open_card


async def test_order_again_lands_on_the_confirmation_card(bot, alice):
    await alice.fund("10")
    first = await alice.place(quantity=1000, link="https://instagram.com/p/again")
    card = await open_card(alice, first)
    ask = await alice.press(card, "Order again")
    assert "How many?" in ask.plain
    confirm = await alice.press(ask, "1000 (as last time)")
    assert "Check your order" in confirm.plain
    assert "https://instagram.com/p/again" in confirm.plain and "0.90 USD" in confirm.plain
    await alice.press(confirm, "Confirm")
    await bot.tg.wait_for("editMessageText", lambda c: "is placed" in str(c.params.get("text")), chat_id=42)
    assert len(bot.panel.orders) == 2 and await alice.balance() == to_minor("8.20")


async def test_a_typed_quantity_goes_straight_to_the_card(bot, alice):
    await alice.fund("10")
    first = await alice.place(quantity=1000, link="https://instagram.com/p/again")
    ask = await alice.press(await open_card(alice, first), "Order again")
    confirm = await alice.send("2000")
    assert "Check your order" in confirm.plain and "1.80 USD" in confirm.plain
    assert not ask.deleted


async def test_someone_elses_order_cannot_be_ordered_again(bot, alice, bob):
    await alice.fund("10")
    first = await alice.place(quantity=1000)
    card = await open_card(alice, first)
    answered = await bob.press_data(card, again_data(first))
    assert "not found" in answered.params.get("text", "").lower()


async def test_orders_that_need_more_than_a_quantity_have_no_order_again(bot, alice):
    await alice.fund("10")
    order = await alice.place(service=NEITHER, quantity=100, usernames=("a", "b"))
    card = await open_card(alice, order)
    assert not [label for label in alice.labels(card) if "Order again" in label]
