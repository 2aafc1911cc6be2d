"""/broadcast: one message to every customer who can be reached, previewed first, sent in the background.

`/broadcast <text>` (formatting kept) or `/broadcast` in reply to a text message shows a preview
with Send / Cancel buttons; Send starts the broadcast with application.create_task, so the bot
keeps answering everyone meanwhile, and turns the preview into a progress message (edited every
few seconds, with a Stop button) that ends with the counts: sent, blocked, failed. Pacing and
recipients are bot/domain/broadcast.py's; a Forbidden marks the customer blocked (send_to_user).
One broadcast runs at a time per bot (two would share Telegram's 30 messages a second anyway);
drafts and the running broadcast live in bot_data, which is not persisted: a restart forgets a
draft and stops a broadcast (its final message says how far it got).
"""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass, field
from typing import Any

from telegram import Message
from telegram.ext import Application

from bot.config import Settings
from bot.domain import broadcast
from bot.domain.broadcast import BroadcastProgress, RateWindow
from bot.handlers.admin.guard import AdminRequest, Usage, admin_button, admin_command, audit
from bot.i18n import N_
from bot.render.admin_reports import broadcast_final, broadcast_preview, broadcast_progress
from bot.render.callbacks import Callback
from bot.runtime import Runtime
from bot.telegram.notify import send_to_user

log = logging.getLogger(__name__)

STATE_KEY = "admin_broadcast"
MAX_TEXT_CHARS = 3500  # leaves room for the preview's header in one 4096-character message
MAX_DRAFTS = 20


@dataclass
class _Running:
    token: str
    stop: bool = False


@dataclass
class _State:
    """The drafts waiting for Send (token -> HTML text) and the broadcast under way, if any."""

    drafts: dict[str, str] = field(default_factory=dict)
    running: _Running | None = None
    limiter: RateWindow = field(default_factory=RateWindow)


def _state(application: Application) -> _State:
    return application.bot_data.setdefault(STATE_KEY, _State())


def _operators(req: AdminRequest) -> frozenset[int]:
    return req.rt.settings.admin.admin_ids


def _text_of(req: AdminRequest) -> tuple[str, str]:
    """(HTML, plain) of what to broadcast: the command's text, or the replied-to message's."""
    message = req.update.effective_message
    replied = message.reply_to_message
    if not req.args and replied is not None:
        if replied.text:
            return replied.text_html, replied.text
        if replied.caption:
            return replied.caption_html, replied.caption
        return "", ""
    parts_html, parts = message.text_html.split(None, 1), (message.text or "").split(None, 1)
    return (parts_html[1], parts[1]) if len(parts_html) == 2 and len(parts) == 2 else ("", "")


async def start_draft(req: AdminRequest) -> str | None:
    """/broadcast <text> (or in reply to a message): the preview with Send / Cancel."""
    text_html, text = _text_of(req)
    if not text.strip():
        raise Usage
    if len(text) > MAX_TEXT_CHARS:
        return req.tr("admin.broadcast_too_long", length=len(text), limit=MAX_TEXT_CHARS)
    state = _state(req.context.application)
    token = secrets.token_hex(4)
    state.drafts[token] = text_html
    while len(state.drafts) > MAX_DRAFTS:  # previews nobody sent are forgotten, oldest first
        state.drafts.pop(next(iter(state.drafts)))
    preview, keyboard = broadcast_preview(req.tr, text_html, await broadcast.audience(req.rt.db, _operators(req)), token)
    await req.reply(preview, reply_markup=keyboard)
    return None


async def on_send(req: AdminRequest, callback: Callback) -> None:
    """Send: start the broadcast of this draft (once, even when pressed twice)."""
    query, token = req.update.callback_query, callback.arg(0)
    state = _state(req.context.application)
    if state.running is not None:
        await query.answer(req.tr("admin.broadcast_running"), show_alert=True)
        return
    text_html = state.drafts.pop(token, None)
    if text_html is None:
        await query.answer(req.tr("admin.broadcast_expired"), show_alert=True)
        return
    state.running = _Running(token)  # before any await: a second Send is refused from here on
    try:
        await query.answer()
        total = await broadcast.audience(req.rt.db, _operators(req))
        text, keyboard = broadcast_progress(req.tr, BroadcastProgress(total), token)
        await state.limiter.acquire()  # every message of a broadcast, its progress included, is paced
        message = await query.edit_message_text(text, reply_markup=keyboard)
        application = req.context.application
        application.create_task(_run(application, req, text_html, message, state), name=f"admin-broadcast-{token}")
    except BaseException:
        state.running = None
        raise


async def on_cancel(req: AdminRequest, callback: Callback) -> None:
    """Cancel: forget the draft."""
    query = req.update.callback_query
    _state(req.context.application).drafts.pop(callback.arg(0), None)
    await query.answer()
    await query.edit_message_text(req.tr("admin.broadcast_cancelled"))


async def on_stop(req: AdminRequest, callback: Callback) -> None:
    """Stop: the broadcast ends after the messages already on their way."""
    running = _state(req.context.application).running
    if running is not None and running.token == callback.arg(0):
        running.stop = True
    await req.update.callback_query.answer(req.tr("admin.broadcast_stopping"))


async def _edit(message: Message, text: str, **kwargs: Any) -> bool:
    try:
        await message.edit_text(text, **kwargs)
    except Exception as exc:  # "not modified", a deleted message...: progress is best effort
        log.info("broadcast progress not edited: %s", exc)
        return False
    return True


async def _run(application: Application, req: AdminRequest, text_html: str, message: Message, state: _State) -> None:
    """The broadcast itself, in the background; ends with the counts in the progress message."""
    rt: Runtime = req.rt
    running = state.running

    async def send(user_id: int) -> bool:
        return await send_to_user(application.bot, rt.db, user_id, text_html)

    async def progress(counts: BroadcastProgress) -> None:
        text, keyboard = broadcast_progress(req.tr, counts, running.token)
        await _edit(message, text, reply_markup=keyboard)

    try:
        result = await broadcast.run_broadcast(
            rt.db, send, limiter=state.limiter, operators=_operators(req), on_progress=progress,
            should_stop=lambda: running.stop or not application.running)
    except Exception:
        log.exception("the broadcast failed")
        result = None
    finally:
        state.running = None
    final = broadcast_final(req.tr, result) if result else req.tr("admin.broadcast_failed")
    await state.limiter.acquire()
    if not await _edit(message, final):
        await req.reply(final)
    counts = {"sent": result.sent, "blocked": result.blocked, "failed": result.failed} if result else {}
    await audit(req, "ok" if result else "error", action="broadcast_done", **counts)


def register(application: Application[Any, Any, Any, Any, Any, Any], settings: Settings) -> None:
    admin_command(application, "broadcast", start_draft, usage=N_("admin.usage_broadcast"))
    admin_button(application, "bc_go", on_send)
    admin_button(application, "bc_no", on_cancel)
    admin_button(application, "bc_stop", on_stop)
