"""What the support desk keeps in a customer's user_data (persisted): which messages lead to support.

    user_data["support"] = {"prompt": <id of the latest prompt>, "order": <order asked about or None>,
                            "msgs": [ids of the bot's support messages in this chat, newest last],
                            "acked": <wall-clock time of the latest acknowledgement>,
                            "album": <media_group_id of an album a support reply started>,
                            "counted": <media_group_id last counted against the flood limit>}

A customer's message reaches support only as a reply to one of these messages (the prompt is a
ForceReply, so the client makes the reply by itself), or to a bot message carrying the support
reply button. That is the whole "compose mode": it lives
in the message the customer replies to, never in a conversation state, so the order
ConversationHandler's state is never read or changed by support, and a message that is not such a
reply goes on to the order flow (or the menu) exactly as if support did not exist.
"""

from __future__ import annotations

import asyncio
import weakref
from typing import Any

from telegram import Message
from telegram.ext import Application

from bot.render.support_views import NEW_DATA

LOCKS_KEY = "support.locks"  # bot_data: per-key asyncio.Lock, forgotten when no relay holds them
STATE_KEY = "support"
MAX_REMEMBERED = 40  # replies to older support messages are ordinary messages again


def state(user_data: dict[str, Any] | None) -> dict[str, Any]:
    """The customer's support state (created empty; user_data None gives a throwaway dict)."""
    if user_data is None:
        return {}
    found = user_data.get(STATE_KEY)
    if not isinstance(found, dict):
        found = user_data[STATE_KEY] = {}
    return found


def _remember(found: dict[str, Any], message_ids: list[int]) -> None:
    msgs = [m for m in found.get("msgs", []) if isinstance(m, int)] + list(message_ids)
    found["msgs"] = msgs[-MAX_REMEMBERED:]


def remember_prompt(user_data: dict[str, Any], message_id: int, order_id: int | None) -> None:
    found = state(user_data)
    found["prompt"], found["order"] = message_id, order_id
    _remember(found, [message_id])


def remember_sent(user_data: dict[str, Any], message_ids: list[int]) -> None:
    """The bot's own support messages in this customer's chat (acknowledgements): replies to them count."""
    _remember(state(user_data), message_ids)


def remember_messages(application: Application, user_id: int, message_ids: list[int]) -> None:
    """Messages sent to the customer outside their own update (an admin's answer): replies to them count."""
    _remember(state(application.user_data[user_id]), message_ids)
    application.mark_data_for_update_persistence(user_ids=user_id)


def carries_support_button(replied: Message) -> bool:
    """A bot message with the Write more / Reply button (acknowledgements, the shop's answers).

    Telegram sends the replied-to message whole, keyboard included, so a reply to one is known at
    once, even when the customer replies before the bot has noted the message's id.
    """
    markup, author = replied.reply_markup, replied.from_user
    if markup is None or author is None or not author.is_bot:
        return False
    return any(getattr(b, "callback_data", None) == NEW_DATA for row in markup.inline_keyboard for b in row)


def is_support_reply(user_data: dict[str, Any] | None, message: Message | None) -> bool:
    """Whether `message` answers one of the customer's support messages."""
    if message is None or message.reply_to_message is None:
        return False
    found = (user_data or {}).get(STATE_KEY)
    if isinstance(found, dict) and message.reply_to_message.message_id in found.get("msgs", []):
        return True
    return carries_support_button(message.reply_to_message)


def open_album(user_data: dict[str, Any] | None, message: Message) -> None:
    """A support reply that is part of an album: the album's other items go to support too.

    Called while PTB checks the update (synchronously), so the album is known before the album's
    next item is checked, whenever the relays themselves run.
    """
    if user_data is not None and message.media_group_id is not None:
        state(user_data)["album"] = message.media_group_id


def continues_album(user_data: dict[str, Any] | None, message: Message | None) -> bool:
    """A later item of an album whose first item went to support (clients may mark only one as a reply)."""
    found = (user_data or {}).get(STATE_KEY)
    return (message is not None and message.media_group_id is not None and isinstance(found, dict)
            and found.get("album") == message.media_group_id)


def counts_for_flood(user_data: dict[str, Any], message: Message) -> bool:
    """Whether this message counts against the flood limit: an album counts once (at most 10 items)."""
    found = state(user_data)
    album = message.media_group_id
    first = album is None or album != found.get("counted")
    found["counted"] = album
    return first


def take_order(user_data: dict[str, Any], message: Message) -> int | None:
    """The order asked about, when this message answers the prompt that named it (used once)."""
    found = state(user_data)
    if message.reply_to_message is None or message.reply_to_message.message_id != found.get("prompt"):
        return None
    order_id = found.get("order")
    found["order"] = None
    return order_id if isinstance(order_id, int) else None


def relay_lock(application: Application, key: object) -> asyncio.Lock:
    """The lock that keeps one customer's relays (or the admins' answers) in order.

    The relays run with block=False, so a slow group (Telegram's 20 messages a minute per group)
    never holds up other customers' updates. Taken before the first await of the callback, the
    lock hands the relays out in the order their updates arrived (asyncio locks are FIFO), and a
    customer's first messages never race to create two topics.
    """
    locks = application.bot_data.setdefault(LOCKS_KEY, weakref.WeakValueDictionary())
    lock = locks.get(key)
    if lock is None:
        lock = locks[key] = asyncio.Lock()
    return lock
