"""The bot's own HTTP server for the Mini App (aiohttp), and Telegram's webhook when both are on.

PTB's webhook server is a tornado application inside the Updater that serves exactly one route;
nothing else can be mounted on it. So when WEBAPP_URL and WEBHOOK_URL are both set, this one
aiohttp server listens on WEBHOOK_LISTEN:WEBHOOK_PORT and also takes Telegram's POSTs on the
webhook path: the secret header is compared in constant time (as PTB does), the JSON becomes an
Update and goes into `application.update_queue` — the queue PTB's own webhook handler feeds — and
serve.py registers the webhook itself (setWebhook) instead of starting the Updater.
Alone, the Mini App server listens on WEBAPP_LISTEN:WEBAPP_PORT and the bot long-polls as before.

Static files are read once at start-up and served with an ETag (a 304 for a matching
If-None-Match) and Cache-Control; the page itself is revalidated on every open, assets for an hour.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

from aiohttp import web
from telegram import Update
from telegram.ext import Application

from bot.config import Settings
from bot.telegram.antiflood import FloodGuard
from bot.webapp import api, api_orders
from bot.webapp.context import SHOP_KEY, Shop, auth_middleware

log = logging.getLogger(__name__)

AnyApplication = Application[Any, Any, Any, Any, Any, Any]
SERVER_KEY = "webapp_server"
_TYPES = {".html": "text/html", ".js": "text/javascript", ".css": "text/css", ".svg": "image/svg+xml",
          ".png": "image/png"}
PAGE_CACHE = "no-cache"  # revalidated on every open: a new release shows at once
ASSET_CACHE = "public, max-age=3600"
MAX_BODY_BYTES = 1024 * 1024


@dataclass
class StaticFile:
    body: bytes
    content_type: str
    etag: str
    cache: str


@dataclass
class WebAppServer:
    runner: web.AppRunner
    host: str
    port: int
    shares_webhook: bool
    files: dict[str, StaticFile] = field(default_factory=dict)


def load_static() -> dict[str, StaticFile]:
    """Every file of bot/webapp/static, with its ETag, keyed by name."""
    found = {}
    for item in resources.files("bot.webapp").joinpath("static").iterdir():
        suffix = "." + item.name.rsplit(".", 1)[-1]
        if not item.is_file() or suffix not in _TYPES:
            continue
        body = item.read_bytes()
        cache = PAGE_CACHE if suffix == ".html" else ASSET_CACHE
        found[item.name] = StaticFile(body, _TYPES[suffix], '"' + hashlib.sha256(body).hexdigest()[:20] + '"', cache)
    return found


def _serve_file(file: StaticFile, request: web.Request) -> web.Response:
    headers = {"ETag": file.etag, "Cache-Control": file.cache, "X-Content-Type-Options": "nosniff"}
    if file.etag in request.headers.get("If-None-Match", ""):
        return web.Response(status=304, headers=headers)
    response = web.Response(body=file.body, content_type=file.content_type, headers=headers,
                            charset="utf-8" if file.content_type.startswith("text") else None)
    if len(file.body) > 1024:
        response.enable_compression()
    return response


def make_web_app(application: AnyApplication, settings: Settings, *, webhook: bool = False) -> web.Application:
    """The aiohttp application: page, assets, /api/*, and Telegram's webhook route when `webhook`."""
    files = load_static()
    shop = Shop(application=application, settings=settings,
                limiter=FloodGuard(settings.webapp.webapp_rate_limit, settings.telegram.flood_window_seconds))
    app = web.Application(middlewares=[auth_middleware], client_max_size=MAX_BODY_BYTES)
    app[SHOP_KEY] = shop
    prefix = settings.webapp.path

    async def page(request: web.Request) -> web.Response:
        return _serve_file(files["index.html"], request)

    async def asset(request: web.Request) -> web.Response:
        found = files.get(request.match_info["name"])
        if found is None:
            raise web.HTTPNotFound()
        return _serve_file(found, request)

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
    return app


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
