"""Which private messages reach support: replies to the desk's own messages, nothing else."""

from __future__ import annotations

from telegram import Message

from bot.handlers.support.state import STATE_KEY, is_support_reply, remember_prompt, take_order
from bot.render.support_views import NEW_DATA

BOT = {"id": 7000001, "is_bot": True, "first_name": "Bot"}
CUSTOMER = {"id": 42, "is_bot": False, "first_name": "Alice"}
CHAT = {"id": 42, "type": "private", "first_name": "Alice"}


def reply(to_id: int, *, author: dict = BOT, data: str | None = None) -> Message:
    replied = {"message_id": to_id, "date": 0, "chat": CHAT, "from": author, "text": "x"}
    if data is not None:
        replied["reply_markup"] = {"inline_keyboard": [[{"text": "b", "callback_data": data}]]}
    return Message.de_json({"message_id": 100, "date": 0, "chat": CHAT, "from": CUSTOMER, "text": "hi",
                            "reply_to_message": replied}, None)


def test_replies_to_remembered_or_marked_messages_only() -> None:
    user_data: dict = {}
    remember_prompt(user_data, 5, order_id=9)
    assert is_support_reply(user_data, reply(5))
    assert not is_support_reply(user_data, reply(6))  # another bot message (a menu)
    assert is_support_reply({}, reply(6, data=NEW_DATA))  # an acknowledgement or answer: its button says so
    assert not is_support_reply({}, reply(6, data="menu:home"))
    assert not is_support_reply({}, reply(6, author=CUSTOMER, data=NEW_DATA))  # only the bot's messages
    assert not is_support_reply({STATE_KEY: "broken"}, reply(5))


def test_the_order_asked_about_is_attached_once() -> None:
    user_data: dict = {}
    remember_prompt(user_data, 5, order_id=9)
    assert take_order(user_data, reply(6)) is None  # not the prompt that named it
    assert take_order(user_data, reply(5)) == 9
    assert take_order(user_data, reply(5)) is None
