"""The two charts: the shop's days (/stats 7d|30d) and the panels' balance trends (/panels)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from io import BytesIO

import matplotlib

matplotlib.use("Agg")  # before anything else of matplotlib: never a display

from matplotlib.backends.backend_agg import FigureCanvasAgg  # noqa: E402
from matplotlib.dates import AutoDateLocator, ConciseDateFormatter  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from bot.money import from_minor  # noqa: E402

DPI = 100
COLOURS = {"orders": "#8e8e93", "turnover": "#2481cc", "profit": "#34a853", "bar": "#2481cc"}
MAX_NAME_CHARS = 36


@dataclass(frozen=True)
class StatsLabels:
    """The chart's words, in the admin group's language."""

    title: str
    orders: str
    turnover: str
    profit: str
    top: str


def _png(figure: Figure) -> bytes:
    FigureCanvasAgg(figure)
    out = BytesIO()
    figure.savefig(out, format="png", dpi=DPI)
    return out.getvalue()


def _money(minor: Sequence[int]) -> list[float]:
    return [float(from_minor(m)) for m in minor]


def stats_chart(labels: StatsLabels, days: Sequence[date], orders: Sequence[int], turnover: Sequence[int],
                profit: Sequence[int], top: Sequence[tuple[str, int]], currency: str) -> bytes:
    """Orders (bars), turnover and profit (lines) per day above; the top services by turnover below."""
    figure = Figure(figsize=(8, 6.4))
    upper = figure.add_axes((0.08, 0.47, 0.82, 0.47))  # the days
    lower = figure.add_axes((0.36, 0.06, 0.6, 0.32))  # the top services, room for their names on the left
    upper.set_title(labels.title, fontsize=12)
    if len(days) <= 62:
        upper.bar(days, orders, color=COLOURS["orders"], alpha=0.35, label=labels.orders)
    else:  # a year of bars is hundreds of patches: one filled step line draws the same picture faster
        upper.fill_between(days, orders, step="mid", color=COLOURS["orders"], alpha=0.35, label=labels.orders)
    locator = AutoDateLocator(maxticks=8)
    upper.xaxis.set_major_locator(locator)
    upper.xaxis.set_major_formatter(ConciseDateFormatter(locator))
    upper.set_ylabel(labels.orders)
    upper.yaxis.get_major_locator().set_params(integer=True)
    money = upper.twinx()
    money.plot(days, _money(turnover), color=COLOURS["turnover"], marker="o" if len(days) <= 31 else None,
               markersize=3, label=labels.turnover)
    money.plot(days, _money(profit), color=COLOURS["profit"], marker="o" if len(days) <= 31 else None,
               markersize=3, label=labels.profit)
    money.set_ylabel(currency)
    handles = upper.get_legend_handles_labels()[0] + money.get_legend_handles_labels()[0]
    money.legend(handles, [h.get_label() for h in handles], loc="upper left", fontsize=8, frameon=False)
    upper.tick_params(axis="x", labelsize=8)
    lower.set_title(labels.top, fontsize=10)
    if top:
        names = [n if len(n) <= MAX_NAME_CHARS else n[:MAX_NAME_CHARS - 1] + "…" for n, _ in top][::-1]
        values = _money([v for _, v in top])[::-1]
        lower.barh(range(len(names)), values, color=COLOURS["bar"])
        lower.set_yticks(range(len(names)), names, fontsize=8)
        lower.set_xlabel(currency, fontsize=8)
    else:
        lower.set_axis_off()
    return _png(figure)


def balance_chart(title: str, series: Mapping[str, Sequence[tuple[datetime, float]]],
                  currencies: Mapping[str, str]) -> bytes:
    """One small line chart per panel (currencies may differ, so no shared axis)."""
    count = max(len(series), 1)
    figure = Figure(figsize=(8, 1.2 + 2.2 * count))
    figure.subplots_adjust(left=0.1, right=0.97, hspace=0.5)
    figure.suptitle(title, fontsize=12)
    axes = figure.subplots(count, 1, squeeze=False)[:, 0]
    for ax, (panel, points) in zip(axes, series.items(), strict=False):
        times = [t for t, _ in points]
        ax.plot(times, [v for _, v in points], color=COLOURS["turnover"], drawstyle="steps-post",
                marker="." if len(times) <= 60 else None)
        if times and (times[-1] - times[0]).total_seconds() < 3600:
            ax.set_xlim(times[0] - timedelta(minutes=30), times[-1] + timedelta(minutes=30))  # readings moments apart
        ax.set_title(panel, fontsize=10, loc="left")
        ax.set_ylabel(currencies.get(panel, ""), fontsize=8)
        ax.tick_params(labelsize=8)
        locator = AutoDateLocator(maxticks=8)
        ax.xaxis.set_major_locator(locator)
        ax.xaxis.set_major_formatter(ConciseDateFormatter(locator))
    return _png(figure)
