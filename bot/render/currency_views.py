"""Admin texts of the shop's currency and curated catalogue: /rate, /service, /category (DEFAULT_LOCALE)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import Decimal

from bot.render.text import esc
from bot.storage.catalogue import CachedService
from bot.storage.curation import ServiceOverride

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


def service_text(tr: Tr, service: CachedService, override: ServiceOverride | None) -> str:
    """/service: what customers see of one service and what the admins changed."""
    lines = [tr("shop.service_title", panel=esc(service.panel), id=esc(service.service_id), name=esc(service.name)),
             tr("shop.service_category", category=esc(service.category), id=service.category_id)]
    if override is not None and override.name:
        lines.append(tr("shop.service_renamed"))
    if override is not None and override.description:
        lines.append(tr("shop.service_described", description=esc(override.description, 300)))
    if override is not None and override.pin is not None:
        lines.append(tr("shop.service_pinned", pin=override.pin))
    if service.hidden or not service.available:
        lines.append(tr("shop.service_hidden"))
    return "\n".join(lines)


def category_done_text(tr: Tr, category_id: int, field: str, value: str, moved: int) -> str:
    if field == "merge":
        return tr("shop.category_merged", id=category_id, target=esc(value), count=moved)
    if field == "platform":
        return tr("shop.category_platform", id=category_id, platform=esc(value.lower()))
    return tr("shop.category_named", id=category_id)
