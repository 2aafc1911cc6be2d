"""Screens of the customer's main menu: welcome, menu, help, language choice; shared view helpers.

Button data of the menu features (all through bot/render/callbacks.py):
    menu:home  menu:help          the main menu and the help screen
    myo:list:<page>               My orders (bot/render/order_list_views.py has the card's buttons)
    bal:show                      Balance
    lang:list  lang:set:<code>    Language
The New order button carries the order flow's own entry data (bot/render/order_views.ENTRY_CALLBACK).
Customer and panel text is escaped here and in the other *_views modules, nowhere else.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from datetime import datetime

from babel import UnknownLocaleError
from babel.dates import format_date
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, WebAppInfo

from bot.render.callbacks import pack
from bot.render.keyboards import build_keyboard, button, in_columns
from bot.render.order_views import ENTRY_CALLBACK
from bot.render.screen import Screen
from bot.render.text import esc

log = logging.getLogger(__name__)

Tr = Callable[..., str]

MENU_FEATURE = "menu"
ORDERS_FEATURE = "myo"
BALANCE_FEATURE = "bal"
LANGUAGE_FEATURE = "lang"

HOME_DATA = pack(MENU_FEATURE, "home")
HELP_DATA = pack(MENU_FEATURE, "help")
BALANCE_DATA = pack(BALANCE_FEATURE, "show")
LANGUAGES_DATA = pack(LANGUAGE_FEATURE, "list")

MAX_NAME_CHARS = 64
CURRENT_MARK = "✓ "



def orders_page_data(page: int) -> str:
    """Button data of one page of My orders."""
    return pack(ORDERS_FEATURE, "list", page)


def language_data(code: str) -> str:
    """Button data choosing a language."""
    return pack(LANGUAGE_FEATURE, "set", code)


def format_day(moment: datetime | None, lang: str) -> str:
    """A date the way the customer's language writes it ("May 1, 2024", "1 мая 2024 г.")."""
    if moment is None:
        return "—"
    try:
        return format_date(moment.date(), format="medium", locale=lang.replace("-", "_"))
    except (ValueError, UnknownLocaleError):
        return moment.date().isoformat()


def home_row(tr: Tr) -> list[InlineKeyboardButton]:
    """The one-button row that leads back to the main menu."""
    return [button(tr("menu.button_home"), HOME_DATA)]


def menu_markup(tr: Tr, shop_url: str | None = None) -> InlineKeyboardMarkup:
    """(Open the shop, when the Mini App is on) · New order · My orders · Balance · Language · Help."""
    shop = [[InlineKeyboardButton(tr("webapp.open_shop"), web_app=WebAppInfo(shop_url))]] if shop_url else []
    return build_keyboard([
        *shop,
        [button(tr("common.menu_new_order"), ENTRY_CALLBACK)],
        [button(tr("common.menu_my_orders"), orders_page_data(0)), button(tr("common.menu_balance"), BALANCE_DATA)],
        [button(tr("common.menu_language"), LANGUAGES_DATA), button(tr("common.menu_help"), HELP_DATA)],
    ])


def welcome_screen(tr: Tr, first_name: str | None, shop_url: str | None = None) -> Screen:
    """/start: a short welcome by name, and the menu."""
    name = esc(first_name or "", MAX_NAME_CHARS).strip() or "👋"
    return Screen(tr("common.welcome", name=name), menu_markup(tr, shop_url))


def menu_screen(tr: Tr, notice: str | None = None, shop_url: str | None = None) -> Screen:
    """The main menu, optionally under a line saying what just happened."""
    title = tr("common.menu_title")
    return Screen(f"{notice}\n\n{title}" if notice else title, menu_markup(tr, shop_url))


def unknown_text_screen(tr: Tr, shop_url: str | None = None) -> Screen:
    """What free text outside a flow gets: a hint and the menu."""
    return Screen(tr("common.unknown_text"), menu_markup(tr, shop_url))


def nothing_to_cancel_screen(tr: Tr, shop_url: str | None = None) -> Screen:
    """/cancel when no flow is running."""
    return Screen(tr("menu.nothing_to_cancel"), menu_markup(tr, shop_url))


def help_screen(tr: Tr, support_contact: str | None, extra: Sequence[InlineKeyboardButton] = ()) -> Screen:
    """How the bot works, refills and cancels, and whom to ask; `extra`: other features' buttons."""
    contact = (tr("menu.help_contact", contact=esc(support_contact, MAX_NAME_CHARS)) if support_contact
               else tr("menu.help_contact_generic"))
    text = "\n\n".join([tr("common.help"), tr("menu.help_orders"), contact])
    rows = [[button(tr("common.menu_new_order"), ENTRY_CALLBACK)], *([b] for b in extra), home_row(tr)]
    return Screen(text, build_keyboard(rows))


def private_only_screen(tr: Tr, bot_username: str | None) -> Screen:
    """In a group: one line, and a URL button that opens the private chat (no callback into the group)."""
    markup = (InlineKeyboardMarkup([[InlineKeyboardButton(tr("menu.open_private"), url=f"https://t.me/{bot_username}")]])
              if bot_username else None)
    return Screen(tr("menu.private_only"), markup)


def language_screen(tr: Tr, languages: Sequence[tuple[str, str]], current: str) -> Screen:
    """One button per shipped language (code, its own name), the current one ticked."""
    buttons = [button((CURRENT_MARK if code == current else "") + name, language_data(code))
               for code, name in languages]
    return Screen(tr("menu.language_title"), build_keyboard([*in_columns(buttons, 2), home_row(tr)]))
