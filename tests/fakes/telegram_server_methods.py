"""The Bot API methods of FakeTelegram (tests/fakes/telegram_server.py), one `_api_<method>` each."""

from __future__ import annotations

import asyncio
import json
import time
from typing import TYPE_CHECKING, Any

from tests.fakes.telegram_records import BOT_USER, ApiError, Call, bad_request, check_markup, check_text

if TYPE_CHECKING:
    from tests.fakes.telegram_server import FakeTelegram

NOT_MODIFIED = ("message is not modified: specified new message content and reply markup are exactly the "
                "same as a current content and reply markup of the message")


def scope_key(scope: dict | str | None) -> str | None:
    """A BotCommandScope as a hashable key: None for the default scope, else its sorted JSON."""
    if isinstance(scope, str):
        scope = json.loads(scope)
    if not scope or scope.get("type") == "default":
        return None
    return json.dumps({k: (int(v) if k == "chat_id" and str(v).lstrip("-").isdigit() else v)
                       for k, v in scope.items()}, sort_keys=True)


def menu_key(scope: dict | str | None, language_code: str | None) -> tuple[str | None, str | None]:
    """Where setMyCommands stores a menu: (scope_key, language code or None)."""
    return scope_key(scope), language_code or None


class MethodsMixin:
    """Bot API methods; `self` is the FakeTelegram."""

    async def _api_getMe(self: FakeTelegram, call: Call) -> dict:  # noqa: N802 - Bot API names
        return BOT_USER

    async def _api_deleteWebhook(self: FakeTelegram, call: Call) -> bool:  # noqa: N802
        if call.params.get("drop_pending_updates"):
            self._updates.clear()
        return True

    async def _api_setWebhook(self: FakeTelegram, call: Call) -> bool:  # noqa: N802
        return True

    async def _api_getUpdates(self: FakeTelegram, call: Call) -> list[dict]:  # noqa: N802
        """Long poll: updates from `offset` on, waiting up to `timeout` seconds for one to arrive."""
        self.polls += 1
        offset = int(call.params.get("offset") or 0)
        limit = int(call.params.get("limit") or 100)
        if offset:
            self._updates = [u for u in self._updates if u["update_id"] >= offset]
            self._confirmed_offset = max(self._confirmed_offset, offset)
        deadline = time.monotonic() + float(call.params.get("timeout") or 0)
        while True:
            changed = self._changed
            ready = [u for u in self._updates if u["update_id"] >= offset][:limit]
            remaining = deadline - time.monotonic()
            if ready or self._closing or remaining <= 0:
                return ready
            try:
                await asyncio.wait_for(changed.wait(), remaining)
            except TimeoutError:
                pass

    async def _api_setMyCommands(self: FakeTelegram, call: Call) -> bool:  # noqa: N802
        """Store the menu per (scope, language_code); the default scope's stay in `commands` by language."""
        self.menus[menu_key(call.params.get("scope"), call.params.get("language_code"))] = \
            list(call.params.get("commands") or [])
        return True

    async def _api_sendMessage(self: FakeTelegram, call: Call) -> dict:  # noqa: N802
        return self._new_message(call, call.params.get("text")).to_api()

    def _channel_member(self: FakeTelegram, call: Call) -> dict:
        """getChatMember of a channel (`chat_members`, default "left"); refused where the bot is no admin.

        The one getChatMember (telegram_server_ops.py) sends channels (@username, or set up here) this way.
        """
        chat = call.params.get("chat_id")
        if chat in self.members_hidden:
            raise bad_request("member list is inaccessible")
        user_id = int(call.params.get("user_id"))
        status = self.chat_members.get((chat, user_id), "left")
        member = {"status": status, "user": {"id": user_id, "is_bot": False, "first_name": f"User{user_id}"}}
        if status == "creator":
            member["is_anonymous"] = False
        return member

    async def _api_sendDocument(self: FakeTelegram, call: Call) -> dict:  # noqa: N802
        """A document uploaded as a multipart file (kept with its bytes for the test to read)."""
        upload = call.params.get("document")
        if not isinstance(upload, dict) or "content" not in upload:
            raise bad_request("there is no document in the request")
        message = self._new_message(call, call.params.get("caption") or "")
        message.document = {"file_name": upload["filename"], "content": upload["content"]}
        return message.to_api()

    async def _api_sendPhoto(self: FakeTelegram, call: Call) -> dict:  # noqa: N802
        """A photo upload: PNG bytes required, the caption checked like a text (≤ 1024 characters)."""
        upload = call.params.get("photo")
        photo = upload.get("content") if isinstance(upload, dict) else None
        if not isinstance(photo, bytes) or not photo.startswith(b"\x89PNG"):
            raise bad_request("wrong file: expected an uploaded PNG")
        caption = call.params.get("caption") or ""
        if len(caption) > 1024:
            raise bad_request("message caption is too long")
        message = self._new_message(call, caption) if caption else self._new_message(call, "​")
        message.photo = photo
        return message.to_api()

    async def _api_setChatMenuButton(self: FakeTelegram, call: Call) -> bool:  # noqa: N802
        """The default (or one chat's) menu button, as sent."""
        self.menu_button = call.params.get("menu_button")
        return True

    async def _api_sendInvoice(self: FakeTelegram, call: Call) -> dict:  # noqa: N802
        p = call.params
        if p.get("currency") == "XTR" and p.get("provider_token"):
            raise bad_request("provider token must be empty for payments in Telegram Stars")
        prices = p.get("prices") or []
        if not prices:
            raise bad_request("prices must be non-empty")
        invoice = {"title": p.get("title", ""), "description": p.get("description", ""),
                   "start_parameter": p.get("start_parameter", ""), "currency": p.get("currency", ""),
                   "total_amount": sum(int(price.get("amount", 0)) for price in prices)}
        return self._new_message(call, None, invoice=invoice).to_api()

    async def _api_editMessageText(self: FakeTelegram, call: Call) -> dict:  # noqa: N802
        message = self._find_message(call, "edit")
        text = call.params.get("text")
        plain = check_text(text, call.params.get("parse_mode"))
        markup = check_markup(call.params.get("reply_markup"))  # absent: the keyboard is removed
        if text == message.text and markup == message.reply_markup:
            raise bad_request(NOT_MODIFIED)
        message.text, message.plain, message.reply_markup = text, plain, markup
        message.edits += 1
        call.message = message
        return message.to_api()

    async def _api_editMessageReplyMarkup(self: FakeTelegram, call: Call) -> dict:  # noqa: N802
        message = self._find_message(call, "edit")
        markup = check_markup(call.params.get("reply_markup"))
        if markup == message.reply_markup:
            raise bad_request(NOT_MODIFIED)
        message.reply_markup = markup
        message.edits += 1
        call.message = message
        return message.to_api()

    async def _api_deleteMessage(self: FakeTelegram, call: Call) -> bool:  # noqa: N802
        self._find_message(call, "delete").deleted = True
        return True

    async def _api_answerCallbackQuery(self: FakeTelegram, call: Call) -> bool:  # noqa: N802
        if len(call.params.get("text") or "") > 200:
            raise bad_request("MESSAGE_TOO_LONG")
        query_id = str(call.params.get("callback_query_id"))
        if query_id not in self._open_queries:  # answered twice, or never sent
            raise bad_request("query is too old and response timeout expired or query ID is invalid")
        self._open_queries.discard(query_id)
        return True

    async def _api_sendChatAction(self: FakeTelegram, call: Call) -> bool:  # noqa: N802
        if call.chat_id in self.blocked:
            raise ApiError(403, "Forbidden: bot was blocked by the user")
        return True

    async def _api_answerPreCheckoutQuery(self: FakeTelegram, call: Call) -> bool:  # noqa: N802
        if not call.params.get("ok") and not call.params.get("error_message"):
            raise bad_request("error_message is required when ok is false")
        return True

    async def _api_refundStarPayment(self: FakeTelegram, call: Call) -> bool:  # noqa: N802
        if not call.params.get("telegram_payment_charge_id"):
            raise bad_request("CHARGE_ID_EMPTY")
        return True

    async def _api_getMyCommands(self: FakeTelegram, call: Call) -> list[dict[str, Any]]:  # noqa: N802
        return self.menus.get(menu_key(call.params.get("scope"), call.params.get("language_code")), [])
