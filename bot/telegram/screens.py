"""Putting a Screen in front of the customer: edit the pressed message in place, else send anew."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.constants import ParseMode
from telegram.error import BadRequest

from bot.render.screen import Screen

log = logging.getLogger(__name__)


async def show(update: Update, screen: Screen, *, edit: bool = True) -> None:
    """Edit the pressed button's message into `screen` (unchanged is fine), or send it as a new message."""
    query = update.callback_query
    if edit and query is not None and query.message is not None:
        try:
            await query.edit_message_text(screen.text, parse_mode=ParseMode.HTML, reply_markup=screen.markup)
            return
        except BadRequest as exc:
            if "not modified" in str(exc).lower():
                return  # the same screen again (a double tap, a Refresh with no news)
            # too old to edit, deleted, or not a text message: say it in a new message instead
            log.info("could not edit the message (%s); sending a new one", exc)
    if update.effective_chat is not None:
        await update.effective_chat.send_message(screen.text, parse_mode=ParseMode.HTML,
                                                 reply_markup=screen.markup)
