"""SEO and Web Traffic services through the chat (types of the panels' script the five docs do not show),
and a type the bot does not know, which customers never see (issue 19)."""

from __future__ import annotations

from bot.domain import catalogue
from bot.render.callbacks import pack, unpack


async def _open(customer, service: str):
    await customer.send("/order")
    await customer.press("Website traffic")
    await customer.press("Website Traffic")
    await customer.press(service)
    return await customer.press("Order this")


async def test_seo_asks_for_keywords_and_sends_them(shop, customer):
    await customer.fund("10")
    await _open(customer, "Google SEO")
    await customer.send("https://shop.example/red-shoes")
    keywords = await customer.send("500")
    assert "keywords" in keywords.plain and "one per line" in keywords.plain
    confirm = await customer.send("buy red shoes\n\n  red shoes sale  ")
    assert "Keywords: 2 lines" in confirm.plain and "3.00 USD" in confirm.plain  # 6.00 per 1000 × 500
    await customer.press("Confirm")
    await customer.wait_screen("is placed")
    [order] = shop.panel.orders.values()
    assert order.params["keywords"] == "buy red shoes\nred shoes sale" and order.quantity == 500


async def test_web_traffic_asks_what_the_traffic_source_needs(shop, customer):
    await customer.fund("10")
    await _open(customer, "Website visitors")
    await customer.send("https://shop.example")
    country = await customer.send("2000")
    assert "country" in country.plain
    assert "does not look like a country" in (await customer.send("12")).plain
    device = await customer.send("de")
    picks = [label for label, data in device.buttons if unpack(data).action == "pick"]
    assert len(picks) == 5 and "🤖 Android phones" in picks
    source = await customer.press("Phones and desktop")
    assert "Google search" in [label for label, _ in source.buttons][0]
    referrer = await customer.press("A page I choose")
    assert "referrer" in referrer.plain
    back = await customer.press("Back")  # the traffic source again: choosing Google asks for a phrase instead
    assert "Where should the visitors come from" in back.plain
    phrase = await customer.press("Google search")
    assert "search phrase" in phrase.plain
    assert "one line" in (await customer.send("red\nshoes")).plain
    confirm = await customer.send("  red   shoes ")
    assert "Country: DE" in confirm.plain and "Devices: 🔀 Phones and desktop" in confirm.plain
    assert "Traffic source: 🔎 Google search" in confirm.plain and "Google search phrase: red shoes" in confirm.plain
    assert "1.60 USD" in confirm.plain  # 0.80 per 1000 × 2000
    await customer.press("Confirm")
    await customer.wait_screen("is placed")
    [order] = shop.panel.orders.values()
    assert {k: order.params.get(k) for k in ("country", "device", "type_of_traffic", "google_keyword",
                                              "referring_url")} == {
        "country": "DE", "device": "5", "type_of_traffic": "1", "google_keyword": "red shoes", "referring_url": None}


async def test_direct_traffic_asks_for_nothing_more(shop, customer):
    await customer.fund("10")
    await _open(customer, "Website visitors")
    await customer.send("https://shop.example")
    await customer.send("1000")
    await customer.send("United States")
    await customer.press("Desktop")
    confirm = await customer.press("Direct")
    assert "Confirm" in [label for label, _ in confirm.buttons][0] and "Referrer" not in confirm.plain
    await customer.press("Confirm")
    await customer.wait_screen("is placed")
    [order] = shop.panel.orders.values()
    assert (order.params["country"], order.params["type_of_traffic"]) == ("United States", "3")


async def test_a_forged_choice_is_refused_like_a_typed_one(shop, customer):
    await customer.fund("10")
    await _open(customer, "Website visitors")
    await customer.send("https://shop.example")
    await customer.send("1000")
    device = await customer.send("US")
    nonce, seq = unpack(customer.button_data("Desktop", device)).args[:2]
    mark = len(customer.tg.calls)
    await customer.press_data(pack("ord", "pick", nonce, seq, 9))
    again = await customer.call_after(mark, ("editMessageText",))
    assert "from 1 to 5" in again.params["text"] and "Which devices" in again.params["text"]
    assert "from 1 to 5" in (await customer.send("6")).plain  # typed: the same answer
    assert "Where should the visitors come from" in (await customer.press("Desktop")).plain
    assert not shop.panel.orders


async def test_a_type_the_bot_does_not_know_is_never_offered(shop, customer):
    await customer.send("/order")
    youtube = await customer.press("YouTube")
    listed = await customer.press("YouTube", youtube) if "YouTube Views" not in youtube.plain else youtube
    assert "Views Special" not in listed.plain and "Views Special" not in str(listed.buttons)
    found = await customer.send("views special")
    assert "Views Special" not in str(found.buttons)
    assert await catalogue.get_service(shop.db, "main", "19") is None
