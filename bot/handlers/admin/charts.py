"""The pictures under /stats 7d|30d and /panels: rendered off the event loop, sent to the admin chat.

A chart that cannot be drawn or sent is logged and left out: the figures in text already went.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Coroutine
from typing import Any

from telegram.error import TelegramError

from bot.charts.render import StatsLabels, balance_chart, stats_chart
from bot.domain import stats_daily
from bot.domain.stats import PanelOverview, Period
from bot.handlers.admin.guard import AdminRequest

log = logging.getLogger(__name__)

CHARTED = {Period.WEEK: 7, Period.MONTH: 30}


def in_background(req: AdminRequest, work: Coroutine[Any, Any, None]) -> None:
    """Draw and send after the command is done (and audited): the figures in text are already there."""
    req.context.application.create_task(work, update=req.update, name=f"chart-{req.action}")


async def _send(req: AdminRequest, png: bytes, caption: str) -> None:
    try:
        await req.context.bot.send_photo(chat_id=req.update.effective_chat.id, photo=png, caption=caption)
    except TelegramError as exc:
        log.warning("could not send the %s chart: %s", req.action, exc)


async def send_stats_chart(req: AdminRequest, period: Period) -> None:
    """Orders, turnover and profit per day, and the top services, of a 7- or 30-day period."""
    try:
        figures = await stats_daily.daily_figures(req.rt.db, period)
        title = req.tr("charts.stats_title", days=CHARTED[period])
        labels = StatsLabels(title, req.tr("charts.orders"), req.tr("charts.turnover"), req.tr("charts.profit"),
                             req.tr("charts.top_services"))
        png = await asyncio.to_thread(stats_chart, labels, figures.days, figures.orders, figures.turnover,
                                      figures.profit, [(t.name, t.paid) for t in figures.top], req.currency)
    except Exception:
        log.exception("the /stats chart could not be drawn")
        return
    await _send(req, png, title)


async def send_balance_chart(req: AdminRequest, overview: list[PanelOverview]) -> None:
    """Keep the balances just read, then draw each panel's trend when it has history."""
    try:
        for panel in overview:
            if panel.balance is not None:
                await stats_daily.record_balance(req.rt.db, panel.panel, panel.balance)
        trends = await stats_daily.balance_trends(req.rt.db)
        if not trends:
            return
        series: dict[str, Any] = {p: [(pt.recorded_at, float(pt.amount)) for pt in pts] for p, pts in trends.items()}
        currencies = {p: pts[-1].currency or "" for p, pts in trends.items()}
        title = req.tr("charts.balance_title", days=stats_daily.TREND_DAYS)
        png = await asyncio.to_thread(balance_chart, title, series, currencies)
    except Exception:
        log.exception("the /panels chart could not be drawn")
        return
    await _send(req, png, title)
