"""The fake Bot API plus what the payment methods need: copyMessage, customers' photos and documents,
replies, and provider (card) invoices checked like Telegram checks them."""

from __future__ import annotations

import time

from tests.fakes.telegram_records import BotMessage, Call, bad_request
from tests.payments.stars_fake import StarsTelegram


class PayTelegram(StarsTelegram):
    def reply(self, user_id: int, to: BotMessage, text: str, **kwargs) -> dict:
        """A customer (or an admin in the group: chat_id=…) replies to one of the bot's messages."""
        update = self.send_text(user_id, text, **kwargs)
        update["message"]["reply_to_message"] = to.to_api()
        return update

    def send_photo(self, user_id: int, *, caption: str | None = None, reply_to: BotMessage | None = None) -> dict:
        user = self.user(user_id)
        chat = self.chat(user_id, "private", user)
        message = {"message_id": self._next_message_id(user_id), "date": int(time.time()), "chat": chat,
                   "from": user, "photo": [{"file_id": f"ph{user_id}", "file_unique_id": f"u{user_id}",
                                            "width": 90, "height": 90}]}
        if caption:
            message["caption"] = caption
        if reply_to is not None:
            message["reply_to_message"] = reply_to.to_api()
        return self.send_update({"message": message})

    async def _api_copyMessage(self, call: Call) -> dict:  # noqa: N802 - Bot API name
        chat_id = call.chat_id
        if chat_id in self.missing_chats:
            raise bad_request("chat not found")
        message = BotMessage(chat=self.chat(chat_id, "supergroup" if chat_id < 0 else "private"),
                             message_id=self._next_message_id(chat_id), text="(copied receipt)",
                             plain="(copied receipt)", reply_markup=None)
        self.messages.setdefault(chat_id, []).append(message)
        call.message = message
        return {"message_id": message.message_id}

    async def _api_sendInvoice(self, call: Call) -> dict:  # noqa: N802
        currency = call.params.get("currency")
        if currency != "XTR" and not call.params.get("provider_token"):
            raise bad_request("PAYMENT_PROVIDER_INVALID")
        return await super()._api_sendInvoice(call)
