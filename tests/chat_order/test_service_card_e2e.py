"""The service card in the chat shows the panel's refill / cancel / drip-feed flags, as the panel sent them.

The shop's panel speaks the "sofia" dialect, which sends the flags as 0/1.
"""

from __future__ import annotations

import pytest

from tests.chat_order.conftest import Customer

FLAGS = "♻️ Refill: {} · ✖️ Cancel: {} · 💧 Drip-feed: {}"


@pytest.mark.parametrize(("path", "flags"), [
    (("Instagram", "Instagram Followers", "Instagram Followers <Real>"), ("yes", "yes", "yes")),  # service 1
    (("Instagram", "Instagram Mentions", "Instagram Mentions"), ("no", "no", "no")),  # service 5
    (("Instagram", "Instagram Comments", "Instagram Custom_Comments"), ("no", "yes", "no")),  # service 3
], ids=["refill-cancel-dripfeed", "none", "cancel-only"])
async def test_the_card_shows_the_services_flags(shop, customer: Customer, path, flags) -> None:
    await customer.send("/order")
    for label in path:
        card = await customer.press(label)
    assert "Order this" in " ".join(label for label, _ in card.buttons)  # this is the card
    assert FLAGS.format(*flags) in card.plain.split("\n"), card.plain
