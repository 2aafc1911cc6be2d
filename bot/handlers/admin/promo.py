"""/promo add|list|off in the admin group, and the growth sections of /stats and /user.

    /promo add <CODE> <amount> [max uses] [YYYY-MM-DD]   the date is the code's last day (UTC)
    /promo list
    /promo off <CODE>

The guard (guard.py) lets only admins in the admin chat reach this and audits every call; a
customer's `/promo <CODE>` in a private chat goes to bot/handlers/promo.py instead.
This module is a feature of its own in bot/app.py FEATURES, so the admin package needs no edit.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from telegram.ext import Application

from bot.config import Settings
from bot.domain import promo, referrals
from bot.domain.admin_users import UserProfile
from bot.domain.errors import NotFound, WrongState
from bot.domain.promo import CodeTaken, PromoSpecError
from bot.domain.stats import Period
from bot.handlers.admin import stats, users
from bot.handlers.admin.guard import AdminRequest, Usage, admin_command
from bot.i18n import N_
from bot.render import growth_views as views
from bot.render.admin_views import esc, user_label

COMMAND = "promo"
ADMIN_COMMANDS = [(COMMAND, N_("admin.cmd_promo"))]  # the admin group's menu (bot/app.py)


async def _add(req: AdminRequest, args: list[str]) -> str:
    try:
        spec = promo.parse_spec(args)
    except PromoSpecError as exc:
        if exc.reason == "usage":
            raise Usage from None
        return views.spec_error_text(req.tr, exc.reason)
    try:
        made = await promo.create(req.rt.db, spec, actor=req.admin_id)
    except CodeTaken:
        return req.tr("growth.admin_taken", code=esc(spec.code))
    return views.promo_added_text(req.tr, made, req.currency)


async def _off(req: AdminRequest, args: list[str]) -> str:
    if len(args) != 1:
        raise Usage
    try:
        found = await promo.deactivate(req.rt.db, args[0])
    except NotFound:
        return req.tr("growth.admin_off_missing", code=esc(args[0], 32))
    except WrongState:
        return req.tr("growth.admin_off_already", code=esc(promo.normalize_code(args[0]) or args[0], 32))
    return views.promo_off_text(req.tr, found)


async def _list(req: AdminRequest, args: list[str]) -> str:
    if args:
        raise Usage
    codes = await promo.list_codes(req.rt.db, views.LISTED_CODES)
    total = await promo.count_codes(req.rt.db)
    return views.promo_list_text(req.tr, codes, total, req.currency, datetime.now(UTC).date())


async def promo_command(req: AdminRequest) -> str:
    """/promo add|list|off ..."""
    actions = {"add": _add, "list": _list, "off": _off}
    if not req.args or req.args[0].lower() not in actions:
        raise Usage
    return await actions[req.args[0].lower()](req, req.args[1:])


async def stats_section(req: AdminRequest, period: Period) -> list[str]:
    """/stats: referrals and promo codes over the period."""
    since = None if period is Period.ALL else period.since(datetime.now(UTC))
    program = await referrals.totals(req.rt.db, since)
    return views.stats_lines(req.tr, program, await promo.redemption_totals(req.rt.db, since=since), req.currency)


async def user_section(req: AdminRequest, profile: UserProfile) -> list[str]:
    """/user: who brought the customer, whom they brought, commission earned, promo codes redeemed."""
    user_id = profile.user.id
    found = await referrals.customer_referrals(req.rt.db, user_id)
    referrer = user_label(found.referrer) if found.referrer else None
    return views.user_lines(req.tr, found, referrer, await promo.redemption_totals(req.rt.db, user_id),
                            req.currency)


def register(application: Application[Any, Any, Any, Any, Any, Any], settings: Settings) -> None:
    """/promo for admins, and the growth sections of /stats and /user."""
    admin_command(application, COMMAND, promo_command, usage=N_("growth.usage_promo"))
    stats.stats_sections(application).append(stats_section)
    users.user_sections(application).append(user_section)
