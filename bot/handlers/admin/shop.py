"""The shop's own admin commands (issue #15): /rate (exchange rates), /service and /category (curation).

Registered as its own feature (bot/app.py FEATURES) so the admin package's wiring stays untouched;
on_startup records SHOP_CURRENCY and EXCHANGE_RATES and tells the admins of panels left unpriced.
"""

from __future__ import annotations

from typing import Any

from telegram.ext import Application

from bot.config import Settings
from bot.domain import curation, currency
from bot.domain.admin_catalogue import split_service
from bot.handlers.admin.guard import AdminRequest, Usage, admin_command
from bot.i18n import N_
from bot.render.currency_views import category_done_text, rate_set_text, rates_text, service_text
from bot.render.text import esc
from bot.runtime import app_runtime
from bot.telegram import alerts

ADMIN_COMMANDS = [("rate", N_("shop.cmd_rate")), ("service", N_("shop.cmd_service")),
                  ("category", N_("shop.cmd_category"))]  # the admin group's menu (bot/app.py)
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


async def service_command(req: AdminRequest) -> str:
    """/service <panel:id> [name|desc|pin <value|off>]: show or curate one service."""
    if not req.args:
        raise Usage
    target = split_service(req.args[0], req.rt.panels.names)
    if target is None:
        raise Usage
    if len(req.args) > 1:
        field = req.args[1].lower()
        rest = " ".join(req.args[2:])
        if field not in ("name", "desc", "pin") or not rest:
            raise Usage
        try:
            await curation.set_service(req.rt.db, *target, field, None if rest.lower() in OFF_WORDS else rest,
                                       actor=req.admin_id)
        except curation.BadCuration as exc:
            return req.tr("shop.curation_refused", reason=esc(str(exc)))
    found, override = await curation.service(req.rt.db, *target)
    return service_text(req.tr, found, override)


async def category_command(req: AdminRequest) -> str:
    """/category <id> name <text|off> | platform <key> | merge <id>."""
    if len(req.args) < 3 or not req.args[0].isascii() or not req.args[0].isdigit():
        raise Usage
    field, value = req.args[1].lower(), " ".join(req.args[2:])
    if field not in ("name", "platform", "merge"):
        raise Usage
    try:
        moved = await curation.set_category(req.rt.db, int(req.args[0]), field,
                                            None if field == "name" and value.lower() in OFF_WORDS else value)
    except curation.BadCuration as exc:
        return req.tr("shop.curation_refused", reason=esc(str(exc)))
    return category_done_text(req.tr, int(req.args[0]), field, value, moved)


async def on_startup(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """Record SHOP_CURRENCY and EXCHANGE_RATES; alert about panels whose currency has no rate."""
    rt = app_runtime(application)
    await currency.start(rt.db, rt.settings.shop.shop_currency, rt.settings.storefront.exchange_rate_table)
    for panel, code in await currency.newly_unpriced(rt.db):
        await alerts.alert(application, rt.settings, rt.i18n, "shop.alert_rate_missing", panel=panel,
                           currency=code, shop_currency=rt.settings.shop.shop_currency)


def register(application: Application[Any, Any, Any, Any, Any, Any], settings: Settings) -> None:
    admin_command(application, "rate", rate_command, usage=N_("shop.usage_rate"))
    admin_command(application, "service", service_command, usage=N_("shop.usage_service"))
    admin_command(application, "category", category_command, usage=N_("shop.usage_category"))
