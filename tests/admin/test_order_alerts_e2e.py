"""The order conversation tells the admin group about every order it records: new, failed, unknown."""

from __future__ import annotations

import asyncio

from bot.domain import catalogue
from bot.handlers import order_flow
from tests.admin.conftest import CUSTOMER
from tests.chat_order.conftest import Customer
from tests.chat_order.test_flow_safety_e2e import to_youtube_quantity
from tests.e2e.harness import ADMIN_CHAT_ID


async def order_shop(make_env):
    env = await make_env(features=[order_flow], panels={"main": "sofia"})
    await env.load_catalogue()
    return env


async def confirm_order(env, customer: Customer, outcome: str):
    await to_youtube_quantity(customer)
    await customer.send("1000")
    await customer.press("Confirm")
    await customer.wait_screen(outcome)
    call = await env.tg.wait_for("sendMessage", lambda c: c.ok, chat_id=ADMIN_CHAT_ID, since=0)
    return call


async def test_a_placed_order_is_announced_in_one_line(make_env):
    env = await order_shop(make_env)
    env.tg.user(CUSTOMER, username="alice")
    customer = Customer(env, CUSTOMER)
    await customer.fund("10")
    call = await confirm_order(env, customer, "is placed")
    (panel_order_id,) = env.panel.orders
    assert call.message.plain == f"🛒 New order #1: YouTube Views_HQ × 1000, 1.75 USD — 42 (@alice) · main " \
                                 f"#{panel_order_id}"


async def test_a_refused_order_is_announced_with_the_panels_reason(make_env):
    env = await order_shop(make_env)
    customer = Customer(env, CUSTOMER)
    await customer.fund("10")
    env.panel.inject("add", "error", message="Not enough funds <on balance>")
    call = await confirm_order(env, customer, "did not accept")
    assert call.message.plain == "❌ Order #1 (YouTube Views_HQ, 1.75 USD, 42) was refused by main: " \
                                 "Not enough funds <on balance>. Refunded in full."
    assert "&lt;on balance&gt;" in call.text


async def test_an_unknown_outcome_is_announced_with_how_to_settle_it(make_env):
    env = await order_shop(make_env)
    customer = Customer(env, CUSTOMER)
    await customer.fund("10")
    env.panel.inject("add", "html502")
    call = await confirm_order(env, customer, "not confirmed the order yet")
    assert call.message.plain.startswith("❓ Order #1 (YouTube Views_HQ, 1.75 USD, 42) on main: no clear answer")
    assert "/resolve 1 <panel order id> or /resolve 1 refund" in call.message.plain


async def test_not_enough_money_is_no_news_for_the_admins(make_env):
    env = await order_shop(make_env)
    customer = Customer(env, CUSTOMER)
    await customer.fund("1")
    await to_youtube_quantity(customer)
    await customer.send("1000")
    await customer.press("Confirm")
    await customer.wait_screen("Not enough money")
    await env.tg.settle()
    assert env.tg.calls_of("sendMessage", chat_id=ADMIN_CHAT_ID) == []


async def test_words_the_bot_cannot_sort_are_reported_once_even_across_a_restart(make_env):
    env = await order_shop(make_env)
    customer = Customer(env, CUSTOMER)
    await customer.fund("10")
    strange = "Zorglub says the moon is not aligned"

    async def refused(number: int) -> None:
        """Order `number` meets the strange words; returns once the admins were told of that order."""
        env.panel.inject("add", "error", message=strange)
        await confirm_order(env, customer, "did not accept")
        await env.tg.wait_for("sendMessage", lambda c: f"Order #{number} " in c.message.plain,
                              chat_id=ADMIN_CHAT_ID, since=0)

    await refused(1)
    told = await env.tg.wait_for("sendMessage", lambda c: "does not know yet" in c.message.plain,
                                 chat_id=ADMIN_CHAT_ID, since=0)
    assert strange in told.message.plain and "main" in told.message.plain
    mark = len(env.tg.calls)
    await refused(2)  # the same words again: nothing more to report
    await env.restart()
    customer = Customer(env, CUSTOMER)
    await refused(3)  # nor after a restart
    assert not [c for c in env.tg.calls_of("sendMessage", since=mark, chat_id=ADMIN_CHAT_ID)
                if "does not know yet" in c.message.plain]
    assert len(await env.db.fetchall("SELECT * FROM panel_wordings")) == 1


async def test_a_refusal_the_cached_card_allowed_refreshes_that_panels_catalogue_once(make_env):
    env = await make_env(panels={"main": "sofia"})  # every feature, the sync among them
    await env.load_catalogue()
    customer = Customer(env, CUSTOMER)
    await customer.fund("10")
    next(s for s in env.panel.services if s["service"] == 16)["min"] = 5000  # the panel changed since
    fetches = sum(1 for c in env.panel.calls if c.label == "services")
    await confirm_order(env, customer, "please order more")
    for _ in range(100):  # refreshed in the background, after the admins' alert
        if (await catalogue.get_service(env.db, "main", "16")).min == 5000:
            break
        await asyncio.sleep(0.05)
    assert (await catalogue.get_service(env.db, "main", "16")).min == 5000  # the next card asks for 5000+
    assert sum(1 for c in env.panel.calls if c.label == "services") == fetches + 1  # that panel, once
    next(s for s in env.panel.services if s["service"] == 16)["min"] = 500
    env.panel.inject("add", "error", message="Quantity less than minimal 5000")
    await to_youtube_quantity(customer)  # a second refusal soon after: no second fetch
    assert "from 5000" in (await customer.send("1000")).plain  # the card knows the panel's new minimum
    await customer.send("5000")
    await customer.press("Confirm")
    await customer.wait_screen("please order more")
    await env.tg.wait_for("sendMessage", lambda c: "Order #2 " in c.message.plain, chat_id=ADMIN_CHAT_ID, since=0)
    await asyncio.sleep(0.2)
    assert sum(1 for c in env.panel.calls if c.label == "services") == fetches + 1
