"""Background pushes to customers (order statuses, admin credits, broadcasts)."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from telegram import Bot
from telegram.error import BadRequest, Forbidden, TimedOut

from bot.domain import customers
from bot.storage import users
from bot.storage.db import Database

if TYPE_CHECKING:
    from bot.runtime import Runtime

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


async def push_to_customer(bot: Bot, rt: Runtime, user_id: int,
                           render: Callable[[Callable[..., str]], Iterable[str]], *, what: str = "push") -> bool:
    """Send `render(tr)`'s messages in the customer's language; False when skipped (blocked, no chat).

    A timeout counts as sent: the message may have arrived, and resending could tell it twice.
    Other Telegram errors propagate (the rest is not sent): the caller decides what a failure means.
    """
    user = await customers.get_customer(rt.db, user_id)
    if user is not None and user.blocked:
        log.debug("user %s blocked the bot; %s not sent", user_id, what)
        return False
    tr = rt.i18n.bind(rt.i18n.resolve(user.language if user else None, None, rt.settings.shop.default_locale))
    for text in render(tr):
        try:
            if not await send_to_user(bot, rt.db, user_id, text):
                return False  # blocked (now marked) or no chat: the rest would fail the same way
        except TimedOut:
            log.warning("%s to user %s timed out; not resent (it may have arrived)", what, user_id)
    return True
