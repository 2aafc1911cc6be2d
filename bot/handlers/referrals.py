"""Referrals: attaching newcomers who arrive through a personal link, and the Referrals screen.

Attaching must know whether a `/start ref_<code>` is the customer's first contact, and start's
gate records every customer before any feature sees the update. So arrival is one of the gate's
first-contact hooks, run only for someone without a row: it writes the row and the referral in
one transaction (bot/domain/referrals.arrive); anyone else is ignored, silently. /start's welcome
answers as always.

The screen: /referrals, or Balance → Invite friends (shown while REFERRAL_PERCENT > 0).
REFERRAL_PERCENT is stored in the database at start-up, where order settlement reads it.

Commission notices: settlement credits the referrer inside the order's transaction, wherever the
order ended (sync, Refresh, admin refund), so nothing is pushed from there. NOTICE_JOB runs
shortly after start-up and then every NOTICE_INTERVAL_SECONDS: it tells each referrer of the
commissions the database says were not announced yet, in their language, and marks them after
delivery. Referrers who blocked the bot are skipped (and marked so by send_to_user); their notices
are dropped, like other pushes. A network failure leaves the rest for the next run.
"""

from __future__ import annotations

import logging
from typing import Any

from telegram import InlineKeyboardButton, Update
from telegram.constants import ChatType
from telegram.error import BadRequest, TelegramError
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, ContextTypes, filters

from bot.config import Settings
from bot.domain import referrals
from bot.handlers import balance, start
from bot.handlers.common import answer, customer_tr
from bot.i18n import N_
from bot.render import growth_views as views
from bot.render.callbacks import BadCallback, pattern, unpack
from bot.render.menu_views import Screen, Tr
from bot.runtime import Runtime, app_runtime, runtime
from bot.telegram.notify import push_to_customer
from bot.telegram.redact import redact
from bot.telegram.screens import show

log = logging.getLogger(__name__)

COMMAND = "referrals"
COMMANDS = [(COMMAND, N_("growth.cmd_referrals"))]
PRIVATE = filters.ChatType.PRIVATE
NOTICE_JOB = "referral_notices"
NOTICE_INTERVAL_SECONDS = 60
NOTICE_FIRST_SECONDS = 30  # soon after start-up: notices the last run left go out first
NOTICE_BATCH = 200  # per run; the rest waits for the next one


def referrals_button(rt: Runtime, tr: Tr) -> InlineKeyboardButton | None:
    """The Balance screen's hook: Invite friends, while the program is on."""
    return views.referrals_button(tr) if rt.settings.shop.referral_percent > 0 else None


def start_payload(update: Update) -> str | None:
    """What follows `/start` in a private chat's message (Telegram's deep-link parameter), if anything."""
    message = update.message
    if message is None or message.chat.type != ChatType.PRIVATE or not message.text:
        return None
    command, _, rest = message.text.partition(" ")
    if command.split("@", 1)[0] != "/start":
        return None
    return rest.strip() or None


async def on_first_contact(rt: Runtime, update: Update) -> None:
    """The gate's first-contact hook: a newcomer's `/start ref_<code>` attaches them to the link's owner."""
    payload, user = start_payload(update), update.effective_user
    if payload is not None and user is not None:
        await referrals.arrive(rt.db, user.id, user.username, payload)


async def referrals_screen_for(update: Update, context: ContextTypes.DEFAULT_TYPE) -> Screen:
    """The customer's Referrals screen (or the 'not running' one)."""
    lang, tr = await customer_tr(update, context)
    rt = runtime(context)
    percent = rt.settings.shop.referral_percent
    if percent <= 0:
        return views.referrals_off_screen(tr)
    found = await referrals.summary(rt.db, update.effective_user.id)
    link = referrals.personal_link(context.bot.username, found.code)
    return views.referrals_screen(tr, found, link, percent, currency=rt.settings.shop.shop_currency, lang=lang)


async def on_referrals_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/referrals: the screen as a new message."""
    await show(update, await referrals_screen_for(update, context), edit=False)


async def on_referrals_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """ref:show: the screen in place of the pressed message."""
    try:
        if unpack(update.callback_query.data).action != "show":
            raise BadCallback("unknown action")
    except BadCallback:
        _, tr = await customer_tr(update, context)
        await answer(update, tr("common.stale_button"))
        return
    screen = await referrals_screen_for(update, context)
    await answer(update)
    await show(update, screen)


async def announce_commission(rt: Runtime, bot: Any, commission: referrals.Commission) -> None:
    """Tell one referrer of one commission, unless they blocked the bot; TelegramError: try again later."""
    def render(tr: Tr) -> list[str]:
        return [views.commission_notice(tr, commission.amount, rt.settings.shop.shop_currency)]
    try:
        await push_to_customer(bot, rt, commission.referrer_id, render, what="commission notice")
    except BadRequest as exc:  # refused for good: retrying it would hold up every notice behind it
        log.warning("commission notice to %s refused: %s", commission.referrer_id, redact(str(exc)))


async def announce_commissions(context: ContextTypes.DEFAULT_TYPE) -> None:
    """NOTICE_JOB: push every commission not announced yet, marking each once it is delivered."""
    rt = runtime(context)
    for commission in await referrals.pending_notices(rt.db, NOTICE_BATCH):
        try:
            await announce_commission(rt, context.bot, commission)
        except TelegramError as exc:  # network trouble, a flood wait beyond the limiter: next run
            log.warning("commission notices paused: %s", redact(str(exc)))
            return
        await referrals.mark_announced(rt.db, commission.order_id)


def register(application: Application[Any, Any, Any, Any, Any, Any], settings: Settings) -> None:
    """The gate's arrival hook, /referrals, the screen's button, the Balance screen's button."""
    start.first_contact_hooks(application).append(on_first_contact)
    application.add_handler(CommandHandler(COMMAND, on_referrals_command, filters=PRIVATE))
    application.add_handler(CallbackQueryHandler(on_referrals_button, pattern=pattern(views.REFERRALS_FEATURE)))
    balance.balance_extra_buttons(application).append(referrals_button)


async def on_startup(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """Store REFERRAL_PERCENT where the settlement of orders reads it; schedule the commission notices."""
    rt = app_runtime(application)
    await referrals.set_percent(rt.db, rt.settings.shop.referral_percent)
    if application.job_queue is not None:
        application.job_queue.run_repeating(announce_commissions, interval=NOTICE_INTERVAL_SECONDS,
                                            first=NOTICE_FIRST_SECONDS, name=NOTICE_JOB)
