"""Telling a customer, in their own language, about money an operator gave them."""

from __future__ import annotations

import logging
from collections.abc import Mapping

from telegram.error import TelegramError

from bot.handlers.admin.guard import AdminRequest
from bot.money import format_money
from bot.telegram.language import language_for
from bot.telegram.notify import send_to_user
from bot.telegram.redact import redact

log = logging.getLogger(__name__)


async def tell_customer(req: AdminRequest, user_id: int, msgid: str, *, money: Mapping[str, int],
                        **params: object) -> bool:
    """Send msgid (`money` params formatted in the shop currency); False when it did not arrive."""
    rt = req.rt
    lang = await language_for(rt, user_id)
    params.update({name: format_money(minor, req.currency) for name, minor in money.items()})
    try:
        return await send_to_user(req.context.bot, rt.db, user_id, rt.i18n.t(lang, msgid, **params))
    except TelegramError as exc:  # the money moved anyway; the admin reads that the notice did not arrive
        log.warning("could not tell customer %s (%s): %s", user_id, msgid, redact(str(exc)))
        return False
