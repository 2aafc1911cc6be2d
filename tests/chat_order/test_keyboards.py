"""Pagination and keyboard limits: every page reachable, nothing Telegram would refuse."""

import pytest
from hypothesis import given
from hypothesis import strategies as st
from telegram import InlineKeyboardButton

from bot.render.callbacks import pack
from bot.render.keyboards import (
    MAX_BUTTONS,
    build_keyboard,
    clamp_page,
    label,
    nav_row,
    page_count,
    page_slice,
    paged_keyboard,
)


@given(st.integers(0, 5000), st.integers(1, 100))
def test_pages_cover_every_item_once(total, per_page):
    items = list(range(total))
    pages = page_count(total, per_page)
    seen = [x for page in range(pages) for x in page_slice(items, page, per_page)]
    assert seen == items
    assert clamp_page(pages + 5, total, per_page) == pages - 1
    assert clamp_page(-3, total, per_page) == 0


def test_nav_row_only_where_there_is_somewhere_to_go():
    def data(page):
        return pack("t", "p", page)

    assert nav_row(0, 1, data) == []
    first = nav_row(0, 3, data)
    assert [b.text for b in first] == ["1/3", "2 »"]
    middle = nav_row(1, 3, data)
    assert [b.callback_data for b in middle] == ["t:p:0", "t:p:1", "t:p:2"]
    assert [b.text for b in nav_row(2, 3, data)] == ["« 2", "3/3"]


def test_paged_keyboard_layout():
    items = [InlineKeyboardButton(str(i), callback_data=pack("t", "i", i)) for i in range(5)]
    markup = paged_keyboard(items, page=0, pages=2, data_for_page=lambda p: pack("t", "p", p), columns=2,
                            footer_rows=[[InlineKeyboardButton("x", callback_data="t:cancel")]])
    assert [[b.text for b in row] for row in markup.inline_keyboard] == [
        ["0", "1"], ["2", "3"], ["4"], ["1/2", "2 »"], ["x"]]


def test_limits_enforced():
    too_many = [[InlineKeyboardButton("b", callback_data="t:b")] for _ in range(MAX_BUTTONS + 1)]
    with pytest.raises(ValueError):
        build_keyboard(too_many)
    with pytest.raises(ValueError):
        build_keyboard([[InlineKeyboardButton("b", callback_data="t:" + "é" * 32)]])
    assert len(build_keyboard(too_many[:MAX_BUTTONS]).inline_keyboard) == MAX_BUTTONS


def test_labels_are_one_short_line():
    assert label("a\nb  c") == "a b c"
    cut = label("word " * 40)
    assert len(cut) <= 60 and cut.endswith("…")
