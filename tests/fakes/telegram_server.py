"""A fake Telegram Bot API on 127.0.0.1 for end-to-end tests (aiohttp.web).

    async with FakeTelegram() as tg:                  # tg.url -> TELEGRAM_API_URL, tg.token -> BOT_TOKEN
        tg.send_text(42, "/start")                      # a customer writes (update queued for getUpdates)
        call = await tg.wait_for("sendMessage", chat_id=42)   # the bot's answer (a Call)
        msg = tg.last_message(42)                       # BotMessage: .text (HTML), .plain, .buttons
        tg.press(42, msg, msg.buttons[0][1])            # press an inline button (any data: forged too)
        tg.press_button(42, msg, "Cancel")              # ...or by its label

Bot side: routes `/bot{token}/{method}` accept form data (values JSON-encoded, as PTB sends them)
and JSON bodies. Implemented: getMe, deleteWebhook, setWebhook, getUpdates (long poll honouring
offset/timeout), setMyCommands (per scope and language_code), sendMessage, sendPhoto (the upload on the
BotMessage), setChatMenuButton (kept in `menu_button`), editMessageText, editMessageReplyMarkup,
getChatMember, getWebhookInfo, get/setMyDescription, get/setMyShortDescription (telegram_server_ops.py),
answerCallbackQuery, deleteMessage, sendChatAction, sendInvoice, answerPreCheckoutQuery,
refundStarPayment, and (tests/fakes/telegram_forum.py) getChat, createForumTopic, editForumTopic,
closeForumTopic, reopenForumTopic, deleteForumTopic, copyMessage, message_thread_id on sends, and
incoming photos/documents/voice, replies and topic messages; anything else answers ok/true. Every call is recorded (`calls`) with decoded
params and a monotonic timestamp. Checks like Telegram's: HTML must parse, text ≤ 4096,
callback_data ≤ 64 bytes, ≤ 100 buttons, identical edit → 400 "message is not modified", a
callback query answered twice → 400 "query is too old".
Chat ids in `blocked` → 403 "Forbidden: bot was blocked by the user"; in `missing_chats` → 400
"chat not found"; `fail_next(method, ...)` injects an error (e.g. 429 with retry_after).

Waiting: `wait_for(...)` looks at calls made since the last customer action (send_text, press,
send_update...) unless `since=` says otherwise, so "the answer to what I just did" is the default.
`next_message(chat)` is the next sendMessage there; `next_reply(chat)` also accepts an edit.
`settle()` waits until every queued update was fetched and the bot has been quiet for a moment.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import time
from collections.abc import Callable
from typing import Any

from aiohttp import web

from tests.fakes.telegram_customers import ADMIN_CHAT_ID, CustomerMixin
from tests.fakes.telegram_forum import ForumMixin
from tests.fakes.telegram_records import (
    BOT_ID,
    BOT_USER,
    ApiError,
    BotMessage,
    Call,
    bad_request,
    check_markup,
    check_text,
)
from tests.fakes.telegram_server_methods import MethodsMixin, menu_key
from tests.fakes.telegram_server_ops import OpsMethodsMixin

TOKEN = f"{BOT_ID}:AAHfakeTokenForTestsOnly_0123456789abcdef"
# params PTB sends as plain strings: never JSON-decode them ("123" must stay a text)
STRING_PARAMS = {"text", "caption", "callback_query_id", "title", "description", "payload", "provider_token",
                 "currency", "start_parameter", "url", "secret_token", "parse_mode", "action",
                 "telegram_payment_charge_id", "error_message", "inline_message_id", "language_code",
                 "emoji", "business_connection_id", "message_effect_id", "name", "query", "photo",
                 "short_description"}


class FakeTelegram(CustomerMixin, MethodsMixin, ForumMixin, OpsMethodsMixin):
    """The fake Bot API server plus customer-side helpers; see the module docstring."""

    def __init__(self, token: str = TOKEN, *, port: int = 0) -> None:
        self.token = token
        self.port = port  # 0: any free port
        self.url = ""
        self.calls: list[Call] = []
        self.blocked: set[int] = set()
        self.missing_chats: set[int] = set()
        # getChatMember: (chat id or @username, user id) -> status; chats whose member list the bot cannot read
        self.chat_members: dict[tuple[int | str, int], str] = {}
        self.members_hidden: set[int | str] = set()
        self.messages: dict[int, list[BotMessage]] = {}
        # setMyCommands by (scope_key, language_code); `commands` is the default scope's, by language_code
        self.menus: dict[tuple[str | None, str | None], list[dict]] = {}
        self.menu_button: dict | None = None  # setChatMenuButton
        self.polls = 0  # getUpdates calls (not in `calls`, where polling would drown the rest)
        self._updates: list[dict] = []  # not yet confirmed by an offset
        self._last_update_id = 0
        self._confirmed_offset = 0
        self._ids = itertools.count(1)
        self._message_ids: dict[int, itertools.count] = {}
        self._chats: dict[int, dict] = {}
        self._users: dict[int, dict] = {}
        self._faults: dict[str, list[ApiError]] = {}
        self._open_queries: set[str] = set()  # callback queries not yet answered
        self._changed = asyncio.Event()
        self._closing = False
        self._mark = 0
        self._runner: web.AppRunner | None = None
        self._forum_init()
        self._ops_state()

    # --- lifecycle -----------------------------------------------------------------------------

    async def start(self) -> str:
        """Listen on 127.0.0.1 (a free port); returns the root URL for TELEGRAM_API_URL."""
        app = web.Application()
        app.router.add_route("*", "/bot{token}/{method}", self._handle)
        self._runner = web.AppRunner(app, shutdown_timeout=0.5, handle_signals=False)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", self.port)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self.url = f"http://127.0.0.1:{port}"
        return self.url

    async def stop(self) -> None:
        self._closing = True
        self._notify()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> FakeTelegram:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    # --- customer side -------------------------------------------------------------------------

    def send_update(self, update: dict) -> dict:
        """Queue any update (an update_id is assigned when missing); returns it."""
        if "update_id" not in update:
            self._last_update_id += 1
            update = {"update_id": self._last_update_id, **update}
        self._last_update_id = max(self._last_update_id, update["update_id"])
        message = update.get("message")
        if isinstance(message, dict) and "chat" in message:  # copyMessage can copy it, as Telegram could
            self.incoming[(message["chat"]["id"], message.get("message_id"))] = message
        self._updates.append(update)
        self._mark = len(self.calls)
        self._notify()
        return update

    # --- inspection ----------------------------------------------------------------------------

    def calls_of(self, method: str, *, since: int = 0, chat_id: int | None = None) -> list[Call]:
        return [c for c in self.calls[since:] if c.method == method and (chat_id is None or c.chat_id == chat_id)]

    def messages_to(self, chat_id: int) -> list[BotMessage]:
        """The bot's messages in a chat, oldest first, deleted ones left out."""
        return [m for m in self.messages.get(chat_id, []) if not m.deleted]

    def last_message(self, chat_id: int) -> BotMessage | None:
        found = self.messages_to(chat_id)
        return found[-1] if found else None

    @property
    def commands(self) -> dict[str | None, list[dict]]:
        """The default scope's menus by language_code (None: no language given)."""
        return {lang: menu for (scope, lang), menu in self.menus.items() if scope is None}

    def scoped_commands(self, scope: dict, language_code: str | None = None) -> list[dict] | None:
        """The menu published for a scope, e.g. {"type": "chat", "chat_id": ADMIN_CHAT_ID}; None if never set."""
        return self.menus.get(menu_key(scope, language_code))

    @staticmethod
    def buttons(message: BotMessage) -> list[tuple[str, str | None]]:
        return message.buttons

    # a test-facing deadline reported as AssertionError, hence the timeout parameters (ASYNC109)
    async def wait_for(self, method: str | tuple[str, ...], predicate: Callable[[Call], bool] | None = None, *,
                       timeout: float = 5.0,  # noqa: ASYNC109
                       chat_id: int | None = None, since: int | None = None) -> Call:
        """The first matching call since the last customer action (or `since`); AssertionError on timeout.

        `method` may be a tuple of method names (any of them matches).
        """
        methods = (method,) if isinstance(method, str) else method
        start = self._mark if since is None else since
        deadline = time.monotonic() + timeout
        while True:
            changed = self._changed
            for call in self.calls[start:]:
                if call.method in methods and (chat_id is None or call.chat_id == chat_id) and (
                        predicate is None or predicate(call)):
                    return call
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                seen = [(c.method, c.chat_id, (c.text or "")[:60]) for c in self.calls[start:]]
                raise AssertionError(f"no {method} call within {timeout}s; calls since: {seen}")
            try:
                await asyncio.wait_for(changed.wait(), remaining)
            except TimeoutError:
                pass

    async def next_message(self, chat_id: int, *, timeout: float = 5.0) -> BotMessage:  # noqa: ASYNC109
        """The message the bot sends next to chat_id (since the last customer action)."""
        call = await self.wait_for("sendMessage", lambda c: c.ok, chat_id=chat_id, timeout=timeout)
        assert call.message is not None
        return call.message

    async def next_reply(self, chat_id: int, *, timeout: float = 5.0) -> BotMessage:  # noqa: ASYNC109
        """The bot's next new or edited message in chat_id (since the last customer action), as it is now."""
        call = await self.wait_for(("sendMessage", "editMessageText", "editMessageReplyMarkup"),
                                   lambda c: c.ok, chat_id=chat_id, timeout=timeout)
        assert call.message is not None
        return call.message

    async def settle(self, quiet: float = 0.2, timeout: float = 10.0) -> None:  # noqa: ASYNC109
        """Wait until the bot fetched every queued update and made no call for `quiet` seconds."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            last = self.calls[-1].at if self.calls else 0.0
            if self._confirmed_offset > self._last_update_id and time.monotonic() - last >= quiet:
                return
            await asyncio.sleep(quiet / 4)
        raise AssertionError("the bot did not settle")

    def fail_next(self, method: str, status: int = 429, description: str | None = None, *,
                  retry_after: int | None = None, times: int = 1) -> None:
        """Answer the next `times` calls of method with an error (429 → RetryAfter)."""
        if description is None:
            description = f"Too Many Requests: retry after {retry_after or 1}" if status == 429 else "Bad Request"
        if status == 429 and retry_after is None:
            retry_after = 1
        self._faults.setdefault(method, []).extend(ApiError(status, description, retry_after) for _ in range(times))

    # --- server internals ----------------------------------------------------------------------

    def _notify(self) -> None:
        self._changed.set()
        self._changed = asyncio.Event()

    def _next_message_id(self, chat_id: int) -> int:
        return next(self._message_ids.setdefault(chat_id, itertools.count(1)))

    async def _handle(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token:
            return web.json_response({"ok": False, "error_code": 401, "description": "Unauthorized"}, status=401)
        method = request.match_info["method"]
        params = await _decode(request)
        call = Call(index=len(self.calls), method=method, params=params)
        try:
            faults = self._faults.get(method)
            if faults:
                raise faults.pop(0)
            handler = getattr(self, f"_api_{method}", None)
            result = await handler(call) if handler else True
        except ApiError as err:
            call.ok, call.error = False, err.description
            self._record(call)
            return web.json_response(err.body(), status=err.status)
        self._record(call)
        return web.json_response({"ok": True, "result": result})

    def _record(self, call: Call) -> None:
        if call.method != "getUpdates":  # polling would drown what tests look for
            self.calls.append(call)
            self._notify()

    def _new_message(self, call: Call, text: str | None, *, invoice: dict | None = None) -> BotMessage:
        chat_id = call.chat_id
        if chat_id in self.blocked:
            raise ApiError(403, "Forbidden: bot was blocked by the user")
        if chat_id in self.missing_chats or not isinstance(chat_id, int):
            raise bad_request("chat not found")
        plain = "" if invoice else check_text(text, call.params.get("parse_mode"))
        markup = check_markup(call.params.get("reply_markup"))
        thread_id = self.check_thread(chat_id, call.params.get("message_thread_id"))
        chat = self.chat(chat_id, "private" if chat_id > 0 else "supergroup")
        message = BotMessage(chat=chat, message_id=self._next_message_id(chat_id), text=text or "",
                             plain=plain, reply_markup=markup, invoice=invoice, thread_id=thread_id)
        self.messages.setdefault(chat_id, []).append(message)
        call.message = message
        return message

    def _find_message(self, call: Call, verb: str) -> BotMessage:
        chat_id, message_id = call.chat_id, call.params.get("message_id")
        if chat_id in self.blocked:
            raise ApiError(403, "Forbidden: bot was blocked by the user")
        for message in self.messages.get(chat_id, []):
            if message.message_id == message_id and not message.deleted:
                return message
        raise bad_request(f"message to {verb} not found")


async def _decode(request: web.Request) -> dict[str, Any]:
    """Params of a Bot API request: JSON body, or form/query fields with JSON-encoded values."""
    if request.content_type == "application/json":
        body = await request.json()
        return dict(body) if isinstance(body, dict) else {}
    fields: dict[str, Any] = dict(request.query)
    if request.can_read_body:
        form = await request.post()
        fields.update({k: v for k, v in form.items() if isinstance(v, str)})
        files = {k: {"filename": v.filename, "content": v.file.read()} for k, v in form.items()
                 if isinstance(v, web.FileField)}  # sendDocument and friends upload multipart files
    else:
        files = {}
    decoded: dict[str, Any] = dict(files)
    for key, value in fields.items():
        if key in STRING_PARAMS:
            decoded[key] = value
            continue
        try:
            decoded[key] = json.loads(value)
        except ValueError:
            decoded[key] = value
    return decoded


__all__ = ["ADMIN_CHAT_ID", "BOT_ID", "BOT_USER", "TOKEN", "ApiError", "BotMessage", "Call", "FakeTelegram"]
