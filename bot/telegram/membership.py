"""REQUIRED_CHANNEL: has a customer joined the operator's channel? (getChatMember, cached)

Only a "joined" answer is cached (CHANNEL_CHECK_SECONDS), so a customer who has just joined is seen
at once when they press "I've joined". When Telegram will not tell (the bot is not an admin of the
channel, or the channel is wrong) the answer is None: the caller lets the customer order — a
misconfigured channel must not stop the shop — and the admin group is told, at most hourly.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from telegram.constants import ChatMemberStatus
from telegram.error import TelegramError
from telegram.ext import CallbackContext

from bot.runtime import runtime
from bot.telegram import alerts
from bot.telegram.redact import redact

log = logging.getLogger(__name__)

CACHE_KEY = "channel_members"  # bot_data: user id -> monotonic time of the last "joined"
ALERT_KEY = "channel_unchecked_alerted"
ALERT_EVERY_SECONDS = 3600
JOINED = {ChatMemberStatus.MEMBER, ChatMemberStatus.ADMINISTRATOR, ChatMemberStatus.OWNER}


def _chat_id(channel: str) -> int | str:
    return channel if channel.startswith("@") else int(channel)


async def has_joined(context: CallbackContext[Any, Any, Any, Any], user_id: int, *, fresh: bool = False) -> bool | None:
    """True/False from Telegram (or the cache); None when it cannot be checked (see the module docstring)."""
    rt = runtime(context)
    channel = rt.settings.storefront.required_channel
    if channel is None:
        return True
    cache: dict[int, float] = context.application.bot_data.setdefault(CACHE_KEY, {})
    seen = cache.get(user_id)
    if not fresh and seen is not None and time.monotonic() - seen < rt.settings.storefront.channel_check_seconds:
        return True
    try:
        member = await context.bot.get_chat_member(chat_id=_chat_id(channel), user_id=user_id)
    except TelegramError as exc:
        await _cannot_check(context, channel, str(exc))
        return None
    joined = member.status in JOINED or (member.status == ChatMemberStatus.RESTRICTED and bool(
        getattr(member, "is_member", False)))
    if joined:
        cache[user_id] = time.monotonic()
    else:
        cache.pop(user_id, None)
    return joined


async def _cannot_check(context: CallbackContext[Any, Any, Any, Any], channel: str, error: str) -> None:
    log.warning("cannot check membership of %s: %s", channel, redact(error))
    last = context.application.bot_data.get(ALERT_KEY)
    if last is not None and time.monotonic() - last < ALERT_EVERY_SECONDS:
        return
    context.application.bot_data[ALERT_KEY] = time.monotonic()
    rt = runtime(context)
    await alerts.alert(context, rt.settings, rt.i18n, "shop.alert_channel_unchecked", channel=channel,
                       error=redact(error)[:200])
