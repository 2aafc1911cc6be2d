"""/order, /refund, /unknown and /resolve: one order in full, refunds, and reconciliation."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from telegram.ext import Application

from bot.config import Settings
from bot.domain import admin_orders, reconcile, wallet
from bot.domain.admin_orders import OrderDetails, Refunded
from bot.handlers.admin.guard import AdminRequest, Usage, admin_command
from bot.handlers.admin.money import amount_arg
from bot.handlers.admin.notices import tell_customer
from bot.i18n import N_
from bot.numbers import parse_whole
from bot.render.admin_views import (
    lines,
    order_text,
    refunded_text,
    resolved_refund_text,
    resolved_text,
    unknown_text,
)
from bot.telegram.hooks import hooks

UNKNOWN_LISTED = 50


def order_id_arg(text: str) -> int:
    """'12' or '#12' -> 12; Usage otherwise."""
    order_id = parse_whole(text.removeprefix("#"))
    if order_id is None:
        raise Usage
    return order_id


async def _tell_refund(req: AdminRequest, done: Refunded) -> str:
    """Tell the customer about a refund; the admin's line about whether it arrived."""
    balance = await wallet.balance(req.rt.db, done.order.user_id)
    told = await tell_customer(req, done.order.user_id, "admin.notice_refund", order_id=done.order.id,
                               money={"amount": done.amount, "balance": balance})
    return req.tr("admin.customer_told" if told else "admin.customer_not_told")


OrderSection = Callable[[AdminRequest, OrderDetails], Awaitable[list[str]]]


def order_sections(application: Application[Any, Any, Any, Any, Any, Any]) -> list[OrderSection]:
    """This application's extra /order sections (async (req, details) -> HTML lines), FEATURES order."""
    return hooks(application, "admin.order_sections")


async def show_order(req: AdminRequest) -> str:
    """/order <id>: everything stored about the order, with the panel's last raw answer."""
    if len(req.args) != 1:
        raise Usage
    found = await admin_orders.details(req.rt.db, order_id_arg(req.args[0]))
    extra = [line for section in order_sections(req.context.application) for line in await section(req, found)]
    return lines(order_text(req.tr, found, req.currency), *extra)


async def refund(req: AdminRequest) -> str:
    """/refund <id> [amount]: all that is left, or a part; never beyond the price in total."""
    if len(req.args) not in (1, 2):
        raise Usage
    order_id = order_id_arg(req.args[0])
    amount = amount_arg(req.args[1]) if len(req.args) == 2 else None
    done = await admin_orders.refund(req.rt.db, order_id, amount, actor=req.admin_id)
    return lines(refunded_text(req.tr, done.order, done.amount, req.currency), await _tell_refund(req, done))


async def list_unknown(req: AdminRequest) -> str:
    """/unknown: orders whose `add` outcome is unknown, oldest first."""
    if req.args:
        raise Usage
    return unknown_text(req.tr, await reconcile.unknown_orders(req.rt.db, limit=UNKNOWN_LISTED), req.currency)


def settle_amount_arg(text: str) -> int:
    """The amount of `/resolve <id> refund <amount>`: a positive amount, or 0 (refund nothing)."""
    return 0 if text.strip() in ("0", "0.0", "0.00") else amount_arg(text)


async def resolve(req: AdminRequest) -> str:
    """/resolve <id> <panel order id>: tracked from now on; /resolve <id> refund: not placed, refunded;
    /resolve <id> refund [amount]: a held final order settled with that refund."""
    if len(req.args) not in (2, 3) or (len(req.args) == 3 and req.args[1].lower() != admin_orders.REFUND_WORD):
        raise Usage
    amount = settle_amount_arg(req.args[2]) if len(req.args) == 3 else None
    done = await admin_orders.resolve(req.rt.db, order_id_arg(req.args[0]), req.args[1], actor=req.admin_id,
                                      amount=amount)
    if isinstance(done, Refunded):
        text = resolved_refund_text(req.tr, done.order, done.amount, req.currency)
        return lines(text, await _tell_refund(req, done)) if done.amount else text
    return resolved_text(req.tr, done)


def register(application: Application[Any, Any, Any, Any, Any, Any], settings: Settings) -> None:
    admin_command(application, "order", show_order, usage=N_("admin.usage_order"))
    admin_command(application, "refund", refund, usage=N_("admin.usage_refund"))
    admin_command(application, "unknown", list_unknown, usage=N_("admin.usage_unknown"))
    admin_command(application, "resolve", resolve, usage=N_("admin.usage_resolve"))
