"""Handlers of the typed part of the New-order flow: each field, then the confirmation card's Back."""

from __future__ import annotations

from telegram import Update
from telegram.ext import ContextTypes

from bot.domain.order_input import InputError
from bot.handlers.common import refuse_button, translator
from bot.handlers.order_flow import moves
from bot.handlers.order_flow.browse import cancel_flow, lost_flow
from bot.handlers.order_flow.screens import ServiceGone, chosen_service, present
from bot.handlers.order_flow.state import Stale, checked_button, live_flow
from bot.panel.models import Service
from bot.render.order_views_input import CHOICES, error_text
from bot.runtime import runtime

PICKED = frozenset({"delay", *CHOICES})  # fields a button answers


async def _service(update: Update, context: ContextTypes.DEFAULT_TYPE, flow: dict) -> Service | None:
    """The flow's service; None (after moving the flow back to its list) when it disappeared."""
    try:
        return (await chosen_service(runtime(context), flow)).to_service()
    except ServiceGone:
        moves.service_gone(flow)
        return None


async def _gone(update: Update, context: ContextTypes.DEFAULT_TYPE, flow: dict, edit: bool) -> object:
    tr = await translator(update, context)
    return await present(update, context, flow, problem=tr("order.service_gone"), edit=edit)


async def on_field_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> object:
    """A typed value for the field being asked: next field, or the same one with the reason it is wrong."""
    flow = live_flow(context)
    if flow is None or flow["step"] != "field":
        return await lost_flow(update, context)
    service = await _service(update, context, flow)
    if service is None:
        return await _gone(update, context, flow, edit=False)
    try:
        moves.answer_field(flow, service, update.effective_message.text)
    except InputError as exc:
        problem = error_text(await translator(update, context), exc)
        return await present(update, context, flow, problem=problem, edit=False)
    return await present(update, context, flow, edit=False)


async def on_field_other(update: Update, context: ContextTypes.DEFAULT_TYPE) -> object:
    """A photo, sticker or file where text is expected: ask again for text."""
    flow = live_flow(context)
    if flow is None or flow["step"] != "field":
        return await lost_flow(update, context)
    problem = error_text(await translator(update, context), InputError("not_text"))
    return await present(update, context, flow, problem=problem, edit=False)


async def on_field_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> object:
    """Skip, a delay choice, Back or Cancel while a field is asked; Back or Cancel on the card."""
    flow = live_flow(context)
    if flow is None:
        return await lost_flow(update, context)
    problem = None
    try:
        callback = checked_button(flow, update.callback_query.data)
        if callback.action == "cancel":
            return await cancel_flow(update, context)
        moves.expect(flow, "field", "confirm")
        service = await _service(update, context, flow)
        if service is None:
            await update.callback_query.answer()
            return await _gone(update, context, flow, edit=True)
        if callback.action == "back":
            moves.go_back(flow, service)
        elif callback.action == "skip":
            moves.skip_field(flow, service)
        elif callback.action == "pick" and flow["step"] == "field" and (
                flow["field"] in PICKED or (flow["field"] == "quantity" and flow.get("again"))):
            try:
                moves.answer_field(flow, service, str(moves.int_arg(callback, 2)))
            except InputError as exc:  # a forged choice: refused like a typed one
                problem = error_text(await translator(update, context), exc)
        else:
            raise Stale(f"{callback.action} does not fit step {flow['step']}")
    except Stale:
        await refuse_button(update, await translator(update, context))
        return None
    await update.callback_query.answer()
    return await present(update, context, flow, problem=problem)


async def on_confirm_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> object:
    """Anything typed at the confirmation card: point at its buttons (the state stays)."""
    if live_flow(context) is None:
        return await lost_flow(update, context)
    tr = await translator(update, context)
    await update.effective_message.reply_text(tr("order.use_buttons"))
    return None
