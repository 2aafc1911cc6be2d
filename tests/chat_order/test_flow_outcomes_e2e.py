"""What the customer reads when placing does not simply succeed, and the subscription fields."""

from __future__ import annotations

from bot.domain import catalogue
from bot.money import to_minor
from bot.panel.order_types import ALLOWED_SUBSCRIPTION_DELAYS
from bot.render.callbacks import unpack
from bot.storage import users
from tests.chat_order.test_flow_safety_e2e import to_youtube_quantity
from tests.e2e.harness import ADMIN_CHAT_ID


async def test_not_enough_money_then_top_up_and_confirm_again(shop, customer):
    await customer.fund("1")
    await to_youtube_quantity(customer)
    card = await customer.send("1000")
    assert "top up at least 0.75 USD" in card.plain
    await customer.press("Confirm")
    short = await customer.wait_screen("Not enough money")
    assert "costs 1.75 USD" in short.plain and "balance is 1.00 USD" in short.plain
    assert "Check your order" in short.plain  # the card is shown again, with fresh buttons
    assert not shop.panel.orders and await customer.balance() == to_minor("1")
    await customer.fund("5")
    await customer.press("Confirm", short)
    await customer.wait_screen("is placed")
    assert len(shop.panel.orders) == 1 and await customer.balance() == to_minor("4.25")


async def test_panel_refusal_is_explained_and_refunded(shop, customer):
    await customer.fund("10")
    shop.panel.inject("add", "error", message="Incorrect link: the <profile> is private & hidden")
    await to_youtube_quantity(customer)
    await customer.send("1000")
    await customer.press("Confirm")
    refused = await customer.wait_screen("did not accept")
    assert "the link is not accepted" in refused.plain
    assert "profile" not in refused.plain and "hidden" not in refused.plain  # the panel's words: admins only
    alert = await shop.tg.wait_for("sendMessage", lambda c: "private &amp; hidden" in (c.params.get("text") or ""),
                                   chat_id=ADMIN_CHAT_ID)
    assert "&lt;profile&gt;" in alert.params["text"]  # admins read them, escaped
    assert await customer.balance() == to_minor("10")


async def test_a_panel_that_raised_its_minimum_says_order_more(shop, customer):
    await customer.fund("10")
    youtube = next(s for s in shop.panel.services if s["service"] == 16)
    youtube["min"] = 5000  # since the catalogue was read: the panel's own check refuses 1000
    await to_youtube_quantity(customer)
    await customer.send("1000")
    await customer.press("Confirm")
    refused = await customer.wait_screen("did not accept")
    assert "below what this service takes now: please order more" in refused.plain
    assert await customer.balance() == to_minor("10") and not shop.panel.orders


async def test_unknown_outcome_keeps_the_money_safe(shop, customer):
    await customer.fund("10")
    shop.panel.inject("add", "html502")  # the panel took the order, then answered with an HTML error page
    await to_youtube_quantity(customer)
    await customer.send("1000")
    await customer.press("Confirm")
    unknown = await customer.wait_screen("not confirmed the order yet")
    assert "your money is safe" in unknown.plain
    assert len(shop.panel.orders) == 1  # never sent twice
    assert await customer.balance() == to_minor("8.25")  # held until an admin reconciles it


async def test_banned_customer_is_told(shop, customer):
    await customer.fund("10")
    await to_youtube_quantity(customer)
    await customer.send("1000")
    async with shop.db.transaction() as conn:
        await users.set_banned(conn, 42, True)
    await customer.press("Confirm")
    assert "suspended" in (await customer.wait_screen("suspended")).plain
    assert not shop.panel.orders


async def test_service_hidden_mid_flow_goes_back_to_the_list(shop, customer):
    await to_youtube_quantity(customer)
    await catalogue.set_service_hidden(shop.db, "main", "16", True)
    gone = await customer.send("1000")
    assert "no longer available" in gone.plain and "choose a service" in gone.plain


async def test_subscription_fields(shop, customer):
    await customer.fund("10")
    await customer.send("/order")
    await customer.press("Instagram")
    await customer.press("Instagram Auto")
    await customer.press("Auto Likes")
    await customer.press("Order this")
    assert "Minimum quantity" in (await customer.send("@my.account")).plain
    await customer.send("100")
    assert "from 100 to 5000" in (await customer.send("50")).plain
    delay = await customer.send("200")
    picks = [label for label, data in delay.buttons if unpack(data).action == "pick"]
    assert "delay" in delay.plain and picks == [str(v) for v in ALLOWED_SUBSCRIPTION_DELAYS]
    posts = await customer.press("30")
    assert "new posts" in posts.plain
    old_posts = await customer.press("Skip")
    assert "existing posts" in old_posts.plain and not [b for b, _ in old_posts.buttons if "Skip" in b]
    expiry = await customer.send("5")
    assert "day/month/year" in expiry.plain
    assert "must be in the future" in (await customer.send("1/1/2020")).plain
    confirm = await customer.press("Skip")
    assert "Delay, minutes: 30" in confirm.plain and "Existing posts: 5" in confirm.plain
    assert "1.10 USD" in confirm.plain  # 1.10 per 1000 x max 200 x 5 posts
    await customer.press("Confirm")
    await customer.wait_screen("is placed")
    [order] = shop.panel.orders.values()
    assert {k: order.params.get(k) for k in ("username", "min", "max", "delay", "old_posts", "posts")} == {
        "username": "my.account", "min": "100", "max": "200", "delay": "30", "old_posts": "5", "posts": None}
