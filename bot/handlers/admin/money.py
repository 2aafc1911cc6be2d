"""/credit and /debit: ledger rows written by an admin, with their id and note."""

from __future__ import annotations

from typing import Any

from telegram.ext import Application

from bot.config import Settings
from bot.domain import admin_users, wallet
from bot.handlers.admin.guard import AdminRequest, Usage, admin_command
from bot.handlers.admin.notices import tell_customer
from bot.i18n import N_
from bot.money import parse_amount
from bot.render.admin_views import adjusted_text

MAX_NOTE_CHARS = 200


def amount_arg(text: str) -> int:
    """A positive amount typed by an admin, exactly (bot.money.parse_amount); Usage otherwise."""
    try:
        amount = parse_amount(text)
    except ValueError:
        raise Usage from None
    if amount <= 0:
        raise Usage
    return amount


def note_arg(args: list[str]) -> str | None:
    return " ".join(args)[:MAX_NOTE_CHARS] or None


async def credit(req: AdminRequest) -> str:
    """/credit <user> <amount> [note]: add money; the customer is told in their language."""
    if len(req.args) < 2:
        raise Usage
    amount = amount_arg(req.args[1])
    user = await admin_users.find_customer(req.rt.db, req.args[0])
    balance = await wallet.admin_adjust(req.rt.db, user.id, amount, actor=req.admin_id, note=note_arg(req.args[2:]))
    told = await tell_customer(req, user.id, "admin.notice_credit",
                               money={"amount": amount, "balance": balance})
    return adjusted_text(req.tr, user, amount, balance, req.currency, credit=True, told=told)


async def debit(req: AdminRequest) -> str:
    """/debit <user> <amount> [note]: take money, never below zero."""
    if len(req.args) < 2:
        raise Usage
    amount = amount_arg(req.args[1])
    user = await admin_users.find_customer(req.rt.db, req.args[0])
    balance = await wallet.admin_adjust(req.rt.db, user.id, -amount, actor=req.admin_id, note=note_arg(req.args[2:]))
    return adjusted_text(req.tr, user, amount, balance, req.currency, credit=False)


def register(application: Application[Any, Any, Any, Any, Any, Any], settings: Settings) -> None:
    admin_command(application, "credit", credit, usage=N_("admin.usage_credit"))
    admin_command(application, "debit", debit, usage=N_("admin.usage_debit"))
