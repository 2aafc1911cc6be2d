"""Admin texts of the shop's currency: /rate's list and answers (admin group, DEFAULT_LOCALE)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import Decimal

from bot.render.text import esc

Tr = Callable[..., str]


def rates_text(tr: Tr, shop_currency: str, rates: Sequence[tuple[str, Decimal, str]],
               panels: dict[str, tuple[str, Decimal | None]]) -> str:
    """Every rate (with where it comes from) and each panel's currency, the unpriced ones flagged."""
    lines = [tr("shop.rates_title", currency=esc(shop_currency))]
    shown = [(c, r, s) for c, r, s in rates if s != "shop"]
    lines += [tr("shop.rate_line", currency=esc(c), rate=f"{r.normalize():f}", shop_currency=esc(shop_currency),
                 source=tr("shop.source_admin") if s == "admin" else tr("shop.source_env")) for c, r, s in shown]
    if not shown:
        lines.append(tr("shop.rates_none"))
    for panel, (code, rate) in sorted(panels.items()):
        key = "shop.panel_missing" if rate is None else "shop.panel_line"
        lines.append(tr(key, panel=esc(panel), currency=esc(code)))
    return "\n".join(lines)


def rate_set_text(tr: Tr, currency: str, rate: Decimal | None, shop_currency: str) -> str:
    if rate is None:
        return tr("shop.rate_dropped", currency=esc(currency))
    return tr("shop.rate_set", currency=esc(currency), rate=f"{rate.normalize():f}", shop_currency=esc(shop_currency))
