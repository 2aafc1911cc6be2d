"""Background pushes to customers (order statuses, admin credits, broadcasts)."""

from __future__ import annotations

import logging
from typing import Any

from telegram import Bot
from telegram.error import BadRequest, Forbidden

from bot.storage import users
from bot.storage.db import Database

log = logging.getLogger(__name__)


async def send_to_user(bot: Bot, db: Database, user_id: int, text: str, **kwargs: Any) -> bool:
    """Send a message to a customer; False (and marked blocked) when they blocked the bot.

    RetryAfter is waited out by the application's rate limiter. Other Telegram errors (network,
    timeouts) propagate: the caller decides whether to retry a push that may have arrived.
    """
    try:
        await bot.send_message(chat_id=user_id, text=text, **kwargs)
    except Forbidden:
        # blocked, deactivated or kicked: stop pushing until they write again (users.touch clears it)
        async with db.transaction() as conn:
            await users.set_blocked(conn, user_id, True)
        log.info("user %s cannot be reached (blocked the bot); marked blocked", user_id)
        return False
    except BadRequest as exc:
        if "chat not found" not in str(exc).lower():
            raise
        log.warning("user %s has no chat with the bot; message not sent", user_id)
        return False
    return True
