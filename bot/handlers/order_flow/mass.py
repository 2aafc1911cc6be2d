"""The mass order inside the New-order flow: /mass or New order → Mass order, a list, a preview, Confirm.

Steps `mass` (the list is asked) and `mass_preview` (its preview) live in the flow like every other
step, so stale buttons, the idle clock, persistence and the WAITING state work the same. Confirm
(block=False, like the single Confirm) places each kept line once with the client token
`<nonce>:<line>`, editing one message with the progress, then shows the summary.
"""

from __future__ import annotations

import time

from telegram import Update
from telegram.ext import ContextTypes, ConversationHandler

from bot.domain import mass_order
from bot.domain.order_results import Placed
from bot.handlers.common import refuse_button, translator
from bot.handlers.order_flow import moves
from bot.handlers.order_flow.browse import cancel_flow, lost_flow
from bot.handlers.order_flow.channel import channel_ok
from bot.handlers.order_flow.screens import present
from bot.handlers.order_flow.state import Stale, checked_button, end_flow, live_flow, new_flow, next_tag
from bot.render import mass_views
from bot.render.order_views import Screen
from bot.runtime import runtime
from bot.telegram import alerts
from bot.telegram.screens import show

PROGRESS_EVERY_SECONDS = 1.0  # at most about one edit a second (Telegram limits edits of one message)


async def start_mass(update: Update, context: ContextTypes.DEFAULT_TYPE) -> object:
    """/mass: a fresh flow at the list prompt (or one line when the shop turned mass orders off)."""
    tr = await translator(update, context)
    if not runtime(context).settings.storefront.mass_order_enabled:
        end_flow(context.user_data)
        await update.effective_message.reply_text(tr("mass.off"))
        return ConversationHandler.END
    if not await channel_ok(update, context):
        return ConversationHandler.END
    flow = new_flow(context.user_data)
    flow["step"] = "mass"
    return await present(update, context, flow, edit=False)


async def on_mass_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> object:
    """The list: preview it (a new message), or say what is wrong with it as a whole."""
    flow = live_flow(context)
    if flow is None:
        return await lost_flow(update, context)
    tr = await translator(update, context)
    text = update.effective_message.text or ""
    try:
        lines = mass_order.split_lines(text)
    except mass_order.TooManyLines:
        flow["step"] = "mass"
        return await present(update, context, flow, problem=tr("mass.too_many", max=mass_order.MAX_LINES), edit=False)
    if not lines:
        flow["step"] = "mass"
        return await present(update, context, flow, problem=tr("mass.empty"), edit=False)
    flow.update(step="mass_preview", mass_text=text)
    return await present(update, context, flow, edit=False)


async def on_mass_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> object:
    """Back (another list) or Cancel on the prompt or the preview."""
    flow = live_flow(context)
    if flow is None:
        return await lost_flow(update, context)
    try:
        callback = checked_button(flow, update.callback_query.data)
        if callback.action == "cancel":
            return await cancel_flow(update, context)
        if callback.action != "back":
            raise Stale(f"not a mass-order button: {callback.action}")
        moves.go_back(flow, None)
    except Stale:
        await refuse_button(update, await translator(update, context))
        return None
    await update.callback_query.answer()
    return await present(update, context, flow)


async def on_mass_confirm(update: Update, context: ContextTypes.DEFAULT_TYPE) -> object:
    """Confirm: place each kept line once, progress in this message, then the summary."""
    rt, tr = runtime(context), await translator(update, context)
    flow = live_flow(context)
    if flow is None:
        return await lost_flow(update, context)
    try:
        callback = checked_button(flow, update.callback_query.data)
        if callback.action != "massgo" or flow["step"] != "mass_preview":
            raise Stale("not the preview's Confirm")
    except Stale:
        await refuse_button(update, tr)
        return None
    await update.callback_query.answer()
    next_tag(flow)  # the preview's buttons are stale from now on
    lines = list(flow.get("mass") or [])
    await show(update, Screen(mass_views.progress_text(tr, 0, len(lines))))
    last = [time.monotonic()]

    async def progress(done: int, total: int) -> None:
        if done < total and time.monotonic() - last[0] >= PROGRESS_EVERY_SECONDS:
            last[0] = time.monotonic()
            await show(update, Screen(mass_views.progress_text(tr, done, total)))

    results = await mass_order.place_all(
        rt.db, rt.panels, user_id=update.effective_user.id, batch=flow["nonce"], lines=lines,
        default_markup=rt.settings.shop.markup_percent, progress=progress)
    placed = [r.order_id for _, r in results if isinstance(r, Placed) and not r.repeated]
    for _, result in results:  # failed and unknown orders need the admins one by one; placed ones in one line
        if not isinstance(result, Placed):
            alerts.report_order(context, result, update.effective_user.username)
    if placed:
        await alerts.alert(context, rt.settings, rt.i18n, "shop.alert_mass", count=len(placed),
                           user=update.effective_user.id, orders=", ".join(f"#{i}" for i in placed[:50]))
    end_flow(context.user_data)
    await show(update, Screen(mass_views.summary_text(tr, results, rt.settings.shop.shop_currency)))
    return ConversationHandler.END
