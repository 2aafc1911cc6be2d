"""The operators' side of the payment methods: the manual transfer card, /payments, /refund_topup,
and the top-up lines of /stats and /user.

A receipt is copied into the admin group and answered by a card with Approve, Approve another
amount and Reject (with reason). The guard (admin/guard.py) keeps the buttons to ADMIN_IDS in
ADMIN_CHAT_ID and audits them. Approval is bot/domain/topups.credit: one conditional status move
and the ledger rows in one transaction, so two admins pressing at once credit once — the second
is told who was first. "Another amount" and "Reject" ask for a reply (amount / reason) from the
admin who pressed; only that admin's reply to that prompt counts, never a forwarded message.
"""

from __future__ import annotations

import logging
from typing import Any

from telegram import Bot, ForceReply, Update
from telegram.error import TelegramError
from telegram.ext import Application, CallbackContext, MessageHandler, filters

from bot.config import Settings
from bot.domain import customers, topups
from bot.domain.admin_users import UserProfile
from bot.domain.errors import NotFound, WrongState
from bot.domain.stats import Period
from bot.handlers.admin import stats as admin_stats
from bot.handlers.admin import users as admin_users
from bot.handlers.admin.guard import (
    ADMIN_GROUP,
    AdminFilter,
    AdminRequest,
    Usage,
    admin_button,
    admin_command,
    audit,
)
from bot.handlers.topup_methods.shared import announce, method_title, tell
from bot.i18n import N_
from bot.money import format_money, parse_amount
from bot.render import pay_views as views
from bot.render.callbacks import Callback
from bot.render.text import esc
from bot.runtime import Runtime, runtime
from bot.storage.topups import Topup, TopupStatus
from bot.telegram import alerts
from bot.telegram.redact import redact

log = logging.getLogger(__name__)

ADMIN_COMMANDS = [("payments", N_("topups.cmd_payments"))]
ADMIN_PROMPT = "pay_admin_prompt"  # user_data of the admin: (prompt message id, action, top-up id)
LISTED = 30
USER_SECTION_TOPUPS = 5


async def _who(rt, user_id: int) -> str:
    user = await customers.get_customer(rt.db, user_id)
    return alerts.customer_label(user_id, user.username if user else None)


async def post_card(context: CallbackContext, topup: Topup) -> None:
    """Copy the receipt into the admin group and post the decision card under it."""
    rt = runtime(context)
    chat_id = rt.settings.admin.admin_chat_id
    if chat_id is None:
        log.warning("manual top-up %s has a receipt but ADMIN_CHAT_ID is unset: nobody can approve it", topup.id)
        return
    tr = rt.i18n.bind(rt.default_language)
    text, keyboard = views.admin_card(tr, topup, await _who(rt, topup.user_id), rt.settings.shop.shop_currency,
                                      method_title(rt, topup.method))
    reply_to = None
    try:
        copied = await context.bot.copy_message(chat_id=chat_id, from_chat_id=topup.receipt_chat,
                                                message_id=topup.receipt_msg)
        reply_to = copied.message_id
    except TelegramError as exc:
        log.warning("could not copy the receipt of top-up %s: %s", topup.id, redact(str(exc)))
    try:
        card = await context.bot.send_message(chat_id=chat_id, text=text, reply_markup=keyboard,
                                              reply_to_message_id=reply_to)
    except TelegramError as exc:
        log.warning("could not post the card of top-up %s: %s", topup.id, redact(str(exc)))
        return
    await topups.card_posted(rt.db, topup.id, card.chat_id, card.message_id)


async def _close_card(req: AdminRequest, row: Topup, line: str) -> None:
    """Replace the card's buttons with what was decided."""
    await close_card(req.context.bot, req.rt, row, line)


async def close_card(bot: Bot, rt: Runtime, row: Topup, line: str) -> None:
    """Edit a manual top-up's admin card: its text plus `line`, no buttons (nothing is left to decide)."""
    if row.card_chat is None or row.card_msg is None:
        return
    tr = rt.i18n.bind(rt.default_language)
    text, _ = views.admin_card(tr, row, await _who(rt, row.user_id), rt.settings.shop.shop_currency,
                               method_title(rt, row.method))
    try:
        await bot.edit_message_text(chat_id=row.card_chat, message_id=row.card_msg, text=f"{text}\n\n{line}")
    except TelegramError as exc:
        log.info("could not edit the card of top-up %s: %s", row.id, redact(str(exc)))


async def _manual_row(req: AdminRequest, topup_id: int) -> Topup:
    row = await topups.get(req.rt.db, topup_id)
    if row is None or not row.method.startswith("manual:"):
        raise NotFound(f"no manual top-up {topup_id}")
    return row


async def approve(req: AdminRequest, topup_id: int, amount: int | None) -> str:
    """Credit a manual top-up once (as asked, or `amount`); the answer for the admin."""
    row = await _manual_row(req, topup_id)
    try:
        settled = await topups.credit(req.rt.db, row.id, rule=req.rt.settings.payments.topup_bonus, amount=amount,
                                      actor=req.admin_id)
    except WrongState:
        return req.tr("topups.admin_closed", id=row.id, status=req.tr(views.STATUS_TEXTS[row.status]))
    if not settled.first_time:
        return req.tr("topups.admin_already", id=row.id, admin=settled.topup.decided_by or "?")
    line = req.tr("topups.admin_approved", admin=req.admin_id, amount=views.exact_money(settled.credited, req.currency))
    await _close_card(req, settled.topup, line)
    await announce(req.context.bot, req.rt, settled)
    return line


async def reject(req: AdminRequest, topup_id: int, reason: str) -> str:
    row = await _manual_row(req, topup_id)
    closed = await topups.close(req.rt.db, row.id, TopupStatus.REJECTED, actor=req.admin_id, note=reason[:200])
    if closed is None:
        now = await topups.get(req.rt.db, row.id)
        return req.tr("topups.admin_closed", id=row.id, status=req.tr(views.STATUS_TEXTS[now.status]))
    line = req.tr("topups.admin_rejected", admin=req.admin_id, reason=esc(reason, 200))
    await _close_card(req, closed, line)
    await tell(req.context.bot, req.rt, closed.user_id, "topups.rejected", reference=closed.reference,
               reason=esc(reason, 200))
    return line


async def on_card_button(req: AdminRequest, pressed: Callback) -> None:
    """adm:payok|payamt|payno:<id>."""
    query = req.update.callback_query
    topup_id = pressed.int_arg(0)
    action = pressed.action
    if action == "payok":
        text = await approve(req, topup_id, None)
        await query.answer(alerts_plain(text)[:200])
        return
    row = await _manual_row(req, topup_id)
    if not row.is_open:
        await query.answer(alerts_plain(req.tr("topups.admin_closed", id=row.id,
                                               status=req.tr(views.STATUS_TEXTS[row.status])))[:200])
        return
    await query.answer()
    msgid = "topups.admin_ask_amount" if action == "payamt" else "topups.admin_ask_reason"
    sent = await req.reply(req.tr(msgid, id=row.id, currency=req.currency), reply_markup=ForceReply(selective=True))
    req.context.user_data[ADMIN_PROMPT] = (sent.message_id, action, row.id)


def alerts_plain(text: str) -> str:
    from bot.render.admin_views import plain

    return plain(text)


async def on_admin_reply(update: Update, context: CallbackContext) -> None:
    """An admin's reply to the amount or reason prompt of a card."""
    rt = runtime(context)
    from bot.handlers.admin.guard import is_admin_update

    stored = (context.user_data or {}).get(ADMIN_PROMPT)
    message = update.effective_message
    if not is_admin_update(rt, update) or not stored or message.reply_to_message is None \
            or message.reply_to_message.message_id != stored[0]:
        return
    prompt_id, action, topup_id = stored
    req = AdminRequest(update, context, rt, f"button:{action}", [str(topup_id), (message.text or "")[:200]])
    outcome = "ok"
    try:
        if action == "payamt":
            try:
                amount = parse_amount(message.text or "")
                if amount <= 0:
                    raise ValueError
            except ValueError:
                outcome = "usage"
                await req.reply(req.tr("topups.admin_bad_amount"))
                return
            text = await approve(req, topup_id, amount)
        else:
            reason = (message.text or "").strip()
            if not reason:
                outcome = "usage"
                await req.reply(req.tr("topups.admin_ask_reason", id=topup_id, currency=req.currency))
                return
            text = await reject(req, topup_id, reason)
        context.user_data.pop(ADMIN_PROMPT, None)
        await req.reply(text)
    except NotFound as exc:
        outcome = "refused"
        await req.reply(esc(str(exc)))
    finally:
        await audit(req, outcome)


async def list_pending(req: AdminRequest) -> str:
    """/payments: manual transfers waiting for a receipt or a decision."""
    if req.args:
        raise Usage
    rows = await topups.open_of(req.rt.db, method_prefix="manual:", statuses=(TopupStatus.PENDING, TopupStatus.RECEIPT))
    if not rows:
        return req.tr("topups.admin_none_pending")
    lines = [req.tr("topups.admin_pending_title", count=len(rows))]
    for row in rows[-LISTED:]:
        lines.append(views.topup_line(req.tr, row, req.currency) + " · " + esc(await _who(req.rt, row.user_id)))
    return "\n".join(lines)


async def stats_section(req: AdminRequest, period: Period) -> list[str]:
    """/stats: top-ups of the period split by method."""
    from datetime import UTC, datetime

    totals = await topups.totals_since(req.rt.db, period.since(datetime.now(UTC)))
    if not totals:
        return []
    lines = [req.tr("topups.stats_title")]
    for total in totals:
        lines.append(req.tr("topups.stats_line", method=esc(total.method), count=total.count,
                            amount=format_money(total.credited, req.currency),
                            bonus=format_money(total.bonus, req.currency)))
    return lines


async def user_section(req: AdminRequest, found: UserProfile) -> list[str]:
    """/user: the customer's latest top-ups with method, status and reference."""
    rows = await topups.user_topups(req.rt.db, found.user.id, USER_SECTION_TOPUPS)
    if not rows:
        return []
    return [req.tr("topups.user_title"), *(views.topup_line(req.tr, row, req.currency) for row in rows)]


class AdminPromptReply(MessageHandler):
    """Only an admin's text reply to their own latest card prompt (so other reply handlers keep theirs)."""

    def __init__(self, application: Application[Any, Any, Any, Any, Any, Any]) -> None:
        typed = filters.UpdateType.MESSAGE & filters.TEXT & filters.REPLY & ~filters.COMMAND & ~filters.FORWARDED
        super().__init__(typed & AdminFilter(application), on_admin_reply)
        self._application = application

    def check_update(self, update: object) -> bool:
        if not super().check_update(update):
            return False
        message, user = update.message, update.effective_user  # type: ignore[union-attr]
        data = self._application.user_data.get(user.id) if user is not None else None
        stored = data.get(ADMIN_PROMPT) if data else None
        return bool(stored) and stored[0] == message.reply_to_message.message_id


def register(application: Application[Any, Any, Any, Any, Any, Any], settings: Settings) -> None:
    admin_command(application, "payments", list_pending, usage=N_("topups.usage_payments"))
    for action in ("payok", "payamt", "payno"):
        admin_button(application, action, on_card_button)
    application.add_handler(AdminPromptReply(application), group=ADMIN_GROUP)
    admin_stats.stats_sections(application).append(stats_section)
    admin_users.user_sections(application).append(user_section)
