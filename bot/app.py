"""Wiring in one place: `build_application(settings)` and the application's lifecycle.

Plug point for features: add a module to FEATURES. A feature module exposes
    register(application, settings) -> None  # add its handlers (and one-off jobs); settings are
                                             # final here, e.g. the order conversation's timeout
and optionally
    async def on_startup(application) -> None  # after the Runtime exists: re-create repeating
                                               # jobs from the database, warm caches...
    COMMANDS = [("order", N_("order.cmd_order"))]  # command + msgid of its description (N_ lets
                                                    # tests/i18n check the id exists)
    ADMIN_COMMANDS = [("stats", N_("admin.cmd_stats"))]  # the same, for the operators' group only
Features extend each other (Balance buttons, /stats sections...) through lists kept per Application
(bot/telegram/hooks.py), filled in register(): never through module globals.
Commands of every feature are published together, per language, at start-up (set_my_commands
replaces the whole list, so features must not call it themselves). ADMIN_COMMANDS go to the admin
group alone (scope: that chat, when ADMIN_CHAT_ID is set), in DEFAULT_LOCALE, never to customers.

Lifecycle (run_polling, or the e2e harness by hand): initialize (persistence opens the Database)
→ post_init (Runtime: same Database + started PanelHub; interrupted orders → unknown; features'
on_startup; commands) → start
… stop → shutdown (PTB writes persistence a last time) → post_shutdown (PanelHub and Database closed).
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Mapping, Sequence
from types import ModuleType
from typing import Any

from telegram import BotCommand, BotCommandScopeChat, LinkPreviewOptions
from telegram.constants import ParseMode
from telegram.error import TelegramError
from telegram.ext import AIORateLimiter, Application, ApplicationBuilder, Defaults

from bot import webapp
from bot.config import Settings
from bot.domain import panel_wordings
from bot.domain.ordering import recover_interrupted
from bot.handlers import (
    admin,
    balance,
    export,
    language,
    my_orders,
    order_flow,
    promo,
    referrals,
    start,
    topup,
    topup_methods,
)
from bot.handlers import support as support_desk
from bot.handlers.admin import promo as admin_promo
from bot.handlers.admin import routes as admin_routes
from bot.handlers.admin import shop as admin_shop
from bot.handlers.admin import stars as admin_stars
from bot.i18n import Translator
from bot.ops import operators as ops_feature
from bot.panel.hub import PanelHub
from bot.runtime import RUNTIME_KEY, Runtime, app_runtime
from bot.telegram import alerts, sync_job
from bot.telegram.antiflood import GUARD_GROUP, FloodGuard, make_flood_handler
from bot.telegram.errors import ErrorReporter
from bot.telegram.hooks import hooks
from bot.telegram.persistence import SqlitePersistence
from bot.telegram.redact import register_settings_secrets

log = logging.getLogger(__name__)

# Feature modules, in order; each adds one line here (see the module docstring).
FEATURES: list[ModuleType] = [
    start,  # first, so /start leads the command menu; its catch-alls add themselves last (on_startup)
    topup,  # before order_flow: a reply to the top-up amount prompt must never become an order answer
    topup_methods,  # Crypto Pay, cards, manual transfers; before order_flow for the same reason (and receipts)
    promo,  # before order_flow too: a reply to the promo code prompt must never become an order answer
    support_desk,  # before order_flow too: a reply to a support message reaches support, mid-order included
    order_flow,
    my_orders,
    balance,
    language,
    export,  # /export: the customer's orders and ledger as CSV
    referrals,  # its arrival handler sits in a group of its own, before start's gate
    sync_job,  # no handlers: the status and catalogue jobs, scheduled at start-up
    admin,  # the operators' group; its handlers sit in their own groups, before every customer's
    admin_stars,  # /refund_stars in the operators' group
    admin_promo,  # /promo add|list|off in the operators' group, growth lines in /stats and /user
    ops_feature,  # /setup, /id, start-up diagnostics, the first catalogue, bot profile, backups (bot/ops/)
    admin_shop,  # /rate (and the shop currency at start-up) in the operators' group
    admin_routes,  # /route (routes across panels), route lines in /order, failover alerts, routed balances
    webapp,  # the storefront Mini App: the chat's menu button (its server starts in bot/telegram/serve.py)
]

RATE_LIMIT_RETRIES = 3  # RetryAfter (429) answers are waited out and retried this many times


def build_application(settings: Settings, *, features: Sequence[ModuleType] | None = None,
                      panel_options: Mapping[str, Any] | None = None) -> Application:
    """The configured Application: persistence, rate limiter, defaults, guards, features, lifecycle.

    `features` defaults to FEATURES; `panel_options` are PanelHub keyword options (tests: short retries).
    """
    register_settings_secrets(settings)
    features = list(FEATURES if features is None else features)
    tg = settings.telegram
    persistence = SqlitePersistence(settings.storage.database,
                                    update_interval=tg.persistence_interval_seconds)
    translator = Translator.load(settings.shop.locales_dir, default=settings.shop.default_locale)
    application = (
        ApplicationBuilder()
        .token(tg.bot_token.get_secret_value())
        .base_url(tg.base_url)
        .base_file_url(tg.base_file_url)
        .rate_limiter(AIORateLimiter(max_retries=RATE_LIMIT_RETRIES))
        .persistence(persistence)
        .defaults(Defaults(parse_mode=ParseMode.HTML,
                           link_preview_options=LinkPreviewOptions(is_disabled=True)))
        .post_init(functools.partial(_post_init, settings=settings, translator=translator,
                                     persistence=persistence, features=features,
                                     panel_options=dict(panel_options or {})))
        .post_shutdown(functools.partial(_post_shutdown, persistence=persistence))
        .build()
    )
    application.add_error_handler(ErrorReporter().handle)
    guard = FloodGuard(tg.flood_max_updates, tg.flood_window_seconds)
    application.add_handler(make_flood_handler(guard), group=GUARD_GROUP)
    for feature in features:
        feature.register(application, settings)
    return application


async def _post_init(application: Application, *, settings: Settings, translator: Translator,
                     persistence: SqlitePersistence, features: Sequence[ModuleType],
                     panel_options: dict[str, Any]) -> None:
    """Build the Runtime on the persistence's Database, start the panels, run features' start-up."""
    db = await persistence.database()
    panels = PanelHub(settings.panels.panels, **panel_options)
    # stored before anything can fail, so post_shutdown (which runs even after a failed post_init) closes it
    rt = application.bot_data[RUNTIME_KEY] = Runtime(settings=settings, db=db, panels=panels, i18n=translator)
    await panels.start()
    panels.on_unknown_wording(functools.partial(_report_wording, application))
    # a crash between an order's charge and the panel's answer leaves it `submitting`: never re-place it
    await recover_interrupted(db)
    for feature in features:
        on_startup = getattr(feature, "on_startup", None)
        if on_startup is not None:
            await on_startup(application)
    await publish_commands(application, features, translator, rt.default_language)
    await publish_admin_commands(application, features, translator, rt.default_language,
                                 settings.admin.admin_chat_id)
    log.info("started: %d panel(s), languages %s, features %s", len(panels), translator.languages,
             [f.__name__.rsplit(".", 1)[-1] for f in features])


def _report_wording(application: Application, panel: str, words: str) -> None:
    """A panel refused in words the adapter cannot sort: admins see them once, raw, to report them."""
    application.create_task(_tell_wording(application, panel, words), name="unknown-wording alert")


async def _tell_wording(application: Application, panel: str, words: str) -> None:
    rt = app_runtime(application)
    if await panel_wordings.first_time(rt.db, panel, words):  # once ever: a restart does not repeat it
        await alerts.alert(application, rt.settings, rt.i18n, "admin.alert_unknown_wording",
                           panel=panel, words=words[:panel_wordings.MAX_WORDS])


async def _post_shutdown(application: Application, *, persistence: SqlitePersistence) -> None:
    """Close the panels' session and the Database (PTB has already written persistence)."""
    rt: Runtime | None = application.bot_data.pop(RUNTIME_KEY, None)
    try:
        for closer in hooks(application, "app.shutdown"):  # features' servers and clients (e.g. Crypto Pay)
            try:
                await closer()
            except Exception:
                log.exception("a shutdown hook failed")
        hooks(application, "app.shutdown").clear()
        if rt is not None:
            await rt.panels.close()
    finally:
        await persistence.close()
    log.info("stopped")


def feature_commands(features: Sequence[ModuleType], attribute: str = "COMMANDS") -> list[tuple[str, str]]:
    """(command, description msgid) of every feature's COMMANDS (or `attribute`), FEATURES order, first wins."""
    seen: dict[str, str] = {}
    for feature in features:
        for command, msgid in getattr(feature, attribute, ()):
            seen.setdefault(command, msgid)
    return list(seen.items())


async def publish_commands(application: Application, features: Sequence[ModuleType],
                           translator: Translator, default_lang: str) -> None:
    """set_my_commands for the default language and for every loaded one (two-letter codes)."""
    commands = feature_commands(features)
    if not commands:
        return

    def localized(lang: str) -> list[BotCommand]:
        return [BotCommand(command, translator.t(lang, msgid)[:256]) for command, msgid in commands]

    targets: dict[str | None, str] = {None: default_lang}
    for lang in translator.languages:
        code = lang.split("_", 1)[0].lower()
        if len(code) == 2:  # Telegram takes ISO 639-1 codes only
            targets.setdefault(code, lang)
    for code, lang in targets.items():
        try:
            await application.bot.set_my_commands(localized(lang), language_code=code)
        except TelegramError as exc:
            log.warning("could not publish the command menu for %s: %s", code or "default", exc)


async def publish_admin_commands(application: Application, features: Sequence[ModuleType],
                                 translator: Translator, default_lang: str, admin_chat_id: int | None) -> None:
    """set_my_commands of every feature's ADMIN_COMMANDS, scoped to the admin group, in the default language."""
    commands = feature_commands(features, "ADMIN_COMMANDS")
    if admin_chat_id is None or not commands:
        return
    menu = [BotCommand(command, translator.t(default_lang, msgid)[:256]) for command, msgid in commands]
    try:
        await application.bot.set_my_commands(menu, scope=BotCommandScopeChat(admin_chat_id))
    except TelegramError as exc:  # e.g. the bot is not (yet) in the group: the commands still work
        log.warning("could not publish the admin command menu: %s", exc)
