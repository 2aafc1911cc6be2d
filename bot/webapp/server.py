"""The bot's own HTTP server for the Mini App (aiohttp), and Telegram's webhook when both are on.

PTB's webhook server is a tornado application inside the Updater that serves exactly one route;
nothing else can be mounted on it. So when WEBAPP_URL and WEBHOOK_URL are both set, this one
aiohttp server listens on WEBHOOK_LISTEN:WEBHOOK_PORT and also takes Telegram's POSTs on the
webhook path: the secret header is compared in constant time (as PTB does), the JSON becomes an
Update and goes into `application.update_queue` — the queue PTB's own webhook handler feeds — and
serve.py registers the webhook itself (setWebhook) instead of starting the Updater.
Alone, the Mini App server listens on WEBAPP_LISTEN:WEBAPP_PORT and the bot long-polls as before.

Static files are read once at start-up and versioned by content (bot/webapp/assets.py). With Crypto
Pay on and no CRYPTO_PAY_WEBHOOK_PORT, its signed webhook (a sub-application, checked by its own
code) is mounted here too, at CRYPTO_PAY_WEBHOOK_PATH + "/".
"""

from __future__ import annotations

import hmac
import logging
from dataclasses import dataclass
from typing import Any

from aiohttp import web
from telegram import Update
from telegram.ext import Application

from bot.config import Settings
from bot.handlers.topup_methods import crypto
from bot.telegram.antiflood import FloodGuard
from bot.webapp import api, api_orders
from bot.webapp.assets import load_static, serve_file
from bot.webapp.context import SHOP_KEY, Shop, auth_middleware

log = logging.getLogger(__name__)

AnyApplication = Application[Any, Any, Any, Any, Any, Any]
SERVER_KEY = "webapp_server"
MAX_BODY_BYTES = 1024 * 1024


@dataclass
class WebAppServer:
    runner: web.AppRunner
    host: str
    port: int
    shares_webhook: bool


def make_web_app(application: AnyApplication, settings: Settings, *, webhook: bool = False) -> web.Application:
    """The aiohttp application: page, assets, /api/*, and Telegram's webhook route when `webhook`."""
    files = load_static()
    shop = Shop(application=application, settings=settings,
                limiter=FloodGuard(settings.webapp.webapp_rate_limit, settings.telegram.flood_window_seconds))
    app = web.Application(middlewares=[auth_middleware], client_max_size=MAX_BODY_BYTES)
    app[SHOP_KEY] = shop
    prefix = settings.webapp.path

    async def page(request: web.Request) -> web.Response:
        return serve_file(files["index.html"], request, page=True)

    async def asset(request: web.Request) -> web.Response:
        found = files.get(request.match_info["name"])
        if found is None:
            raise web.HTTPNotFound()
        return serve_file(found, request)

    async def to_page(request: web.Request) -> web.Response:
        raise web.HTTPFound(prefix + "/")

    app.router.add_get(prefix + "/", page)
    if prefix:
        app.router.add_get(prefix, to_page)
    app.router.add_get(prefix + "/static/{name}", asset)
    api.add_routes(app, prefix + "/api")
    api_orders.add_routes(app, prefix + "/api")
    if webhook:
        app.router.add_post(settings.telegram.webhook_path or "/", _webhook_handler(application, settings))
    _mount_crypto_pay(app, application, settings)
    return app


def _mount_crypto_pay(app: web.Application, application: AnyApplication, settings: Settings) -> None:
    """Crypto Pay's signed webhook at CRYPTO_PAY_WEBHOOK_PATH + "/" when it has no port of its own."""
    if settings.payments.crypto_pay_webhook_port is not None:
        return  # it runs its own server on that port
    sub = crypto.webhook_subapp(application)  # None while Crypto Pay is off
    if sub is not None:
        app.add_subapp(settings.payments.crypto_pay_webhook_path.rstrip("/"), sub)


def _webhook_handler(application: AnyApplication, settings: Settings) -> Any:
    assert settings.telegram.webhook_secret is not None
    secret = settings.telegram.webhook_secret.get_secret_value().encode()

    async def receive(request: web.Request) -> web.Response:
        given = request.headers.get("X-Telegram-Bot-Api-Secret-Token", "").encode()
        if not hmac.compare_digest(given, secret):
            log.warning("webhook request without the right secret token refused")
            return web.Response(status=403)
        try:
            update = Update.de_json(await request.json(), application.bot)
        except Exception:
            log.warning("webhook request with an unreadable body refused")
            return web.Response(status=400)
        await application.update_queue.put(update)
        return web.Response()

    return receive


async def start_server(application: AnyApplication, settings: Settings, *, webhook: bool = False) -> WebAppServer:
    """Listen (WEBHOOK_LISTEN:WEBHOOK_PORT when sharing the webhook, else WEBAPP_LISTEN:WEBAPP_PORT)."""
    tg, wa = settings.telegram, settings.webapp
    host, port = (tg.webhook_listen, tg.webhook_port) if webhook else (wa.webapp_listen, wa.webapp_port)
    runner = web.AppRunner(make_web_app(application, settings, webhook=webhook), access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, host, port)
    try:
        await site.start()
    except BaseException:
        await runner.cleanup()
        raise
    bound = port
    for sock in (getattr(site._server, "sockets", None) or ()):  # port 0 (tests): the one the OS chose
        bound = sock.getsockname()[1]
        break
    server = application.bot_data[SERVER_KEY] = WebAppServer(runner, host, bound, webhook)
    log.info("Mini App served on %s:%d%s/%s", host, bound, wa.path, " (with the webhook)" if webhook else "")
    return server


async def stop_server(application: AnyApplication) -> None:
    """Close the server (no new requests, no new webhook updates); nothing when none runs."""
    server: WebAppServer | None = application.bot_data.pop(SERVER_KEY, None)
    if server is not None:
        await server.runner.cleanup()
