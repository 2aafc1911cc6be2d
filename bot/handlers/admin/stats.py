"""/stats and /panels: the shop's figures for a period, and each panel's health (with charts: charts.py)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from telegram.ext import Application

from bot.config import Settings
from bot.domain import stats
from bot.domain.stats import Period
from bot.handlers.admin import charts
from bot.handlers.admin.guard import AdminRequest, Usage, admin_command
from bot.i18n import N_
from bot.render.admin_reports import panels_text, stats_text
from bot.telegram.hooks import hooks

StatsSection = Callable[[AdminRequest, Period], Awaitable[list[str]]]


def stats_sections(application: Application[Any, Any, Any, Any, Any, Any]) -> list[StatsSection]:
    """This application's extra /stats sections, in the order features appended them in register().

    Each is async (req, period) -> HTML lines (escaped, in req.tr).
    """
    return hooks(application, "admin.stats_sections")


async def show_stats(req: AdminRequest) -> str:
    """/stats [today|7d|30d|all]: customers, orders by status, turnover, cost, profit."""
    if len(req.args) > 1:
        raise Usage
    try:
        period = Period(req.args[0].lower()) if req.args else Period.TODAY
    except ValueError:
        raise Usage from None
    found = await stats.shop_stats(req.rt.db, period, operators=req.rt.settings.admin.admin_ids)
    extra = [line for section in stats_sections(req.context.application) for line in await section(req, period)]
    text = stats_text(req.tr, found, req.currency, extra)
    if period not in charts.CHARTED:
        return text
    await req.reply(text)  # the figures first, then their picture
    charts.in_background(req, charts.send_stats_chart(req, period))
    return None


async def show_panels(req: AdminRequest) -> str:
    """/panels: balance (asked now), open orders, last sync and catalogue of every panel."""
    if req.args:
        raise Usage
    overview = await stats.panel_overview(req.rt.db, req.rt.panels)
    await req.reply(panels_text(req.tr, overview))
    charts.in_background(req, charts.send_balance_chart(req, overview))  # readings join the history first
    return None


def register(application: Application[Any, Any, Any, Any, Any, Any], settings: Settings) -> None:
    # the 7d/30d chart renders in a thread: other updates go on meanwhile
    admin_command(application, "stats", show_stats, usage=N_("admin.usage_stats"), block=False)
    # asks every panel for its balance: must not hold up the customers' updates meanwhile
    admin_command(application, "panels", show_panels, usage=N_("admin.usage_panels"), block=False)
