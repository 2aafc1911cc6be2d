"""What a handler shows: a text and its keyboard, sent new or edited into the pressed message."""

from __future__ import annotations

from dataclasses import dataclass

from telegram import InlineKeyboardMarkup


@dataclass(frozen=True)
class Screen:
    """A message to send, or to edit the pressed button's message into."""

    text: str
    markup: InlineKeyboardMarkup | None = None
