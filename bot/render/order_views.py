"""Screens of the New-order conversation: message texts (HTML) and their inline keyboards.

Every button of the flow carries the flow's nonce and the screen's sequence number
(`ord:<action>:<nonce>:<seq>:<args>`), so a button from an older screen or another flow is
recognised as stale. Customer and panel text is escaped here, nowhere else.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from telegram import InlineKeyboardButton

from bot.i18n import N_
from bot.money import format_money
from bot.render.callbacks import pack
from bot.render.keyboards import build_keyboard, button, in_columns, paged_keyboard
from bot.render.screen import Screen
from bot.render.text import esc

Tr = Callable[..., str]

FEATURE = "ord"
ENTRY_COMMAND = "order"  # /order enters the flow
ENTRY_CALLBACK = pack(FEATURE, "start")  # the main menu's "New order" button
AGAIN_ACTION = "again"  # `ord:again:<order id>` on an order card: Order again (no flow nonce: an entry point)

MAX_NAME_CHARS = 200
MAX_DESCRIPTION_CHARS = 1500

@dataclass(frozen=True)
class Tag:
    """What every button of one screen carries: the flow's nonce and the screen's number."""

    nonce: str
    seq: int



@dataclass(frozen=True)
class ServiceCard:
    """What the service card shows; money already in minor units of the shop currency."""

    name: str
    price_minor: int
    per_package: bool
    min: int
    max: int
    refill: bool
    cancel: bool
    dripfeed: bool
    description: str | None
    currency: str
    service_id: str = ""  # shown so customers can build mass-order lists


def data(tag: Tag, action: str, *args: str | int) -> str:
    """Callback data of one of this flow's buttons."""
    return pack(FEATURE, action, tag.nonce, tag.seq, *args)


def platform_label(tr: Tr, key: str, label: str) -> str:
    """How a platform is shown: its brand name, or the localized word for 'other'."""
    return tr("order.platform_other") if key == "other" else label


def _nav_footer(tr: Tr, tag: Tag, *, back: bool = True, search: bool = False) -> list[list[InlineKeyboardButton]]:
    """The Search / Back / Cancel rows shared by every screen."""
    rows = []
    if search:
        rows.append([button(tr("order.button_search"), data(tag, "search"))])
    row = [button(tr("common.button_back"), data(tag, "back"))] if back else []
    row.append(button(tr("common.button_cancel"), data(tag, "cancel")))
    rows.append(row)
    return rows


def platforms_screen(tr: Tr, platforms: Sequence[tuple[str, str]], tag: Tag, *, mass: bool = False,
                     favourites: bool = False) -> Screen:
    """First screen: ⭐ Favourites (when there are any), one button per platform, Mass order, Search."""
    if not platforms:
        return Screen(tr("order.catalogue_empty"), build_keyboard(_nav_footer(tr, tag, back=False)))
    buttons = [button(platform_label(tr, key, name), data(tag, "plat", key)) for key, name in platforms]
    top = [[button(tr("order.button_favourites"), data(tag, "favs"))]] if favourites else []
    extra = [[button(tr("mass.button_open"), data(tag, "mass"))]] if mass else []
    rows = [*top, *in_columns(buttons, 2), *extra, *_nav_footer(tr, tag, back=False, search=True)]
    return Screen(tr("order.title_platforms"), build_keyboard(rows))


def categories_screen(tr: Tr, platform: str, categories: Sequence[tuple[int, str]],
                      page: int, pages: int, tag: Tag) -> Screen:
    """One page of a platform's categories (`platform` is its shown name)."""
    buttons = [button(name, data(tag, "cat", cat_id)) for cat_id, name in categories]
    markup = paged_keyboard(buttons, page=page, pages=pages, data_for_page=lambda p: data(tag, "cpage", p),
                            footer_rows=_nav_footer(tr, tag, search=True))
    return Screen(tr("order.title_categories", platform=esc(platform)), markup)


def services_screen(tr: Tr, title: str, services: Sequence[tuple[str, int]], currency: str,
                    page: int, pages: int, tag: Tag) -> Screen:
    """One page of services (name, price per 1000 in minor units); buttons carry the row index."""
    buttons = [button(f"{name} — {format_money(price, currency)}", data(tag, "svc", index))
               for index, (name, price) in enumerate(services)]
    markup = paged_keyboard(buttons, page=page, pages=pages, data_for_page=lambda p: data(tag, "spage", p),
                            footer_rows=_nav_footer(tr, tag))
    return Screen(title, markup)


def category_title(tr: Tr, category: str) -> str:
    """Heading of a category's service list."""
    return tr("order.title_services", category=esc(category, MAX_NAME_CHARS))


def results_title(tr: Tr, query: str, found: bool) -> str:
    """Heading of search results (or the nothing-found text)."""
    msgid = N_("order.title_results") if found else N_("order.search_nothing")
    return tr(msgid, query=esc(query, 100))


def search_screen(tr: Tr, tag: Tag, problem: str | None = None) -> Screen:
    """The prompt for search words."""
    text = tr("order.ask_search") if problem is None else f"{problem}\n\n{tr('order.ask_search')}"
    return Screen(text, build_keyboard(_nav_footer(tr, tag)))


def card_screen(tr: Tr, card: ServiceCard, tag: Tag, *, favourite: bool = False) -> Screen:
    """The service card: name, price with markup, bounds, flags and the panel's description."""
    yes_no = {True: tr("order.yes"), False: tr("order.no")}
    price_id = N_("order.card_price_package") if card.per_package else N_("order.card_price")
    lines = [
        f"<b>{esc(card.name, MAX_NAME_CHARS)}</b>",
        *([tr("order.card_id", id=esc(card.service_id, 40))] if card.service_id else []),
        "",
        tr(price_id, price=format_money(card.price_minor, card.currency)),
        tr("order.card_limits", min=card.min, max=card.max),
        tr("order.card_flags", refill=yes_no[card.refill], cancel=yes_no[card.cancel],
           dripfeed=yes_no[card.dripfeed]),
    ]
    if card.description and card.description.strip():
        lines += ["", esc(card.description.strip(), MAX_DESCRIPTION_CHARS)]
    star = tr("order.button_unfavourite") if favourite else tr("order.button_favourite")
    rows = [[button(tr("order.button_order"), data(tag, "go"))], [button(star, data(tag, "fav"))], *_nav_footer(tr, tag)]
    return Screen("\n".join(lines), build_keyboard(rows))
