"""Inline keyboards within Telegram's limits, and the pagination every long list uses.

Pages are numbered from 0 in code and shown from 1. `build_keyboard` refuses a keyboard
Telegram would refuse (more than 100 buttons, callback data over 64 bytes), so the mistake
shows in tests rather than as a BadRequest in a customer's chat.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import TypeVar

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.render.callbacks import MAX_BYTES

MAX_BUTTONS = 100
MAX_LABEL_CHARS = 60  # longer labels are cut by Telegram clients anyway
PREV_LABEL = "«"
NEXT_LABEL = "»"

T = TypeVar("T")


def page_count(total: int, per_page: int) -> int:
    """How many pages `total` items fill (at least one, so an empty list still has a page)."""
    if per_page < 1:
        raise ValueError("per_page must be positive")
    return max(1, -(-max(total, 0) // per_page))


def clamp_page(page: int, total: int, per_page: int) -> int:
    """A page number that exists (a stale button may ask for a page that no longer does)."""
    return min(max(page, 0), page_count(total, per_page) - 1)


def page_slice(items: Sequence[T], page: int, per_page: int) -> Sequence[T]:
    """The items shown on `page` (clamped to an existing page)."""
    page = clamp_page(page, len(items), per_page)
    return items[page * per_page:(page + 1) * per_page]


def label(text: str, limit: int = MAX_LABEL_CHARS) -> str:
    """Button text on one short line: newlines folded, long text cut with an ellipsis."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


def button(text: str, data: str) -> InlineKeyboardButton:
    """A callback button with a label fit for a keyboard."""
    return InlineKeyboardButton(label(text), callback_data=data)


def in_columns(buttons: Iterable[InlineKeyboardButton], columns: int = 1) -> list[list[InlineKeyboardButton]]:
    """Buttons laid out left to right in rows of `columns`."""
    if columns < 1:
        raise ValueError("columns must be positive")
    rows: list[list[InlineKeyboardButton]] = []
    for item in buttons:
        if not rows or len(rows[-1]) >= columns:
            rows.append([])
        rows[-1].append(item)
    return rows


def nav_row(page: int, pages: int, data_for_page: Callable[[int], str]) -> list[InlineKeyboardButton]:
    """« page/pages » with arrows only where there is somewhere to go; empty for a single page."""
    if pages <= 1:
        return []
    row = []
    if page > 0:
        row.append(InlineKeyboardButton(f"{PREV_LABEL} {page}", callback_data=data_for_page(page - 1)))
    row.append(InlineKeyboardButton(f"{page + 1}/{pages}", callback_data=data_for_page(page)))
    if page < pages - 1:
        row.append(InlineKeyboardButton(f"{page + 2} {NEXT_LABEL}", callback_data=data_for_page(page + 1)))
    return row


def build_keyboard(rows: Iterable[Sequence[InlineKeyboardButton]]) -> InlineKeyboardMarkup:
    """An inline keyboard; ValueError when Telegram would refuse it."""
    kept = [list(row) for row in rows if row]
    count = sum(len(row) for row in kept)
    if count > MAX_BUTTONS:
        raise ValueError(f"{count} buttons, Telegram allows {MAX_BUTTONS}")
    for row in kept:
        for item in row:
            data = item.callback_data
            if isinstance(data, str) and len(data.encode()) > MAX_BYTES:
                raise ValueError(f"callback data over {MAX_BYTES} bytes: {data[:20]}…")
    return InlineKeyboardMarkup(kept)


def paged_keyboard(
    item_buttons: Sequence[InlineKeyboardButton],
    *,
    page: int,
    pages: int,
    data_for_page: Callable[[int], str],
    columns: int = 1,
    header_rows: Sequence[Sequence[InlineKeyboardButton]] = (),
    footer_rows: Sequence[Sequence[InlineKeyboardButton]] = (),
) -> InlineKeyboardMarkup:
    """One page of items (already sliced) with a navigation row, between optional extra rows."""
    rows = [*header_rows, *in_columns(item_buttons, columns), nav_row(page, pages, data_for_page), *footer_rows]
    return build_keyboard(rows)
