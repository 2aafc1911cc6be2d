"""The customer's side: /support, Help → Contact support, Ask about this order, and their messages.

/support and the buttons send a ForceReply prompt; the customer's reply to it (or to any later
support message of the bot: acknowledgements, the shop's answers) is copied to the admin group
(desk.py). See state.py for why this never mixes with the order flow.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from telegram import InlineKeyboardButton, Update
from telegram.error import TelegramError
from telegram.ext import ContextTypes, MessageHandler, filters

from bot.domain import lookups, support
from bot.handlers.common import answer, customer_tr
from bot.handlers.support import desk
from bot.handlers.support.state import (
    continues_album,
    counts_for_flood,
    is_support_reply,
    open_album,
    relay_lock,
    remember_prompt,
    remember_sent,
    state,
    take_order,
)
from bot.render import support_views as views
from bot.render.callbacks import BadCallback, unpack
from bot.render.menu_views import Tr
from bot.runtime import Runtime, runtime
from bot.storage.orders import Order
from bot.telegram.antiflood import FloodGuard, Verdict

log = logging.getLogger(__name__)

PRIVATE = filters.ChatType.PRIVATE
ACK_EVERY_SECONDS = 60  # one acknowledgement per burst of messages, not one per message
# what can be copied to the group; anything else gets a short explanation
RELAYED = (filters.TEXT | filters.PHOTO | filters.Document.ALL | filters.VOICE | filters.VIDEO | filters.VIDEO_NOTE
           | filters.AUDIO | filters.ANIMATION | filters.Sticker.ALL)
GUARD_KEY = "support.guard"  # bot_data: the per-customer FloodGuard of support messages


def enabled(rt: Runtime) -> bool:
    """The desk needs the admin group."""
    return rt.settings.admin.admin_chat_id is not None


def help_button(rt: Runtime, tr: Tr) -> InlineKeyboardButton | None:
    """Help's hook: Contact support."""
    return views.contact_button(tr) if enabled(rt) else None


def order_button(rt: Runtime, tr: Tr, order: Order) -> InlineKeyboardButton | None:
    """The order card's hook: Ask about this order."""
    return views.ask_order_button(tr, order.id) if enabled(rt) else None


class SupportReplyHandler(MessageHandler):
    """A private message replying to one of the customer's support messages (or the rest of an album
    whose first photo did); anything else passes on."""

    def __init__(self, callback: Any) -> None:
        typed = (filters.UpdateType.MESSAGE & PRIVATE & ~filters.COMMAND & ~filters.StatusUpdate.ALL
                 & ~filters.SUCCESSFUL_PAYMENT)
        super().__init__(typed, callback, block=False)
        self.application: Any = None

    def check_update(self, update: object) -> bool:
        if not super().check_update(update) or self.application is None:
            return False
        user = update.effective_user  # type: ignore[union-attr]
        data = self.application.user_data.get(user.id) if user is not None else None  # .get: never creates
        message = update.message  # type: ignore[union-attr]
        if is_support_reply(data, message):
            open_album(data, message)
            return True
        return continues_album(data, message)


async def send_prompt(update: Update, context: ContextTypes.DEFAULT_TYPE, order_id: int | None) -> None:
    _, tr = await customer_tr(update, context)
    text, markup = views.prompt(tr, order_id)
    sent = await update.effective_chat.send_message(text, reply_markup=markup)
    remember_prompt(context.user_data, sent.message_id, order_id)


async def on_support_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/support: the prompt (or why there is none); `/support <text>` is a message for the shop itself."""
    rt = runtime(context)
    if not enabled(rt):
        _, tr = await customer_tr(update, context)
        await update.effective_chat.send_message(tr("support.unavailable"))
        return
    if context.args:
        await on_support_message(update, context)
        return
    await send_prompt(update, context, None)


async def on_support_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """sup:new (Contact support, Write more, Reply) and sup:ask:<order> (Ask about this order)."""
    rt, (_, tr) = runtime(context), await customer_tr(update, context)
    try:
        callback = unpack(update.callback_query.data)
        if callback.action not in ("new", "ask") or not enabled(rt):
            raise BadCallback("unknown action")
        order_id = callback.int_arg(0) if callback.action == "ask" else None
    except BadCallback:
        await answer(update, tr("common.stale_button"))
        return
    if order_id is not None and await lookups.user_order(rt.db, update.effective_user.id, order_id) is None:
        await answer(update, tr("orders.not_found"))  # someone else's order, or forged: nothing happens
        return
    await answer(update)
    await send_prompt(update, context, order_id)


def _guard(context: ContextTypes.DEFAULT_TYPE, rt: Runtime) -> FloodGuard:
    guard = context.bot_data.get(GUARD_KEY)
    if guard is None:
        cfg = rt.settings.support
        guard = context.bot_data[GUARD_KEY] = FloodGuard(cfg.support_max_messages, cfg.support_window_seconds)
    return guard


async def on_support_message(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A customer's message for the shop (non-blocking, in order per customer: state.relay_lock)."""
    async with relay_lock(context.application, update.effective_user.id):
        await _relay(update, context)


async def _relay(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Into their ticket, copied to the group, acknowledged."""
    rt, (_, tr) = runtime(context), await customer_tr(update, context)
    message, user = update.message, update.effective_user
    if not enabled(rt):
        await message.reply_text(tr("support.unavailable"))
        return
    if not RELAYED.check_update(update):
        await message.reply_text(tr("support.unsupported"))
        return
    guard = _guard(context, rt)
    # an album counts once: its photos arrive as separate messages, at most 10
    verdict = guard.check(user.id) if counts_for_flood(context.user_data, message) else Verdict.ALLOW
    if verdict is not Verdict.ALLOW:
        if verdict is Verdict.NOTIFY:
            await message.reply_text(tr("support.too_fast", seconds=guard.window))
        return
    touch = await support.customer_message(rt.db, user.id, take_order(context.user_data, message))
    try:
        await desk.relay_to_group(context.application, rt, message, touch, user.full_name, user.username)
    except TelegramError as exc:
        log.warning("support: ticket %s could not reach the admin group: %s", touch.ticket.id, exc)
        await message.reply_text(tr("support.failed"))
        return
    found = state(context.user_data)
    if touch.created or time.time() - float(found.get("acked") or 0) >= ACK_EVERY_SECONDS:
        text, markup = views.ack(tr, touch.ticket, touch.created)
        sent = await message.reply_text(text, reply_markup=markup)
        found["acked"] = time.time()
        remember_sent(context.user_data, [sent.message_id])
