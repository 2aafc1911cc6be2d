"""/refund_topup <id> [note|force] in the admin group: refund a top-up where its method can.

Manual transfers: a wallet debit with the note (the operator returns the transfer by hand).
Crypto Pay: the coins the customer paid go back through Crypto Pay's `transfer`, the wallet is
debited once (bot/domain/topup_refunds.py). Card payments: the Bot API has no refund for
provider payments, so the admin is told to refund with the provider and /debit. Stars: /refund_stars.
"""

from __future__ import annotations

from typing import Any

from telegram.ext import Application

from bot.config import Settings
from bot.domain import topups
from bot.domain.errors import AlreadyApplied, InsufficientBalance, NotFound, WrongState
from bot.domain.topup_refunds import RefundPending, RefundRefused
from bot.handlers.admin.guard import AdminRequest, Usage, admin_command
from bot.handlers.topup_methods.shared import crypto_client, tell
from bot.i18n import N_
from bot.money import format_money
from bot.payments import adapters
from bot.payments.base import NotRefundable
from bot.payments.methods import Kind
from bot.render import pay_views as views
from bot.render.text import esc

ADMIN_COMMANDS = [("refund_topup", N_("topups.cmd_refund_topup"))]


async def refund_topup(req: AdminRequest) -> str:
    """/refund_topup <id> [note…|force]: through the method's PaymentMethod.refund — manual: a wallet debit
    (the transfer is returned by hand); Crypto Pay: the paid coins go back through `transfer`, debited once."""
    if not req.args or not req.args[0].isdigit():
        raise Usage
    topup_id, note = int(req.args[0]), " ".join(req.args[1:]) or "refund"
    row = await topups.get(req.rt.db, topup_id)
    method = adapters.descriptor(req.rt.settings, row.method) if row else None
    if row is None or method is None:
        raise NotFound(f"no top-up {topup_id}")
    try:
        impl = adapters.build(req.rt.settings, method, crypto_client=crypto_client(req.context.application))
        done = await impl.refund(req.rt.db, str(row.id), admin_id=req.admin_id, force=note.lower() == "force",
                                 note=note)
    except (NotRefundable, NotFound):
        return req.tr("topups.refund_unsupported", id=row.id, method=esc(row.method))
    except AlreadyApplied:
        return req.tr("topups.refund_already", id=row.id)
    except InsufficientBalance as exc:
        return req.tr("topups.refund_spent", id=row.id, balance=format_money(exc.balance, req.currency))
    except RefundRefused as exc:
        return req.tr("topups.refund_refused", id=row.id, reason=esc(str(exc), 100))
    except RefundPending:
        return req.tr("topups.refund_pending", id=row.id)
    except WrongState:
        now = await topups.get(req.rt.db, row.id)
        return req.tr("topups.admin_closed", id=row.id, status=req.tr(views.STATUS_TEXTS[now.status]))
    amount = views.exact_money(done.debit, req.currency)
    if method.kind == Kind.CRYPTO:
        paid = f"{row.paid_amount:f} {row.paid_asset}"
        await tell(req.context.bot, req.rt, row.user_id, "topups.refunded_crypto", reference=row.reference,
                   paid=paid, amount=amount)
        return req.tr("topups.refund_done_crypto", id=row.id, paid=paid, amount=amount,
                      balance=format_money(done.balance, req.currency))
    await tell(req.context.bot, req.rt, row.user_id, "topups.refunded", reference=row.reference, amount=amount)
    return req.tr("topups.refund_done", id=row.id, amount=amount, balance=format_money(done.balance, req.currency))


def register(application: Application[Any, Any, Any, Any, Any, Any], settings: Settings) -> None:
    admin_command(application, "refund_topup", refund_topup, usage=N_("topups.usage_refund_topup"))
