"""The storefront Mini App: a second front-end over the same domain functions as the chat.

As a feature (bot/app.py FEATURES) it only publishes the chat's menu button (setChatMenuButton with
a web_app) at start-up when WEBAPP_URL is set; the HTTP server itself (bot/webapp/server.py) is
started by bot/telegram/serve.py, beside polling or in place of PTB's webhook server.
"""

from __future__ import annotations

import logging
from typing import Any

from telegram import MenuButtonWebApp, WebAppInfo
from telegram.error import TelegramError
from telegram.ext import Application

from bot.config import Settings
from bot.runtime import app_runtime

log = logging.getLogger(__name__)


def register(application: Application[Any, Any, Any, Any, Any, Any], settings: Settings) -> None:
    """No chat handlers: the menu's "Open the shop" button is part of the main menu (render/menu_views)."""


async def on_startup(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """The default menu button of every private chat opens the shop (in the shop's default language)."""
    rt = app_runtime(application)
    url = rt.settings.webapp.page_url
    if url is None:
        return
    text = rt.i18n.t(rt.default_language, "webapp.menu_button")
    try:
        await application.bot.set_chat_menu_button(menu_button=MenuButtonWebApp(text, WebAppInfo(url)))
    except TelegramError as exc:
        log.warning("could not set the chat menu button to the Mini App: %s", exc)
