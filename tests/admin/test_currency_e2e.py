"""The shop's own currency (issue #15): SHOP_CURRENCY=RUB, /rate USD 92.5, exact prices, profit in /stats."""

from __future__ import annotations

from decimal import Decimal

from bot.money import to_minor
from bot.telegram.sync_job import sync_service
from tests.admin.conftest import ADMIN
from tests.admin.helpers import Ops
from tests.chat_order.conftest import Customer
from tests.e2e.harness import ADMIN_CHAT_ID

RUB = {"shop": {"shop_currency": "RUB", "markup_percent": "25"}}


async def _card(customer: Customer):
    await customer.send("/order")
    await customer.press("Instagram")
    await customer.press("Instagram Followers")
    return await customer.press("Instagram Followers <Real>")


async def _to_confirmation(customer: Customer, quantity: str = "1000"):
    await _card(customer)
    await customer.press("Order this")
    await customer.send("https://instagram.com/p/rub")
    await customer.send(quantity)
    return await customer.press("Skip")  # no drip-feed


async def test_rub_shop_prices_charges_and_reports_profit_exactly(make_env):
    env = await make_env(settings=RUB)
    await env.load_catalogue()
    ops, customer = Ops(env, ADMIN), Customer(env, 42)
    await sync_service(env.app).catalogue_cycle(env.runtime)  # reads the panel's balance: its currency is USD
    alert = await env.tg.wait_for("sendMessage", lambda c: "sells in USD" in c.message.plain, chat_id=ADMIN_CHAT_ID)
    assert "/rate USD" in alert.message.plain
    assert "Instagram" not in " ".join(label for label, _ in (await customer.send("/order")).buttons)  # never 1:1

    await ops.say("/rate USD 92.5", contains="1 USD = 92.5 RUB")
    card = await _card(customer)
    assert "Price: 104.06 RUB per 1000" in card.plain  # 0.90 × 92.5 × 1.25 = 104.0625
    await customer.fund("200")
    confirm = await _to_confirmation(customer)
    assert "104.06 RUB" in confirm.plain
    await customer.press("Confirm")
    await customer.wait_screen("is placed")
    assert await customer.balance() == to_minor("200") - to_minor(Decimal("104.0625"))  # charged exactly
    row = (await env.db.fetchall("SELECT price, panel_currency, exchange_rate, cost FROM orders"))[0]
    assert tuple(row) == (104_062_500, "USD", "92.5", "0.9000")

    stats = await ops.say("/stats all", contains="Turnover")
    # cost 0.90 USD × 92.5 = 83.25 RUB; profit 104.0625 − 83.25 = 20.8125
    assert "104.06 RUB" in stats.plain and "83.25 RUB" in stats.plain and "20.81 RUB" in stats.plain


async def test_a_rate_change_reaches_new_cards_only(make_env):
    env = await make_env(settings=RUB)
    await env.load_catalogue()
    ops, customer = Ops(env, ADMIN), Customer(env, 42)
    await sync_service(env.app).catalogue_cycle(env.runtime)
    await ops.say("/rate USD 92.5", contains="92.5")
    await customer.fund("500")
    assert "104.06 RUB" in (await _to_confirmation(customer)).plain
    await ops.say("/rate USD 100", contains="1 USD = 100 RUB")
    await customer.press("Confirm")
    fresh = await customer.wait_screen("price has changed")
    assert "112.50 RUB" in fresh.plain and not env.panel.orders  # 0.90 × 100 × 1.25, nothing charged
    assert await customer.balance() == to_minor("500")


async def test_exchange_rates_from_the_environment_and_bad_rates(make_env):
    env = await make_env(settings={"shop": {"shop_currency": "RUB"}, "storefront": {"exchange_rates": "USD=90"}})
    await env.load_catalogue()
    ops = Ops(env, ADMIN)
    await sync_service(env.app).catalogue_cycle(env.runtime)
    listing = await ops.say("/rate", contains="Exchange rates")
    assert "1 USD = 90 RUB (EXCHANGE_RATES)" in listing.plain and "Panel main: USD" in listing.plain
    assert "Price: 81.00 RUB per 1000" in (await _card(Customer(env, 42))).plain
    for bad in ("/rate USD -1", "/rate USD abc", "/rate RUB 2", "/rate US$ 1"):
        assert "/rate" in (await ops.say(bad)).plain
    assert "90 RUB" in (await ops.say("/rate", contains="Exchange rates")).plain


async def test_the_first_refresh_learns_the_currency_so_nothing_is_ever_sold_at_one_to_one(make_env):
    env = await make_env(settings=RUB)
    await env.load_catalogue()  # a bare refresh (no catalogue cycle): the panel's balance names USD first
    assert "Instagram" not in " ".join(label for label, _ in (await Customer(env, 42).send("/order")).buttons)
    requests = env.panel.requests["balance"]
    await env.load_catalogue()
    assert env.panel.requests["balance"] == requests  # asked once, not on every refresh
