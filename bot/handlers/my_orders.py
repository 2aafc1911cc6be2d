"""My orders: /orders or the menu button → a paginated list → an order card with Refresh, Refill, Cancel.

Every button names an order id; the order is looked up *with its owner* (lookups.user_order), so
a forged id of someone else's order is refused politely and nothing happens. Buttons that wait
on a panel (refresh, refill, cancel) run with block=False: the application goes on answering
other customers meanwhile. Their result is shown in the card itself (the message is edited).
Refresh is order_refresh.refresh_order (owner check, panel call, apply_status, marked as told);
this module only renders what came of it.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from typing import Any

from telegram import InlineKeyboardButton, Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, ContextTypes, filters

from bot.config import Settings
from bot.domain import lookups, order_refresh, order_requests
from bot.domain.order_refresh import RefreshOutcome
from bot.handlers.common import answer, customer_tr
from bot.i18n import N_
from bot.money import format_money
from bot.render.callbacks import BadCallback, Callback, pattern, unpack
from bot.render.keyboards import page_count
from bot.render.menu_views import ORDERS_FEATURE, Screen, Tr
from bot.render.order_list_views import order_card_screen, orders_list_screen
from bot.render.order_views_input import reason_text
from bot.runtime import Runtime, runtime
from bot.storage.orders import Order
from bot.storage.paging import Page, fetch_page
from bot.telegram.hooks import hooks
from bot.telegram.screens import show

log = logging.getLogger(__name__)

COMMANDS = [("orders", N_("orders.cmd_orders"))]
PER_PAGE = 8
SLOW_ACTIONS = ("refresh", "refill", "cancel")  # these wait on a panel
CardButton = Callable[[Runtime, Tr, Order], InlineKeyboardButton | None]

_REQUEST_NOTICES = {  # (request kind, NotAllowed reason) -> what the customer reads
    ("refill", "already_requested"): N_("orders.refill_already"),
    ("cancel", "already_requested"): N_("orders.cancel_already"),
    ("refill", "not_supported"): N_("orders.refill_not_allowed"),
    ("refill", "wrong_status"): N_("orders.refill_not_allowed"),
    ("cancel", "not_supported"): N_("orders.cancel_not_allowed"),
    ("cancel", "wrong_status"): N_("orders.cancel_not_allowed"),
}


async def list_screen(rt: Runtime, tr: Tr, user_id: int, page: int) -> Screen:
    """One page of the customer's orders (a page that no longer exists shows the last one)."""
    async def fetch(*, offset: int, limit: int) -> Page[Order]:
        return await lookups.user_orders(rt.db, user_id, offset=offset, limit=limit)

    found, page = await fetch_page(fetch, page, PER_PAGE)
    return orders_list_screen(tr, found.items, total=found.total, page=page,
                              pages=page_count(found.total, PER_PAGE))


def card_extra_buttons(application: Application[Any, Any, Any, Any, Any, Any]) -> list[CardButton]:
    """This application's order-card button hooks: (rt, tr, order) -> a button, or None to hide it."""
    return hooks(application, "my_orders.card_buttons")


def _extra(application: Application[Any, Any, Any, Any, Any, Any] | None, rt: Runtime, tr: Tr,
           order: Order) -> list[InlineKeyboardButton]:
    found = []
    for hook in card_extra_buttons(application) if application is not None else []:
        try:
            made = hook(rt, tr, order)
        except Exception:
            log.exception("order card button hook %r failed", hook)
            continue
        if made is not None:
            found.append(made)
    return found


async def card_screen(rt: Runtime, tr: Tr, lang: str, order: Order, page: int, *,
                      notice: str | None = None, confirm_cancel: bool = False,
                      application: Application[Any, Any, Any, Any, Any, Any] | None = None) -> Screen:
    """The order's card as it stands, with the buttons the domain allows now (and other features' ones)."""
    refills = await lookups.order_refills(rt.db, order.id)
    return order_card_screen(
        tr, order, lang=lang, currency=rt.settings.shop.shop_currency, page=page,
        latest_refill=refills[-1] if refills else None, can_refill=order_requests.can_refill(order, refills),
        can_cancel=order_requests.can_cancel(order), notice=notice, confirm_cancel=confirm_cancel,
        extra=_extra(application, rt, tr, order),
        can_again=order_requests.can_order_again(order),
    )


async def on_orders_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/orders: the first page of the list."""
    _, tr = await customer_tr(update, context)
    await show(update, await list_screen(runtime(context), tr, update.effective_user.id, 0), edit=False)


def _decode(data: object) -> tuple[Callback, int, int]:
    """(callback, order id, list page) of a card button; BadCallback when it is not one."""
    callback = unpack(data)
    return callback, callback.int_arg(0), callback.int_arg(1)


async def on_orders_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """list / card / cancel_ask: quick screens from the database."""
    rt, (lang, tr) = runtime(context), await customer_tr(update, context)
    user_id = update.effective_user.id
    try:
        callback = unpack(update.callback_query.data)
        if callback.action == "list":
            screen = await list_screen(rt, tr, user_id, callback.int_arg(0))
            await answer(update)
            await show(update, screen)
            return
        if callback.action not in ("card", "cancel_ask"):
            raise BadCallback("unknown action")
        order_id, page = callback.int_arg(0), callback.int_arg(1)
    except BadCallback:
        await answer(update, tr("common.stale_button"))
        return
    order = await lookups.user_order(rt.db, user_id, order_id)
    if order is None:
        await answer(update, tr("orders.not_found"))
        return
    asking = callback.action == "cancel_ask" and order_requests.can_cancel(order)
    notice = tr("orders.cancel_not_allowed") if callback.action == "cancel_ask" and not asking else None
    await answer(update)
    await show(update, await card_screen(rt, tr, lang, order, page, notice=notice, confirm_cancel=asking,
                                         application=context.application))


async def on_order_action(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """refresh / refill / cancel: ask the panel, then show the result in the card (non-blocking)."""
    rt, (lang, tr) = runtime(context), await customer_tr(update, context)
    user_id = update.effective_user.id
    try:
        callback, order_id, page = _decode(update.callback_query.data)
    except BadCallback:
        await answer(update, tr("common.stale_button"))
        return
    order = await lookups.user_order(rt.db, user_id, order_id)
    if order is None:
        await answer(update, tr("orders.not_found"))  # someone else's order, or forged: nothing happens
        return
    await answer(update)  # the panel may take a while; the card says what happened
    if callback.action == "refresh":
        notice = await refresh_notice(rt, tr, user_id, order.id)
    else:
        notice = await request_notice(rt, tr, callback.action, user_id, order.id)
    order = await lookups.user_order(rt.db, user_id, order_id) or order
    await show(update, await card_screen(rt, tr, lang, order, page, notice=notice,
                                         application=context.application))


async def refresh_notice(rt: Runtime, tr: Tr, user_id: int, order_id: int) -> str:
    """Refresh the order through the domain; what the customer is told (the Mini App says the same)."""
    result = await order_refresh.refresh_order(rt.db, rt.panels, user_id, order_id,
                                                 gate=rt.refresh_gate)
    if result.outcome is RefreshOutcome.NOT_FOUND:
        return tr("orders.not_found")
    if result.outcome is RefreshOutcome.FAILED:
        return tr("orders.refresh_failed")
    if result.outcome is RefreshOutcome.NO_NEWS:
        return tr("orders.refresh_no_news")
    if result.refund:
        return tr("orders.refreshed_refund", amount=format_money(result.refund, rt.settings.shop.shop_currency))
    return tr("orders.refreshed")


async def request_notice(rt: Runtime, tr: Tr, kind: str, user_id: int, order_id: int) -> str:
    """Send a refill or cancel request through the domain; what the customer is told (the Mini App too)."""
    send = order_requests.request_refill if kind == "refill" else order_requests.request_cancel
    result = await send(rt.db, rt.panels, user_id, order_id)
    if isinstance(result, order_requests.Accepted):
        if not result.confirmed:
            return tr("orders.request_unclear")
        return tr("orders.refill_requested") if kind == "refill" else tr("orders.cancel_requested")
    if isinstance(result, order_requests.NotAllowed):
        return tr(_REQUEST_NOTICES.get((kind, result.reason), N_("orders.not_found")))
    if isinstance(result, order_requests.Refused):
        return tr("orders.request_refused", reason=reason_text(tr, result.kind))  # never the panel's words
    return tr("orders.panel_unavailable")


def register(application: Application[Any, Any, Any, Any, Any, Any], settings: Settings) -> None:
    """/orders and the list/card buttons; the panel-bound ones non-blocking."""
    slow = "^" + re.escape(ORDERS_FEATURE) + ":(?:" + "|".join(SLOW_ACTIONS) + "):"
    application.add_handler(CommandHandler("orders", on_orders_command, filters=filters.ChatType.PRIVATE))
    application.add_handler(CallbackQueryHandler(on_order_action, pattern=slow, block=False))
    application.add_handler(CallbackQueryHandler(on_orders_button, pattern=pattern(ORDERS_FEATURE)))
