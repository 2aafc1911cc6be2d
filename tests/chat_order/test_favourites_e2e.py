"""Favourites (issue #15): ⭐ on a service card, "⭐ Favourites" at the top of New order when there are any."""

from __future__ import annotations

from bot.domain import catalogue, favourites


async def _card(customer):
    await customer.send("/order")
    await customer.press("YouTube")
    await customer.press("YouTube")
    return await customer.press("Views_HQ")


async def test_a_starred_service_is_listed_in_favourites_and_persists(shop, customer):
    platforms = await customer.send("/order")
    assert not [label for label, _ in platforms.buttons if "Favourites" in label]
    card = await _card(customer)
    starred = await customer.press("Add to favourites", card)
    assert "Remove from favourites" in " ".join(label for label, _ in starred.buttons)
    assert await favourites.listed(shop.db, 42) != []
    platforms = await customer.send("/order")  # a new flow: the star is in the database, not the flow
    assert platforms.buttons[0][0] == "⭐ Favourites"
    listing = await customer.press("Favourites")
    assert "Your favourites" in listing.plain
    card = await customer.press("Views_HQ", listing)
    assert "Service id: 16" in card.plain
    back = await customer.press("Back", card)
    assert "Your favourites" in back.plain


async def test_unstarring_and_hidden_services_leave_favourites(shop, customer):
    card = await _card(customer)
    card = await customer.press("Add to favourites", card)
    await catalogue.set_service_hidden(shop.db, "main", "16", True)
    platforms = await customer.send("/order")
    assert not [label for label, _ in platforms.buttons if "Favourites" in label]
    await catalogue.set_service_hidden(shop.db, "main", "16", False)
    card = await _card(customer)
    await customer.press("Remove from favourites", card)
    assert await favourites.listed(shop.db, 42) == []


async def test_other_customers_do_not_see_my_favourites(shop, customer):
    await customer.press("Add to favourites", await _card(customer))
    assert await favourites.listed(shop.db, 43) == []
