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
from bot.domain.topup_refunds import RefundPending, RefundRefused, refund_crypto
from bot.handlers.admin.guard import AdminRequest, Usage, admin_command
from bot.handlers.topup_methods.shared import crypto_client, tell
from bot.i18n import N_
from bot.money import format_money
from bot.payments.methods import CRYPTO
from bot.render import pay_views as views
from bot.render.text import esc
from bot.storage.topups import Topup

ADMIN_COMMANDS = [("refund_topup", N_("topups.cmd_refund_topup"))]


async def refund_topup(req: AdminRequest) -> str:
    """/refund_topup <id> [note…|force]: manual: a wallet debit (the transfer is returned by hand);
    Crypto Pay: the paid coins go back through `transfer` and the wallet is debited once."""
    if not req.args or not req.args[0].isdigit():
        raise Usage
    topup_id, note = int(req.args[0]), " ".join(req.args[1:]) or "refund"
    row = await topups.get(req.rt.db, topup_id)
    if row is None:
        raise NotFound(f"no top-up {topup_id}")
    if row.method == CRYPTO:
        return await _refund_crypto(req, row, force=note.lower() == "force")
    if not row.method.startswith("manual:"):
        return req.tr("topups.refund_unsupported", id=row.id, method=esc(row.method))
    try:
        done = await topups.refund_by_debit(req.rt.db, topup_id, admin_id=req.admin_id, note=note)
    except AlreadyApplied:
        return req.tr("topups.refund_already", id=topup_id)
    except InsufficientBalance as exc:
        return req.tr("topups.refund_spent", id=topup_id, balance=format_money(exc.balance, req.currency))
    except WrongState:
        return req.tr("topups.admin_closed", id=row.id, status=req.tr(views.STATUS_TEXTS[row.status]))
    await tell(req.context.bot, req.rt, row.user_id, "topups.refunded", reference=row.reference,
               amount=views.exact_money(done.debit, req.currency))
    return req.tr("topups.refund_done", id=topup_id, amount=views.exact_money(done.debit, req.currency),
                  balance=format_money(done.balance, req.currency))


async def _refund_crypto(req: AdminRequest, row: Topup, *, force: bool) -> str:
    """Crypto Pay: send what was paid back with `transfer` (spend_id makes a retry safe), debit once."""
    client = crypto_client(req.context.application)
    if client is None:
        return req.tr("topups.refund_unsupported", id=row.id, method=esc(row.method))

    async def send_back(topup: Topup, spend: str) -> None:
        await client.transfer(user_id=topup.user_id, asset=topup.paid_asset, amount=topup.paid_amount,
                              spend_id=spend, comment=f"Refund {topup.reference}")

    try:
        done = await refund_crypto(req.rt.db, row.id, admin_id=req.admin_id, send_back=send_back, force=force)
    except AlreadyApplied:
        return req.tr("topups.refund_already", id=row.id)
    except InsufficientBalance as exc:
        return req.tr("topups.refund_spent", id=row.id, balance=format_money(exc.balance, req.currency))
    except RefundRefused as exc:
        return req.tr("topups.refund_refused", id=row.id, reason=esc(str(exc), 100))
    except RefundPending:
        return req.tr("topups.refund_pending", id=row.id)
    except WrongState:
        return req.tr("topups.admin_closed", id=row.id, status=req.tr(views.STATUS_TEXTS[row.status]))
    await tell(req.context.bot, req.rt, row.user_id, "topups.refunded_crypto", reference=row.reference,
               paid=f"{row.paid_amount:f} {row.paid_asset}", amount=views.exact_money(done.debit, req.currency))
    return req.tr("topups.refund_done_crypto", id=row.id, paid=f"{row.paid_amount:f} {row.paid_asset}",
                  amount=views.exact_money(done.debit, req.currency), balance=format_money(done.balance, req.currency))


def register(application: Application[Any, Any, Any, Any, Any, Any], settings: Settings) -> None:
    admin_command(application, "refund_topup", refund_topup, usage=N_("topups.usage_refund_topup"))
