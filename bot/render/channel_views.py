"""REQUIRED_CHANNEL: the screen a customer who has not joined the channel sees instead of New order."""

from __future__ import annotations

from telegram import InlineKeyboardButton

from bot.render.callbacks import pack
from bot.render.keyboards import build_keyboard, button
from bot.render.order_views import FEATURE, Tr
from bot.render.screen import Screen
from bot.render.text import esc

JOINED_ACTION = "joined"
JOINED_CALLBACK = pack(FEATURE, JOINED_ACTION)  # an entry point of the New-order flow


def channel_url(channel: str) -> str | None:
    """t.me link of a public channel (@username); None for a numeric id."""
    return f"https://t.me/{channel[1:]}" if channel.startswith("@") else None


def join_screen(tr: Tr, channel: str) -> Screen:
    rows = []
    url = channel_url(channel)
    if url is not None:
        rows.append([InlineKeyboardButton(tr("shop.button_open_channel"), url=url)])
    rows.append([button(tr("shop.button_joined"), JOINED_CALLBACK)])
    return Screen(tr("shop.channel_join", channel=esc(channel)), build_keyboard(rows))
