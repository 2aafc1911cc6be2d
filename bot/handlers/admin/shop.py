"""The shop's own admin commands (issue #15): /rate — exchange rates of the panels' currencies.

Registered as its own feature (bot/app.py FEATURES) so the admin package's wiring stays untouched;
on_startup records SHOP_CURRENCY and EXCHANGE_RATES and tells the admins of panels left unpriced.
"""

from __future__ import annotations

from typing import Any

from telegram.ext import Application

from bot.config import Settings
from bot.domain import currency
from bot.handlers.admin.guard import AdminRequest, Usage, admin_command
from bot.i18n import N_
from bot.render.currency_views import rate_set_text, rates_text
from bot.runtime import app_runtime
from bot.telegram import alerts

ADMIN_COMMANDS = [("rate", N_("shop.cmd_rate"))]  # the admin group's menu (bot/app.py)
OFF_WORDS = frozenset({"off", "reset", "default"})


async def rate_command(req: AdminRequest) -> str:
    """/rate: the list; /rate <CUR> <rate|off>: set or drop one currency's rate."""
    shop_currency = req.rt.settings.shop.shop_currency
    if not req.args:
        found = [(r.currency, r.rate, r.source) for r in await currency.rates(req.rt.db)]
        return rates_text(req.tr, shop_currency, found, await currency.conversions(req.rt.db))
    if len(req.args) != 2:
        raise Usage
    try:
        code = currency.parse_currency(req.args[0])
        rate = None if req.args[1].lower() in OFF_WORDS else currency.parse_rate(req.args[1])
        await currency.set_rate(req.rt.db, code, rate, actor=req.admin_id, shop_currency=shop_currency)
    except currency.BadRate:
        raise Usage from None
    return rate_set_text(req.tr, code, rate, shop_currency)


async def on_startup(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """Record SHOP_CURRENCY and EXCHANGE_RATES; alert about panels whose currency has no rate."""
    rt = app_runtime(application)
    await currency.start(rt.db, rt.settings.shop.shop_currency, rt.settings.shop.exchange_rate_table)
    for panel, code in await currency.newly_unpriced(rt.db):
        await alerts.alert(application, rt.settings, rt.i18n, "shop.alert_rate_missing", panel=panel,
                           currency=code, shop_currency=rt.settings.shop.shop_currency)


def register(application: Application[Any, Any, Any, Any, Any, Any], settings: Settings) -> None:
    admin_command(application, "rate", rate_command, usage=N_("shop.usage_rate"))
