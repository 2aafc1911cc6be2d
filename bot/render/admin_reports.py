"""Texts of the operators' group about the shop as a whole (HTML): /stats, /panels, markups,
categories, /sync reports and broadcasts. Escaping as in admin_views.py (`esc`).
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from telegram import InlineKeyboardMarkup

from bot.domain.broadcast import BroadcastProgress
from bot.domain.catalogue import PanelRefresh, RefreshReport
from bot.domain.stats import PanelOverview, Period, ShopStats
from bot.i18n import N_
from bot.money import format_money
from bot.render.admin_views import Tr, esc, lines, when
from bot.render.callbacks import pack
from bot.render.keyboards import build_keyboard, button
from bot.storage.catalogue import Category
from bot.storage.markups import SHOP_WIDE, Markup

BUTTONS = "adm"  # callback feature of every admin button; no customer feature uses it
SYNC_LIST_ITEMS = 10  # new/removed/changed services listed per panel in a /sync report

PERIOD_LABELS = {Period.TODAY: N_("admin.period_today"), Period.WEEK: N_("admin.period_7d"),
                 Period.MONTH: N_("admin.period_30d"), Period.ALL: N_("admin.period_all")}


# --- /stats and /panels -------------------------------------------------------------------------

def stats_text(tr: Tr, found: ShopStats, currency: str, extra: Sequence[str] = ()) -> str:
    """/stats: customers, orders by status, turnover, cost and profit (plus other features' sections)."""
    money = {k: format_money(v, currency) for k, v in
             (("turnover", found.turnover), ("cost", found.cost), ("profit", found.profit))}
    c = found.customers
    return lines(
        tr("admin.stats_title", period=tr(PERIOD_LABELS[found.period]), since=when(found.since)),
        tr("admin.stats_customers", total=c.total, new=c.new, active=c.active, buyers=c.buyers),
        tr("admin.stats_orders", count=found.order_total),
        *(tr("admin.stats_status_line", status=esc(status), count=count) for status, count in found.orders.items()),
        tr("admin.stats_money", **money),
        *extra,
    )


def _panel_text(tr: Tr, p: PanelOverview) -> str:
    if p.balance is not None:
        balance = esc(f"{p.balance.amount} {p.balance.currency or ''}".strip())
    else:
        balance = tr("admin.panel_balance_error", error=esc(p.balance_error, 120))
    never = tr("admin.never")
    return lines(
        tr("admin.panel_line", panel=esc(p.panel), balance=balance, open=p.open_orders, services=p.services),
        tr("admin.panel_sync", when=when(p.last_sync_at, never)),
        tr("admin.panel_sync_error", error=esc(p.sync_error, 160), since=when(p.down_since, never))
        if p.sync_error else None,
        tr("admin.panel_catalogue", when=when(p.catalogue_at, never)),
        tr("admin.panel_catalogue_error", error=esc(p.catalogue_error, 160)) if p.catalogue_error else None,
    )


def panels_text(tr: Tr, panels: Sequence[PanelOverview]) -> str:
    """/panels: every configured panel's health."""
    return lines(tr("admin.panels_title"), *(_panel_text(tr, p) for p in panels))


# --- catalogue ------------------------------------------------------------------------------------

def scope_label(tr: Tr, scope: str) -> str:
    return tr("admin.markup_shop") if scope == SHOP_WIDE else esc(scope)


def percent(value: Decimal | None) -> str:
    return "—" if value is None else f"{value.normalize():f}%"


def markups_text(tr: Tr, rows: Sequence[Markup], default: Decimal) -> str:
    """/markup without arguments: every markup row and the MARKUP_PERCENT fallback."""
    if not rows:
        return tr("admin.markup_none", default=percent(default))
    return lines(tr("admin.markup_title", default=percent(default)),
                 *(tr("admin.markup_line", scope=scope_label(tr, m.scope), percent=percent(m.percent)) for m in rows))


def markup_set_text(tr: Tr, scope: str, new: Decimal | None, before: Decimal | None) -> str:
    if new is None:
        return tr("admin.markup_dropped", scope=scope_label(tr, scope), before=percent(before))
    return tr("admin.markup_set", scope=scope_label(tr, scope), percent=percent(new), before=percent(before))


def categories_text(tr: Tr, categories: Sequence[Category]) -> str:
    """/categories: id, name, service count and a hidden mark, for /hide and /show."""
    if not categories:
        return tr("admin.categories_none")
    mark = tr("admin.category_hidden_mark")
    return lines(tr("admin.categories_title"), *(
        tr("admin.category_line", category_id=c.id, name=esc(c.name, 80), count=c.service_count,
           hidden=mark if c.hidden else "") for c in categories))


def _listed(tr: Tr, msgid: str, items: Sequence[str]) -> str | None:
    if not items:
        return None
    shown = ", ".join(esc(i, 40) for i in items[:SYNC_LIST_ITEMS])
    more = len(items) - SYNC_LIST_ITEMS
    return tr(msgid, items=shown) + (tr("admin.sync_more", count=more) if more > 0 else "")


def _refresh_text(tr: Tr, p: PanelRefresh) -> str:
    if not p.ok:
        return tr("admin.sync_panel_error", panel=esc(p.panel), error=esc(p.error, 160))
    changes = [tr("admin.sync_price", service_id=esc(c.service_id, 20), name=esc(c.name, 60),
                  old=esc(c.old_rate), new=esc(c.new_rate)) for c in p.price_changes[:SYNC_LIST_ITEMS]]
    more = len(p.price_changes) - SYNC_LIST_ITEMS
    return lines(
        tr("admin.sync_panel_ok", panel=esc(p.panel), total=p.total, new=len(p.new), removed=len(p.removed),
           changed=len(p.price_changes)),
        _listed(tr, "admin.sync_new", p.new), _listed(tr, "admin.sync_removed", p.removed),
        _listed(tr, "admin.sync_unsupported", [f"{word} ({len(ids)})" for word, ids in p.unsupported.items()]),
        *changes, tr("admin.sync_more", count=more) if more > 0 else None,
    )


def sync_text(tr: Tr, report: RefreshReport) -> str:
    """/sync: per panel what changed (new, removed, price changes) or why it was not refreshed."""
    return lines(tr("admin.sync_title"), *(_refresh_text(tr, p) for p in report.panels))


# --- broadcast ------------------------------------------------------------------------------------

def broadcast_preview(tr: Tr, text_html: str, count: int, token: str) -> tuple[str, InlineKeyboardMarkup]:
    """The preview an admin confirms before anything is sent (text_html is already safe HTML)."""
    keyboard = build_keyboard([[button(tr("admin.broadcast_send", count=count), pack(BUTTONS, "bc_go", token)),
                                button(tr("admin.broadcast_cancel"), pack(BUTTONS, "bc_no", token))]])
    return tr("admin.broadcast_preview", count=count, text=text_html), keyboard


def broadcast_progress(tr: Tr, p: BroadcastProgress, token: str) -> tuple[str, InlineKeyboardMarkup]:
    """The progress message, edited as the broadcast goes, with its Stop button."""
    keyboard = build_keyboard([[button(tr("admin.broadcast_stop"), pack(BUTTONS, "bc_stop", token))]])
    return tr("admin.broadcast_progress", done=p.done, total=p.total, sent=p.sent, blocked=p.blocked,
              failed=p.failed), keyboard


def broadcast_final(tr: Tr, p: BroadcastProgress) -> str:
    msgid = "admin.broadcast_stopped" if p.stopped else "admin.broadcast_done"
    return tr(msgid, done=p.done, total=p.total, sent=p.sent, blocked=p.blocked, failed=p.failed)
