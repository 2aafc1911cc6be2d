"""Callback numbers are bounded: a forged 18-digit page shows the last page, never a traceback."""

from __future__ import annotations

import pytest

from bot.render.callbacks import pack, unpack
from bot.render.menu_views import orders_page_data
from bot.storage.paging import Page, fetch_page
from tests.e2e.harness import ADMIN_CHAT_ID

HUGE = "9" * 18  # the most the callback codec lets through


async def test_a_huge_page_of_my_orders_shows_the_last_page(bot, alice):
    await alice.fund("20")
    for _ in range(9):
        await alice.place(quantity=100)
    listing = await alice.send("/orders")
    mark = len(bot.tg.calls)
    await alice.press_data(listing, orders_page_data(int(HUGE)))
    await bot.tg.settle()
    assert "Page 2 of 2" in listing.plain
    assert [c for c in bot.tg.calls[mark:] if c.chat_id == ADMIN_CHAT_ID] == []  # no error report


async def test_a_huge_page_of_the_service_list_shows_the_last_page(shop, customer):
    screen = await customer.send("/order")
    await customer.press("Instagram")
    nonce, seq = unpack(customer.button_data("Instagram Followers", screen)).args[:2]
    mark = len(customer.tg.calls)
    await customer.press_data(pack("ord", "cpage", nonce, seq, HUGE))
    await customer.tg.settle()
    assert [c for c in customer.tg.calls[mark:] if c.chat_id == ADMIN_CHAT_ID] == []
    assert "choose a category" in customer.screen.plain


@pytest.mark.parametrize(("page", "expected"), [(0, 0), (1, 1), (2, 2), (3, 2), (-5, 0), (10**6 + 1, 2),
                                                (10**18 - 1, 2)])
async def test_fetch_page_clamps(page, expected):
    items = list(range(25))

    async def fetch(*, offset: int, limit: int) -> Page[int]:
        assert 0 <= offset < 2**62  # the database never sees an offset that could overflow
        return Page(items=items[offset:offset + limit], total=len(items), offset=offset, limit=limit)

    result, shown = await fetch_page(fetch, page, 10)
    assert shown == expected and result.items == items[expected * 10:expected * 10 + 10]
