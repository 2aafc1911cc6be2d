"""REQUIRED_CHANNEL (issue #15): customers must have joined the channel to order; "I've joined"
re-checks with getChatMember; the admins are told when the bot cannot check."""

from __future__ import annotations

from bot.handlers import admin, order_flow
from tests.chat_order.conftest import Customer, start_shop
from tests.e2e.harness import ADMIN_CHAT_ID

CHANNEL = "@shop_news"


async def _shop(tmp_path, **storefront):
    return await start_shop(tmp_path / "channel", features=[order_flow, admin], admin_ids={1},
                            settings={"storefront": {"required_channel": CHANNEL, **storefront}})


async def test_a_required_channel_blocks_ordering_until_joined(tmp_path):
    env = await _shop(tmp_path)
    try:
        customer = Customer(env, 42)
        join = await customer.send("/order")
        assert "join our channel @shop_news" in join.plain
        assert ("📢 Open the channel", None) in join.buttons  # a URL button
        assert "Instagram" not in join.plain
        for command in ("/mass",):
            assert "join our channel" in (await customer.send(command)).plain
        answered = await customer.press_data(customer.button_data("I've joined", join), join)
        assert "not joined the channel yet" in answered.params.get("text", "")
        env.tg.chat_members[(CHANNEL, 42)] = "member"
        platforms = await customer.press("I've joined", join)
        assert "Instagram" in " ".join(label for label, _ in platforms.buttons)
        assert env.tg.calls_of("getChatMember")
        checks = len(env.tg.calls_of("getChatMember"))
        await customer.send("/order")  # a joined answer is cached
        assert len(env.tg.calls_of("getChatMember")) == checks
    finally:
        await env.stop()


async def test_left_customers_are_asked_again_after_the_cache(tmp_path):
    env = await _shop(tmp_path, channel_check_seconds="0")
    try:
        customer = Customer(env, 42)
        env.tg.chat_members[(CHANNEL, 42)] = "member"
        assert "Instagram" in " ".join(label for label, _ in (await customer.send("/order")).buttons)
        env.tg.chat_members[(CHANNEL, 42)] = "left"
        assert "join our channel" in (await customer.send("/order")).plain
    finally:
        await env.stop()


async def test_the_admins_are_told_when_the_bot_cannot_check(tmp_path):
    env = await _shop(tmp_path)
    try:
        env.tg.members_hidden.add(CHANNEL)
        customer = Customer(env, 42)
        platforms = await customer.send("/order")  # a misconfigured channel never stops the shop
        assert "Instagram" in " ".join(label for label, _ in platforms.buttons)
        alert = await env.tg.wait_for("sendMessage", lambda c: "cannot check" in c.message.plain,
                                      chat_id=ADMIN_CHAT_ID)
        assert "@shop_news" in alert.message.plain and "admin of the channel" in alert.message.plain
        await customer.send("/order")
        alerts = [c for c in env.tg.calls_of("sendMessage", chat_id=ADMIN_CHAT_ID) if "cannot check" in c.message.plain]
        assert len(alerts) == 1  # at most hourly
    finally:
        await env.stop()
