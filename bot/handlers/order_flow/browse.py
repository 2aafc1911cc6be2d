"""Handlers of the catalogue part of the New-order flow: platforms, categories, services, search, card."""

from __future__ import annotations

from telegram import Update
from telegram.ext import ContextTypes, ConversationHandler

from bot.domain import catalogue, favourites
from bot.handlers.common import refuse_button, translator
from bot.handlers.order_flow import moves
from bot.handlers.order_flow.screens import ServiceGone, chosen_service, present
from bot.handlers.order_flow.state import Stale, checked_button, end_flow, live_flow
from bot.render.order_views import Screen
from bot.runtime import runtime
from bot.telegram.screens import show


async def cancel_flow(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    """Cancel (button or /cancel): forget the flow and say nothing was ordered."""
    end_flow(context.user_data)
    tr = await translator(update, context)
    if update.callback_query is not None:
        await update.callback_query.answer()
    await show(update, Screen(tr("common.cancelled")))
    return ConversationHandler.END


async def on_browse_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> object:
    """A button of a list, the search prompt or the service card."""
    flow = live_flow(context)
    if flow is None:
        return await lost_flow(update, context)
    query = update.callback_query
    problem = None
    try:
        callback = checked_button(flow, query.data)
        action = callback.action
        if action == "cancel":
            return await cancel_flow(update, context)
        if action == "plat":
            moves.choose_platform(flow, callback.arg(2))
        elif action in ("cpage", "spage"):
            moves.turn_page(flow, moves.int_arg(callback, 2))
        elif action == "cat":
            category = await catalogue.get_category(runtime(context).db, moves.int_arg(callback, 2))
            if category is None or category.hidden or not category.service_count:
                raise Stale("category not open to customers")
            moves.choose_category(flow, category.id)
        elif action == "svc":
            moves.choose_service(flow, moves.int_arg(callback, 2))
        elif action == "search":
            moves.open_search(flow)
        elif action == "favs":
            moves.expect(flow, "platforms")
            flow["step"] = "favourites"
        elif action == "fav":
            moves.expect(flow, "card")
            panel, service_id = flow["service"]
            await favourites.toggle(runtime(context).db, update.effective_user.id, panel, service_id)
        elif action == "mass" and flow["step"] == "platforms" and runtime(context).settings.storefront.mass_order_enabled:
            flow["step"] = "mass"
        elif action == "back":
            moves.go_back(flow, None)
        elif action == "go":
            moves.expect(flow, "card")
            try:
                moves.start_fields(flow, (await chosen_service(runtime(context), flow)).to_service())
            except ServiceGone:
                moves.service_gone(flow)
                problem = (await translator(update, context))("order.service_gone")
        else:
            raise Stale(f"unknown action {action}")
    except Stale:
        await refuse_button(update, await translator(update, context))
        return None
    await query.answer()
    return await present(update, context, flow, problem=problem)


async def on_browse_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> object:
    """Words typed while browsing: search the catalogue for them."""
    flow = live_flow(context)
    if flow is None:
        return await lost_flow(update, context)
    found = moves.search(flow, update.effective_message.text or "")
    problem = None if found else (await translator(update, context))("order.search_too_short")
    return await present(update, context, flow, problem=problem, edit=False)


async def lost_flow(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    """The conversation has a state but its flow is gone (e.g. data cleared): end it, say how to restart."""
    tr = await translator(update, context)
    if update.callback_query is not None:
        await update.callback_query.answer(tr("common.stale_button"))
    elif update.effective_chat is not None:
        await update.effective_chat.send_message(tr("order.timed_out"))
    end_flow(context.user_data)
    return ConversationHandler.END
