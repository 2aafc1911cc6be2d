"""Stale and forged buttons change nothing, Confirm places once, a restart resumes the step,
the flow times out, and a slow panel delays nobody else."""

from __future__ import annotations

import asyncio
import time

import pytest
from telegram.ext import ConversationHandler

from bot.handlers.order_flow import CONVERSATION_NAME
from bot.money import to_minor
from bot.render.callbacks import pack, unpack
from tests.chat_order.conftest import Customer

STALE = "out of date"


async def to_youtube_quantity(customer: Customer) -> None:
    """/order → YouTube → its service → card → link: the quantity is asked next (no drip-feed here)."""
    await customer.send("/order")
    await customer.press("YouTube")
    await customer.press("YouTube")
    await customer.press("Views_HQ")
    await customer.press("Order this")
    assert "How many?" in (await customer.send("https://youtube.com/watch?v=1")).plain


async def assert_nothing_changed(customer: Customer, mark: int) -> None:
    """No message was sent or edited since call `mark`."""
    await customer.tg.settle(quiet=0.1)
    assert not [c for c in customer.tg.calls[mark:] if c.method in ("sendMessage", "editMessageText")]


async def test_button_of_an_older_flow_is_refused(shop, customer):
    old = await customer.send("/order")
    old_instagram = customer.button_data("Instagram", old)
    await customer.send("/order")
    mark = len(customer.tg.calls)
    answer = await customer.press_data(old_instagram, old)
    assert STALE in answer.params["text"]
    await assert_nothing_changed(customer, mark)
    assert "choose a category" in (await customer.press("Instagram")).plain  # the new flow still works


async def test_button_of_an_older_screen_and_double_press_are_refused(shop, customer):
    platforms = await customer.send("/order")
    instagram = customer.button_data("Instagram", platforms)
    await customer.press("Instagram")  # the same message now shows the categories
    mark = len(customer.tg.calls)
    answer = await customer.press_data(instagram)  # pressed twice: the second is stale
    assert STALE in answer.params["text"]
    await assert_nothing_changed(customer, mark)


@pytest.mark.parametrize("forge", [
    lambda nonce, seq: "ord:zz",
    lambda nonce, seq: "ord:plat",
    lambda nonce, seq: pack("ord", "plat", nonce, seq, "myspace"),
    lambda nonce, seq: pack("ord", "cat", nonce, seq, "99999"),
    lambda nonce, seq: pack("ord", "cat", nonce, seq, "-1"),
    lambda nonce, seq: pack("ord", "svc", nonce, seq, "50"),
    lambda nonce, seq: pack("ord", "confirm", nonce, seq),
    lambda nonce, seq: pack("ord", "skip", nonce, seq),
    lambda nonce, seq: pack("ord", "back", nonce, seq) + ":%zz",
    lambda nonce, seq: pack("ord", "cpage", "other-nonce", seq, 1),
])
async def test_forged_buttons_are_refused(shop, customer, forge):
    screen = await customer.send("/order")
    await customer.press("Instagram")
    tag = unpack(customer.button_data("Instagram Followers", screen)).args[:2]
    mark = len(customer.tg.calls)
    answer = await customer.press_data(forge(*tag))
    assert STALE in answer.params["text"]
    await assert_nothing_changed(customer, mark)
    assert "choose a service" in (await customer.press("Instagram Followers")).plain


async def test_confirm_pressed_twice_places_once(shop, customer):
    await customer.fund("10")
    await to_youtube_quantity(customer)
    card = await customer.send("1000")
    confirm = customer.button_data("Confirm", card)
    customer.tg.press(42, card, confirm)
    customer.tg.press(42, card, confirm)
    await customer.wait_screen("is placed")
    await customer.tg.settle(quiet=0.1)
    answers = [c.params.get("text", "") for c in customer.tg.calls_of("answerCallbackQuery")[-2:]]
    assert any(STALE in text or "being placed" in text for text in answers)
    assert len(shop.panel.orders) == 1
    assert await customer.balance() == to_minor("10") - to_minor("1.75")


async def test_restart_mid_flow_resumes_at_the_same_step(shop, customer):
    await customer.fund("10")
    await to_youtube_quantity(customer)
    await shop.restart()
    card = await customer.send("2000")
    assert "Check your order" in card.plain and "3.50 USD" in card.plain
    await customer.press("Confirm")
    await customer.wait_screen("is placed")
    assert [o.quantity for o in shop.panel.orders.values()] == [2000]


async def test_flow_times_out(shop, customer):
    [conversation] = [h for hs in shop.app.handlers.values() for h in hs
                      if isinstance(h, ConversationHandler) and h.name == CONVERSATION_NAME]
    assert conversation.conversation_timeout == shop.settings.telegram.conversation_timeout_seconds
    # the setting's floor is 60 s; the mechanism is what is tested here (PTB's attribute has no setter)
    conversation._conversation_timeout = 0.3
    await customer.send("/order")
    await customer.press("Instagram")
    old = customer.button_data("Instagram Followers")
    assert "no answer for a while" in (await customer.tg.next_message(42, timeout=3)).plain
    assert STALE in (await customer.press_data(old)).params["text"]


async def test_a_slow_panel_delays_nobody_else(shop, customer):
    shop.panel.hang_seconds = 1.5
    shop.panel.inject("add", "hang")
    await customer.fund("10")
    await to_youtube_quantity(customer)
    card = await customer.send("1000")
    confirm = customer.button_data("Confirm", card)
    await customer.press("Confirm")
    assert "Placing your order" in customer.screen.plain

    other = Customer(shop, 43)
    started = time.monotonic()
    assert "New order" in (await other.send("/order")).plain
    assert time.monotonic() - started < 1.0  # answered while the first add still hangs on the panel
    assert "Placing your order" in customer.screen.plain

    assert "being placed" in (await customer.send("hello?")).plain
    assert "being placed" in (await customer.press_data(confirm, card)).params["text"]
    assert "is placed" in (await customer.wait_screen("is placed", timeout=5)).plain
    await asyncio.sleep(0)
    assert len(shop.panel.orders) == 1


async def test_flow_abandoned_across_a_restart_still_times_out(shop, customer):
    await to_youtube_quantity(customer)
    old = customer.button_data("Back")
    await shop.restart()  # the timeout job is gone now; the flow's own clock is not
    shop.app.user_data[42]["order_flow"]["at"] -= shop.settings.telegram.conversation_timeout_seconds + 1
    assert "no answer for a while" in (await customer.send("1000")).plain
    assert STALE in (await customer.press_data(old)).params["text"]
    assert not shop.panel.orders
