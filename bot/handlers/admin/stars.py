"""/refund_stars <charge id> [force]: return a Stars top-up to the customer and take its credit back.

A feature of its own in bot/app.py FEATURES; the guard (admin/guard.py) keeps it to ADMIN_IDS in
ADMIN_CHAT_ID and audits it. The rules (reserve the debit, ask Telegram, settle) are in
bot/domain/payment_refunds.py; here Telegram's answers are sorted into done, refused (the money
is put back) and unknown (the command can be sent again without a second debit).
"""

from __future__ import annotations

import logging
from typing import Any

from telegram import Bot, TransactionPartnerUser
from telegram.error import BadRequest, Forbidden, RetryAfter
from telegram.ext import Application

from bot.config import Settings
from bot.domain import customers, payments
from bot.domain.admin_users import UserProfile
from bot.domain.errors import AlreadyApplied, DomainError, InsufficientBalance, NotFound
from bot.domain.payment_refunds import FindRefund, RefundPending, RefundRefused, SendRefund
from bot.domain.payments import SWEEP_PAGE
from bot.handlers.admin import users as admin_users_handlers
from bot.handlers.admin.guard import AdminRequest, Usage, admin_command
from bot.handlers.admin.notices import tell_customer
from bot.i18n import N_
from bot.money import format_money
from bot.payments import adapters
from bot.render import topup_views as views
from bot.render.admin_views import esc, when
from bot.storage.payments import PaymentStatus
from bot.telegram.alerts import customer_label
from bot.telegram.redact import redact

log = logging.getLogger(__name__)

FORCE = "force"
MAX_CHARGE_ID_CHARS = 256
ADMIN_COMMANDS = [("refund_stars", N_("admin.cmd_refund_stars"))]  # the admin group's menu (bot/app.py)
USER_SECTION_PAYMENTS = 5
STATUS_TEXTS = {
    PaymentStatus.CREDITED: N_("payments.status_credited"),
    PaymentStatus.UNMATCHED: N_("payments.status_unmatched"),
    PaymentStatus.REFUNDING: N_("payments.status_refunding"),
    PaymentStatus.REFUNDED: N_("payments.status_refunded"),
}


class StarsRefusal(DomainError):
    """A refusal already worded for the admins (the guard shows it after ⛔ and audits it as refused)."""


def telegram_refund(bot: Bot) -> SendRefund:
    """refundStarPayment, its answers sorted the way payment_refunds expects."""

    async def send(user_id: int, charge_id: str) -> None:
        try:
            done = await bot.refund_star_payment(user_id=user_id, telegram_payment_charge_id=charge_id)
        except BadRequest as exc:
            if "ALREADY_REFUNDED" in exc.message.upper():
                return  # an earlier attempt went through after all
            raise RefundRefused(redact(exc.message)) from exc
        except (Forbidden, RetryAfter) as exc:  # refused before anything happened
            raise RefundRefused(redact(exc.message)) from exc
        if done is not True:
            raise RefundRefused("Telegram did not confirm the refund")

    return send


MAX_TRANSACTION_PAGES = 50  # 5,000 transactions: far more than lie between a charge and its refund


def telegram_find_refund(bot: Bot) -> FindRefund:
    """Whether getStarTransactions lists a refund of the charge: same id, Stars going to a user."""

    async def find(charge_id: str) -> bool:
        for page in range(MAX_TRANSACTION_PAGES):
            found = await bot.get_star_transactions(offset=page * SWEEP_PAGE, limit=SWEEP_PAGE)
            for transaction in found.transactions:
                if transaction.id == charge_id and isinstance(transaction.receiver, TransactionPartnerUser):
                    return True
            if len(found.transactions) < SWEEP_PAGE:
                return False
        return False

    return find


def parse_args(args: list[str]) -> tuple[str, bool]:
    """(charge id, force); Usage for anything else."""
    if not 1 <= len(args) <= 2 or len(args[0]) > MAX_CHARGE_ID_CHARS:
        raise Usage
    if len(args) == 2 and args[1].lower() != FORCE:
        raise Usage
    return args[0], len(args) == 2


async def refund_stars(req: AdminRequest) -> str:
    """/refund_stars <charge id> [force]: refund through Telegram and debit the wallet (once)."""
    charge_id, force = parse_args(req.args)
    tr, db = req.tr, req.rt.db
    try:
        stars = adapters.stars(req.rt.settings, send_refund=telegram_refund(req.context.bot),
                               find_refund=telegram_find_refund(req.context.bot))
        done = (await stars.refund(db, charge_id, admin_id=req.admin_id, force=force)).detail
    except NotFound:
        raise StarsRefusal(tr("payments.refund_not_found", charge_id=charge_id)) from None
    except AlreadyApplied:
        raise StarsRefusal(tr("payments.refund_already", charge_id=charge_id)) from None
    except InsufficientBalance as exc:
        who = await _who(req, charge_id)
        raise StarsRefusal(tr("payments.refund_spent", customer=who, balance=format_money(exc.balance, req.currency),
                              amount=views.exact_money(exc.needed, req.currency))) from None
    except RefundRefused as exc:
        raise StarsRefusal(tr("payments.refund_refused", reason=str(exc))) from None
    except RefundPending:
        return tr("payments.refund_pending", charge_id=esc(charge_id))
    payment = done.payment
    if done.debit:
        await tell_customer(req, payment.user_id, "payments.refunded", money={"balance": done.balance},
                            stars=payment.stars, amount=views.exact_money(done.debit, req.currency))
    else:
        await tell_customer(req, payment.user_id, "payments.refunded_nothing_taken", money={}, stars=payment.stars)
    return tr("payments.refund_done", stars=payment.stars, customer=esc(await _who(req, charge_id)),
              charge_id=esc(charge_id), debit=views.exact_money(done.debit, req.currency),
              balance=format_money(done.balance, req.currency))


async def _who(req: AdminRequest, charge_id: str) -> str:
    """The paying customer as '42 (@name)' (plain text)."""
    payment = await payments.find_payment(req.rt.db, charge_id)
    if payment is None:
        return "?"
    user = await customers.get_customer(req.rt.db, payment.user_id)
    return customer_label(payment.user_id, user.username if user else None)


async def stars_section(req: AdminRequest, found: UserProfile) -> list[str]:
    """/user's section: the customer's latest Stars payments with the charge ids /refund_stars takes."""
    recent = await payments.recent_payments(req.rt.db, found.user.id, limit=USER_SECTION_PAYMENTS)
    if not recent:
        return []
    lines = [req.tr("payments.user_section_title")]
    for payment in recent:
        lines.append(req.tr("payments.user_payment_line", date=when(payment.created_at), stars=payment.stars,
                            amount=views.exact_money(payment.amount, req.currency),
                            status=req.tr(STATUS_TEXTS[payment.status]), charge_id=esc(payment.charge_id)))
    return lines


def register(application: Application[Any, Any, Any, Any, Any, Any], settings: Settings) -> None:
    """/refund_stars in the admin group, and the Stars section of /user."""
    admin_command(application, "refund_stars", refund_stars, usage=N_("payments.usage_refund_stars"))
    admin_users_handlers.user_sections(application).append(stars_section)
