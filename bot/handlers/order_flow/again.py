"""Order again: from an order card in My orders, the same service and link, the quantity asked again.

The button (`ord:again:<order id>`) is an entry point of the New-order conversation: it starts a new
flow, so it carries no nonce; the order is looked up with its owner, so a forged id starts nothing.
"""

from __future__ import annotations

from telegram import Update
from telegram.ext import ContextTypes, ConversationHandler

from bot.domain import catalogue, lookups
from bot.domain.order_requests import can_order_again
from bot.handlers.common import answer, translator
from bot.handlers.order_flow import moves
from bot.handlers.order_flow.channel import channel_ok
from bot.handlers.order_flow.screens import present
from bot.handlers.order_flow.state import new_flow
from bot.render.callbacks import BadCallback, unpack
from bot.runtime import runtime


def last_quantity(quantity: int, extras: dict) -> int:
    """The quantity the customer typed last time (an order stores quantity × drip-feed runs)."""
    runs = extras.get("runs")
    return quantity // runs if isinstance(runs, int) and runs > 0 else quantity


async def start_again(update: Update, context: ContextTypes.DEFAULT_TYPE) -> object:
    """Order again: a new flow at the quantity of the order's service, its link kept."""
    rt, tr = runtime(context), await translator(update, context)
    try:
        order_id = unpack(update.callback_query.data).int_arg(0)
    except BadCallback:
        await answer(update, tr("common.stale_button"))
        return ConversationHandler.END
    order = await lookups.user_order(rt.db, update.effective_user.id, order_id)
    if order is None or not can_order_again(order):
        await answer(update, tr("orders.not_found"))
        return ConversationHandler.END
    if await catalogue.get_service(rt.db, order.panel, order.service_id) is None:
        await answer(update, tr("order.service_gone_short"))
        return ConversationHandler.END
    if not await channel_ok(update, context):
        return ConversationHandler.END
    await answer(update)
    flow = new_flow(context.user_data)
    moves.order_again(flow, order.panel, order.service_id, order.link or "", last_quantity(order.quantity, order.extras))
    return await present(update, context, flow, edit=False)
