"""The application's error handler: log it, show the admins, apologise to the customer.

Registered by bot/app.py with `application.add_error_handler(ErrorReporter().handle)`. Every
text leaving here is redacted (bot/telegram/redact.py); the handler never raises.
"""

from __future__ import annotations

import contextlib
import html
import logging
import time
import traceback
from typing import Any

from telegram import Update
from telegram.ext import CallbackContext

from bot.runtime import RUNTIME_KEY, Runtime
from bot.telegram.alerts import post_admin
from bot.telegram.language import user_language
from bot.telegram.redact import redact

log = logging.getLogger(__name__)

TRACE_LIMIT = 3500  # characters of escaped traceback in the admin post (a message holds 4096)
REPEAT_WINDOW_SECONDS = 60.0  # the same error from the same line is posted once per window


def describe_update(update: object) -> str:
    """Who and where, without the customer's text: 'update 12 (user 42, chat 42)'."""
    if not isinstance(update, Update):
        return "no update" if update is None else type(update).__name__
    parts = []
    if update.effective_user:
        parts.append(f"user {update.effective_user.id}")
    if update.effective_chat:
        parts.append(f"chat {update.effective_chat.id}")
    return f"update {update.update_id}" + (f" ({', '.join(parts)})" if parts else "")


def traceback_text(error: BaseException) -> str:
    """The redacted traceback of error."""
    return redact("".join(traceback.format_exception(type(error), error, error.__traceback__)))


def escaped_tail(text: str, limit: int) -> str:
    """The end of text, HTML-escaped, at most `limit` characters (with a leading … when cut)."""
    escaped = html.escape(text)
    if len(escaped) <= limit:
        return escaped
    # keep the end: the innermost frames and the exception line say the most
    kept: list[str] = []
    size = 1  # the leading "…"
    for char in reversed(text):
        piece = html.escape(char)
        if size + len(piece) > limit:
            break
        kept.append(piece)
        size += len(piece)
    return "…" + "".join(reversed(kept))


def admin_report(where: str, error: BaseException, repeats: int = 0) -> str:
    """The HTML post for the admin chat: headline plus the redacted traceback's tail in <pre>."""
    headline = f"⚠️ <b>{html.escape(type(error).__name__)}</b> while handling {html.escape(where)}"
    if repeats:
        headline += f" (+{repeats} similar since the last report)"
    return f"{headline}\n<pre>{escaped_tail(traceback_text(error), TRACE_LIMIT)}</pre>"


def _signature(error: BaseException) -> tuple[str, str, int]:
    """What makes two errors 'the same': type and the innermost frame."""
    frames = traceback.extract_tb(error.__traceback__)
    last = frames[-1] if frames else None
    return type(error).__name__, last.filename if last else "", (last.lineno or 0) if last else 0


class ErrorReporter:
    """Holds the repeat throttle of one application; `handle` is the PTB error callback."""

    def __init__(self, clock=time.monotonic) -> None:
        self._clock = clock
        self._last_posted: dict[tuple[str, str, int], float] = {}
        self._suppressed: dict[tuple[str, str, int], int] = {}

    async def handle(self, update: object, context: CallbackContext[Any, Any, Any, Any]) -> None:
        """Log with traceback, post to ADMIN_CHAT_ID, tell the customer; never raises."""
        try:
            await self._handle(update, context)
        except Exception:
            log.exception("the error handler failed")

    async def _handle(self, update: object, context: CallbackContext[Any, Any, Any, Any]) -> None:
        error = context.error
        if error is None:
            return
        where = describe_update(update)
        if update is None and context.job is not None:
            where = f"job {context.job.name}"
        log.error("error while handling %s", where, exc_info=error)
        rt: Runtime | None = context.application.bot_data.get(RUNTIME_KEY)
        if rt is None:
            return  # before post_init: nothing to post with
        await self._tell_admins(context, rt, where, error)
        await self._tell_customer(update, context, rt)

    def _should_post(self, error: BaseException) -> tuple[bool, int]:
        key, now = _signature(error), self._clock()
        last = self._last_posted.get(key)
        if last is not None and now - last < REPEAT_WINDOW_SECONDS:
            self._suppressed[key] = self._suppressed.get(key, 0) + 1
            return False, 0
        if len(self._last_posted) > 1000:  # bounded: forget old signatures
            self._last_posted.clear()
            self._suppressed.clear()
        self._last_posted[key] = now
        return True, self._suppressed.pop(key, 0)

    async def _tell_admins(self, context, rt: Runtime, where: str, error: BaseException) -> None:
        chat_id = rt.settings.admin.admin_chat_id
        if chat_id is None:
            return
        post, repeats = self._should_post(error)
        if not post:
            return
        if not await post_admin(context, rt.settings, admin_report(where, error, repeats)):
            log.warning("could not post the error to the admin chat (%s)", where)

    async def _tell_customer(self, update: object, context, rt: Runtime) -> None:
        if not isinstance(update, Update) or update.effective_chat is None:
            return
        chat = update.effective_chat
        if chat.id == rt.settings.admin.admin_chat_id:
            return  # the admins already got the traceback
        if update.callback_query:
            with contextlib.suppress(Exception):  # the handler may have answered it already
                await update.callback_query.answer()  # stop the button's spinner
        try:
            lang = await user_language(context, update.effective_user)
            await context.bot.send_message(chat_id=chat.id, text=rt.i18n.t(lang, "common.error_generic"))
        except Exception as exc:
            log.warning("could not tell chat %s about the error: %s", chat.id, redact(str(exc)))
