"""Customer-side helpers of FakeTelegram (tests/fakes/telegram_server.py): updates as clients send them."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from tests.fakes.telegram_records import BotMessage

if TYPE_CHECKING:
    from tests.fakes.telegram_server import FakeTelegram

ADMIN_CHAT_ID = -1001234567890  # the admin supergroup tests use by default


class CustomerMixin:
    """What customers (and Telegram itself, for payments) send; `self` is the FakeTelegram."""

    def user(self: FakeTelegram, user_id: int, *, language_code: str | None = None, username: str | None = None,
             first_name: str | None = None) -> dict:
        """The User object of a customer (remembered; later arguments update it)."""
        profile = self._users.setdefault(user_id, {"id": user_id, "is_bot": False,
                                                   "first_name": first_name or f"User{user_id}",
                                                   "language_code": "en"})
        for key, value in (("language_code", language_code), ("username", username), ("first_name", first_name)):
            if value is not None:
                profile[key] = value
        return profile

    def chat(self: FakeTelegram, chat_id: int, chat_type: str = "private", user: dict | None = None) -> dict:
        """The Chat object of a chat id (private chats take the user's names; groups a title)."""
        if chat_id not in self._chats:
            if chat_type == "private":
                chat = {"id": chat_id, "type": "private", "first_name": (user or {}).get("first_name", "User")}
                if user and user.get("username"):
                    chat["username"] = user["username"]
            else:
                chat = {"id": chat_id, "type": chat_type, "title": f"Chat {chat_id}"}
            self._chats[chat_id] = chat
        chat = self._chats[chat_id]
        if chat["type"] == "supergroup":  # Telegram's Chat says whether topics are on (tests flip it)
            if chat_id in getattr(self, "forums", ()):
                chat["is_forum"] = True
            else:
                chat.pop("is_forum", None)
        return chat

    def send_text(self: FakeTelegram, user_id: int, text: str, *, chat_id: int | None = None, language_code: str = "en",
                  chat_type: str = "private", username: str | None = None) -> dict:
        """A customer sends text (commands get their bot_command entity); returns the update."""
        user = self.user(user_id, language_code=language_code, username=username)
        chat = self.chat(chat_id if chat_id is not None else user_id,
                         chat_type if chat_id is not None else "private", user)
        message: dict[str, Any] = {"message_id": self._next_message_id(chat["id"]), "date": int(time.time()),
                                   "chat": chat, "from": user, "text": text}
        if text.startswith("/"):
            message["entities"] = [{"type": "bot_command", "offset": 0, "length": len(text.split()[0])}]
        return self.send_update({"message": message})

    def send_group_text(self: FakeTelegram, user_id: int, text: str, *, chat_id: int = ADMIN_CHAT_ID, **kwargs: Any) -> dict:
        """A member writes in a group (the admin group by default)."""
        return self.send_text(user_id, text, chat_id=chat_id, chat_type="supergroup", **kwargs)

    def press(self: FakeTelegram, user_id: int, message: BotMessage, data: str, *, language_code: str | None = None) -> dict:
        """A customer presses a button of a bot message; `data` is sent as is (forgeries too)."""
        user = self.user(user_id, language_code=language_code)
        query_id = str(next(self._ids))
        self._open_queries.add(query_id)
        query = {"id": query_id, "from": user, "message": message.to_api(),
                 "chat_instance": str(message.chat_id), "data": data}
        return self.send_update({"callback_query": query})

    def press_button(self: FakeTelegram, user_id: int, message: BotMessage, label: str) -> dict:
        """Press the first inline button whose text contains `label`."""
        for text, data in message.buttons:
            if label in text and data is not None:
                return self.press(user_id, message, data)
        raise AssertionError(f"no button {label!r} in {[t for t, _ in message.buttons]}")

    def pre_checkout(self: FakeTelegram, user_id: int, payload: str, total_amount: int, currency: str = "XTR") -> dict:
        """A customer confirms a payment sheet (the bot must answer within 10 s)."""
        query = {"id": str(next(self._ids)), "from": self.user(user_id), "currency": currency,
                 "total_amount": total_amount, "invoice_payload": payload}
        return self.send_update({"pre_checkout_query": query})

    def successful_payment(self: FakeTelegram, user_id: int, payload: str, total_amount: int, charge_id: str,
                           currency: str = "XTR") -> dict:
        """Telegram reports a completed payment in the customer's chat."""
        user = self.user(user_id)
        chat = self.chat(user_id, "private", user)
        payment = {"currency": currency, "total_amount": total_amount, "invoice_payload": payload,
                   "telegram_payment_charge_id": charge_id, "provider_payment_charge_id": ""}
        return self.send_update({"message": {"message_id": self._next_message_id(user_id), "date": int(time.time()),
                                             "chat": chat, "from": user, "successful_payment": payment}})
