"""The fake Bot API plus what the payment methods need: customers' replies and receipts, and provider
(card) invoices checked like Telegram checks them (copyMessage and photos come from the shared fake)."""

from __future__ import annotations

from tests.fakes.telegram_records import BotMessage, Call, bad_request
from tests.payments.stars_fake import StarsTelegram


class PayTelegram(StarsTelegram):
    def reply(self, user_id: int, to: BotMessage, text: str, **kwargs) -> dict:
        """A customer (or an admin in the group: chat_id=…) replies to one of the bot's messages."""
        update = self.send_text(user_id, text, **kwargs)
        update["message"]["reply_to_message"] = to.to_api()
        return update

    def send_photo(self, user_id: int, *, caption: str | None = None, reply_to: BotMessage | None = None) -> dict:
        """A customer sends a photo (a receipt), the way the shared fake records incoming media."""
        return self.send_message_update(user_id, photo=True, caption=caption, reply_to=reply_to)

    async def _api_sendInvoice(self, call: Call) -> dict:  # noqa: N802
        currency = call.params.get("currency")
        if currency != "XTR" and not call.params.get("provider_token"):
            raise bad_request("PAYMENT_PROVIDER_INVALID")
        return await super()._api_sendInvoice(call)
