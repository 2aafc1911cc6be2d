"""Confirm: place the order through the domain, and what the customer reads while and after it runs.

`on_confirm` is registered with block=False (see order_flow.py): it may wait on a slow panel
for its whole timeout, and meanwhile the Application goes on with everyone else's updates.
While it runs, the ConversationHandler keeps this customer in its pending state and routes
their updates to the WAITING handlers below, which only say "still placing".
"""

from __future__ import annotations

from typing import Any

from telegram import Update
from telegram.ext import ContextTypes, ConversationHandler

from bot.domain import ordering
from bot.domain.order_results import Banned, InsufficientFunds, Placed, PriceChanged, Refused, Unknown
from bot.domain.pricing import Quote
from bot.handlers.common import refuse_button, translator
from bot.handlers.order_flow.browse import lost_flow
from bot.handlers.order_flow.screens import present
from bot.handlers.order_flow.state import Stale, checked_button, end_flow, live_flow, next_tag
from bot.panel.errors import RefusalKind
from bot.panel.models import OrderRequest
from bot.render.order_views import Screen, Tr
from bot.render.order_views_input import insufficient_text, placed_text, price_changed_text, refused_text
from bot.runtime import runtime
from bot.telegram import alerts
from bot.telegram.screens import show


def outcome_text(tr: Tr, result: object, currency: str) -> str:
    """What the customer reads about a placed (or not placed) order."""
    if isinstance(result, Placed):
        return placed_text(tr, result.order_id, result.price, result.balance_after, currency)
    if isinstance(result, Refused):
        return tr("order.unavailable") if result.unavailable else refused_text(tr, result.kind, result.bound)
    if isinstance(result, Unknown):
        return tr("order.unknown")
    if isinstance(result, Banned):
        return tr("common.banned")
    raise TypeError(f"unexpected result {result!r}")


def card_offer(flow: dict[str, Any]) -> tuple[OrderRequest, Quote] | None:
    """The request and quote the confirmation card showed (kept in the flow by render_confirm)."""
    try:
        kept = flow["offer"]
        return OrderRequest.model_validate(kept["request"]), Quote.from_json(kept["quote"])
    except (KeyError, TypeError, ValueError):
        return None


async def on_confirm(update: Update, context: ContextTypes.DEFAULT_TYPE) -> object:
    """Confirm: charge and place the order once (the flow nonce is the client token), then report."""
    rt, tr = runtime(context), await translator(update, context)
    query = update.callback_query
    flow = live_flow(context)
    if flow is None:
        return await lost_flow(update, context)
    try:
        callback = checked_button(flow, query.data)
        if callback.action != "confirm" or flow["step"] != "confirm":
            raise Stale("not the confirmation card's Confirm")
    except Stale:
        await refuse_button(update, tr)
        return None
    await query.answer()
    next_tag(flow)  # the card's buttons are stale from now on: a second tap cannot reach here
    await show(update, Screen(tr("order.placing")))
    confirmed = card_offer(flow)
    if confirmed is None:  # a card from before offers were kept: show it again, priced now
        return await present(update, context, flow)
    request, quote = confirmed
    panel = flow["service"][0]
    result = await ordering.place_order(
        rt.db, rt.panels, user_id=update.effective_user.id, panel=panel, request=request,
        client_token=flow["nonce"], default_markup=rt.settings.shop.markup_percent, confirmed=quote,
    )
    if isinstance(result, Refused) and result.kind is RefusalKind.SERVICE_GONE and result.order_id is None:
        end_flow(context.user_data)
        await show(update, Screen(tr("order.service_gone")))
        return ConversationHandler.END
    alerts.report_order(context, result, update.effective_user.username)  # new/failed/unknown → admin group
    currency = rt.settings.shop.shop_currency
    if isinstance(result, PriceChanged):
        # nothing was recorded: a fresh card with the price of now, to confirm again (same nonce)
        problem = price_changed_text(tr, result.confirmed, result.price, currency)
        return await present(update, context, flow, problem=problem)
    if isinstance(result, InsufficientFunds):
        # nothing was recorded: the same card (same nonce) can be confirmed after a top-up
        problem = insufficient_text(tr, result.price, result.balance, currency)
        return await present(update, context, flow, problem=problem)
    end_flow(context.user_data)
    await show(update, Screen(outcome_text(tr, result, currency)))
    return ConversationHandler.END


async def on_waiting_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Any button while the order is being placed (a double-tapped Confirm, too)."""
    tr = await translator(update, context)
    await update.callback_query.answer(tr("order.still_placing"))


async def on_waiting_message(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Anything typed while the order is being placed."""
    tr = await translator(update, context)
    if update.effective_message is not None:
        await update.effective_message.reply_text(tr("order.still_placing"))
