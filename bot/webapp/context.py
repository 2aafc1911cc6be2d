"""What every Mini App request has: the Shop (application, settings, rate limiter) and, for /api/*,
the Customer its initData names — validated, not banned, within the rate limit — or a refusal.

`Authorization: tma <initData>` carries the raw initData (Telegram's own convention); nothing
under /api is served or changed without it.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from aiohttp import web
from telegram.ext import Application, CallbackContext

from bot.config import Settings
from bot.domain import customers
from bot.i18n import Translator
from bot.runtime import Runtime, app_runtime
from bot.telegram.antiflood import FloodGuard, Verdict
from bot.telegram.language import language_resolver
from bot.webapp.auth import AuthError, WebAppUser, validate_init_data

log = logging.getLogger(__name__)

Tr = Callable[..., str]


@dataclass
class Shop:
    application: Application[Any, Any, Any, Any, Any, Any]
    settings: Settings
    limiter: FloodGuard

    @property
    def rt(self) -> Runtime:
        return app_runtime(self.application)


SHOP_KEY = web.AppKey("shop", Shop)


@dataclass(frozen=True)
class Customer:
    """The customer a request acts for, in their language."""

    user: WebAppUser
    lang: str
    tr: Tr
    rt: Runtime
    shop: Shop

    @property
    def id(self) -> int:
        return self.user.id

    def context(self) -> CallbackContext[Any, Any, Any, Any]:
        """A PTB context for this customer's chat, for the chat's own helpers (alerts, wallet screen)."""
        return CallbackContext(self.shop.application, chat_id=self.id, user_id=self.id)


CUSTOMER_KEY = web.RequestKey("customer", Customer)


def refusal(status: int, code: str, text: str) -> web.Response:
    """A JSON refusal the page shows as it is (`text` is already in the customer's language)."""
    return web.json_response({"error": code, "text": text}, status=status)


def customer(request: web.Request) -> Customer:
    return request[CUSTOMER_KEY]


def _fallback_tr(translator: Translator, lang: str) -> Tr:
    return translator.bind(lang)


@web.middleware
async def auth_middleware(request: web.Request,
                          handler: Callable[[web.Request], Awaitable[web.StreamResponse]]) -> web.StreamResponse:
    """/api/*: initData → the customer; 401 forged/stale, 403 banned, 429 over the rate limit."""
    shop = request.app[SHOP_KEY]
    if not request.path.startswith(shop.settings.webapp.path + "/api/"):
        return await handler(request)  # the page, its assets, Telegram's webhook
    rt = shop.rt
    default_tr = _fallback_tr(rt.i18n, rt.default_language)
    header = request.headers.get("Authorization", "")
    try:
        if not header.startswith("tma "):
            raise AuthError("no tma authorization")
        user = validate_init_data(header[4:], shop.settings.telegram.bot_token.get_secret_value(),
                                  max_age_seconds=shop.settings.webapp.webapp_auth_max_age_seconds)
    except AuthError as exc:
        log.info("Mini App request refused: %s", exc)
        return refusal(401, "auth", default_tr("webapp.err_auth"))
    if shop.limiter.check(user.id) is not Verdict.ALLOW:
        return refusal(429, "rate", default_tr("webapp.err_rate"))
    row = await customers.record_contact(rt.db, user.id, user.username, user.language_code,
                                         resolve=language_resolver(rt), first_contact=_nothing)
    lang = rt.i18n.resolve(row.language, user.language_code, shop.settings.shop.default_locale)
    tr = rt.i18n.bind(lang)
    if row.banned and not rt.is_admin(user.id):
        return refusal(403, "banned", tr("common.banned"))
    request[CUSTOMER_KEY] = Customer(user, lang, tr, rt, shop)
    return await handler(request)


async def _nothing() -> None:
    """A Mini App visit is no referral arrival: first-contact hooks belong to /start."""
