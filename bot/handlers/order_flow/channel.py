"""REQUIRED_CHANNEL in front of the New-order flow: who has not joined sees the channel and "I've joined".

Every entry point (/order, New order, /mass, Order again) asks `channel_ok` first; "I've joined"
(`ord:joined`) is an entry point itself: it asks Telegram again (never the cache) and opens New order.
"""

from __future__ import annotations

from telegram import Update
from telegram.ext import ContextTypes, ConversationHandler

from bot.handlers.common import answer, translator
from bot.handlers.order_flow.screens import present
from bot.handlers.order_flow.state import new_flow
from bot.render.channel_views import join_screen
from bot.runtime import runtime
from bot.telegram.membership import has_joined
from bot.telegram.screens import show


async def channel_ok(update: Update, context: ContextTypes.DEFAULT_TYPE) -> bool:
    """Whether the customer may order; if not, they were shown the channel to join."""
    if await has_joined(context, update.effective_user.id) is not False:
        return True  # joined, no channel required, or Telegram cannot tell (the admins are told)
    await answer(update)
    tr = await translator(update, context)
    await show(update, join_screen(tr, runtime(context).settings.storefront.required_channel or ""), edit=False)
    return False


async def on_joined(update: Update, context: ContextTypes.DEFAULT_TYPE) -> object:
    """I've joined: check again now; New order when it is true, a short "not yet" otherwise."""
    if await has_joined(context, update.effective_user.id, fresh=True) is False:
        await answer(update, (await translator(update, context))("shop.channel_not_yet"))
        return ConversationHandler.END
    await answer(update)
    return await present(update, context, new_flow(context.user_data))
