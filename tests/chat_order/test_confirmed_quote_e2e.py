"""Issue #11 item 3: the price charged is the price the customer confirmed on the card.

When the price changed between the card and Confirm (an admin's markup, a catalogue refresh),
nothing is charged and the customer gets a fresh card with the new price.
"""

from __future__ import annotations

from decimal import Decimal

from bot.domain import admin_catalogue
from bot.money import to_minor
from tests.chat_order.test_flow_safety_e2e import to_youtube_quantity


async def test_markup_changed_after_the_card_charges_nothing_and_shows_a_fresh_card(shop, customer):
    await customer.fund("10")
    await to_youtube_quantity(customer)
    card = await customer.send("1000")
    assert "1.75 USD" in card.plain
    await admin_catalogue.set_markup(shop.db, None, Decimal(100), actor=1)  # the admin's /markup 100
    await customer.press("Confirm")
    fresh = await customer.wait_screen("price has changed")
    assert "3.50 USD" in fresh.plain and "Check your order" in fresh.plain
    assert not shop.panel.orders and await customer.balance() == to_minor("10")
    await customer.press("Confirm", fresh)  # the customer agrees to the new price
    await customer.wait_screen("is placed")
    assert len(shop.panel.orders) == 1 and await customer.balance() == to_minor("6.50")


async def test_catalogue_refresh_with_a_new_rate_charges_nothing(shop, customer):
    await customer.fund("10")
    await to_youtube_quantity(customer)
    assert "1.75 USD" in (await customer.send("1000")).plain
    for service in shop.panel.services:
        if str(service["service"]) == "16":
            service["rate"] = "2.00"
    await shop.load_catalogue()
    await customer.press("Confirm")
    fresh = await customer.wait_screen("price has changed")
    assert "2.00 USD" in fresh.plain
    assert not shop.panel.orders and await customer.balance() == to_minor("10")
