"""Alerts to the operators' group (ADMIN_CHAT_ID): short posts in the shop's default language.

Every function here never raises: an alert that cannot be posted is logged (redacted) and
dropped, so a failing admin chat never breaks an order, a sync cycle or a handler.

    await alerts.alert(context, rt.settings, rt.i18n, "admin.alert_panel_down", panel="main", error=why)
    await alerts.post_admin(context, rt.settings, html_text)       # a text rendered elsewhere
    await alerts.panel_down(context, rt, "main", why)               # the typed helpers below
    alerts.report_order(context, result)                            # after place_order; returns at once

`source` is anything that carries the bot: a Bot, a CallbackContext or an Application.
`alert()` HTML-escapes every str parameter, so panel words and usernames are safe to pass.
Telegram allows ~20 posts a minute in a group; the application's AIORateLimiter queues the
rest, which is why `report_order` posts from a background task (the customer never waits).
"""

from __future__ import annotations

import html
import logging
import re
from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from telegram import Bot

from bot.domain import lookups
from bot.domain.order_results import Placed, Refused, Unknown
from bot.money import format_money
from bot.panel.models import OrderStatus
from bot.render.admin_views import customer_label, when
from bot.runtime import app_runtime
from bot.storage.orders import OUTCOME_UNKNOWN
from bot.telegram.redact import redact

if TYPE_CHECKING:
    from telegram.ext import Application, CallbackContext

    from bot.config import Settings
    from bot.i18n import Translator
    from bot.runtime import Runtime
    from bot.storage.orders import Order

log = logging.getLogger(__name__)

MAX_POST_CHARS = 4096  # Telegram's limit for one message
_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9-]*)[^>]*>")


def _bot(source: Any) -> Bot:
    return source if isinstance(source, Bot) else source.bot


def _open_tags(text: str) -> list[str]:
    """HTML tags opened in text and not closed yet, outermost first."""
    stack: list[str] = []
    for closing, name in _TAG.findall(text):
        if not closing:
            stack.append(name)
        elif stack and stack[-1] == name:
            stack.pop()
    return stack


def fit_message(text: str, limit: int = MAX_POST_CHARS) -> str:
    """HTML text cut at a line end so it fits one message, with the tags the cut left open closed."""
    if len(text) <= limit:
        return text
    room = limit - 64  # for the closing tags and the ellipsis
    cut = text.rfind("\n", 0, room)
    kept = text[:cut] if cut > 0 else text[:room]
    return kept + "\n…" + "".join(f"</{name}>" for name in reversed(_open_tags(kept)))


def admin_language(settings: Settings, i18n: Translator) -> str:
    """The language admin texts are written in: the shop's DEFAULT_LOCALE."""
    return i18n.resolve(None, None, settings.shop.default_locale)


async def post_admin(source: Bot | CallbackContext | Application, settings: Settings, text: str) -> bool:
    """Post an HTML text to the admin chat; False when ADMIN_CHAT_ID is unset or it failed."""
    chat_id = settings.admin.admin_chat_id
    if chat_id is None:
        return False
    try:
        await _bot(source).send_message(chat_id=chat_id, text=fit_message(text))
    except Exception as exc:  # an alert must never break its caller
        log.warning("could not post an alert to the admin chat: %s", redact(str(exc)))
        return False
    return True


async def alert(source: Bot | CallbackContext | Application, settings: Settings, i18n: Translator,
                msgid: str, **params: object) -> bool:
    """Post one localized alert (str params are HTML-escaped); False when it was not posted."""
    try:
        safe = {k: html.escape(v, quote=False) if isinstance(v, str) else v for k, v in params.items()}
        text = i18n.t(admin_language(settings, i18n), msgid, **safe)
    except Exception:
        log.exception("could not render alert %s", msgid)
        return False
    return await post_admin(source, settings, text)


# --- panels (the sync posts these) ------------------------------------------------------------

async def panel_down(source: Bot | CallbackContext | Application, rt: Runtime, panel: str, error: str) -> bool:
    """A panel stopped answering (post once per outage)."""
    return await alert(source, rt.settings, rt.i18n, "admin.alert_panel_down", panel=panel, error=error)


async def panel_up(source: Bot | CallbackContext | Application, rt: Runtime, panel: str,
                   down_since: datetime | None = None) -> bool:
    """A panel answers again after an outage."""
    since = f"{when(down_since, '?')} UTC"
    return await alert(source, rt.settings, rt.i18n, "admin.alert_panel_up", panel=panel, since=since)


async def low_balance(source: Bot | CallbackContext | Application, rt: Runtime, panel: str,
                      balance: Decimal, currency: str) -> bool:
    """A panel's balance fell under LOW_BALANCE_ALERT (post once until it recovers)."""
    threshold = rt.settings.admin.low_balance_alert
    return await alert(source, rt.settings, rt.i18n, "admin.alert_low_balance", panel=panel,
                       balance=f"{balance} {currency}", threshold=f"{threshold} {currency}")


# --- orders (the order conversation posts these) ------------------------------------------------

async def order_alert(source: Bot | CallbackContext | Application, rt: Runtime, order: Order,
                      username: str | None = None) -> bool:
    """The alert that fits a freshly settled order: new (pending), failed, or outcome unknown."""
    money = rt.settings.shop.shop_currency
    common = {"order_id": order.id, "service": order.service_name, "panel": order.panel,
              "customer": customer_label(order.user_id, username), "price": format_money(order.price, money)}
    if order.status == OrderStatus.FAILED:
        return await alert(source, rt.settings, rt.i18n, "admin.alert_order_failed",
                           reason=order.fail_reason or order.fail_kind or "?", **common)
    if order.status == OUTCOME_UNKNOWN:
        return await alert(source, rt.settings, rt.i18n, "admin.alert_order_unknown",
                           reason=order.fail_reason or "?", **common)
    return await alert(source, rt.settings, rt.i18n, "admin.alert_order_new", quantity=order.quantity,
                       panel_order_id=order.panel_order_id or "?", **common)


def report_order(context: CallbackContext, result: object, username: str | None = None) -> None:
    """After place_order: queue the new/failed/unknown alert in the background (repeats are skipped)."""
    try:
        if getattr(result, "repeated", False) or getattr(result, "order_id", None) is None:
            return  # nothing recorded (refused before charging, no funds, banned) or already reported
        if not isinstance(result, Placed | Refused | Unknown):
            return
        application = context.application
        application.create_task(_report_order(application, result.order_id, username),
                                name=f"admin-alert-order-{result.order_id}")
    except Exception:
        log.exception("could not queue the admin alert for an order")


async def _report_order(application: Application, order_id: int, username: str | None) -> None:
    try:
        rt = app_runtime(application)
        order = await lookups.order(rt.db, order_id)
        if order is not None:
            await order_alert(application, rt, order, username)
            sync = application.bot_data.get("sync")  # bot/telegram/sync_job.SERVICE_KEY: absent without the sync
            if sync is not None:
                await sync.after_refusal(rt, order)
    except Exception:
        log.exception("could not post the admin alert for order %s", order_id)

