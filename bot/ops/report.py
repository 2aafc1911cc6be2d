"""Run every check in the issue's order (bot/ops/checks.py): for `check` and for `/setup`."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Iterable

from telegram import Bot

from bot.config import Settings
from bot.ops.checks import (
    Check,
    check_admin_group,
    check_panel,
    check_token,
    check_webhook,
)
from bot.ops.checks_database import check_database, where
from bot.ops.checks_payments import check_payments
from bot.ops.startup import placeholder_problems
from bot.panel.client import PanelClient

SKIPPED_NO_TOKEN = "skipped: needs a token Telegram accepts"


def settings_checks(settings: Settings) -> list[Check]:
    """The settings line(s): loaded, and nothing left at the .env.example placeholders."""
    problems = placeholder_problems(settings)
    if problems:
        return [Check("settings", False, problem, fix) for problem, fix in problems]
    panels = "the DEMO panel" if settings.panels.demo else f"{len(settings.panels.panels)} panel(s)"
    mode = "webhook" if settings.telegram.webhook_url else "long polling"
    return [Check("settings", True, f"loaded: {panels}, {mode}, database {where(settings.storage.database)}")]


async def collect(settings: Settings, bot: Bot, panels: Iterable[PanelClient]) -> list[Check]:
    """Every check after the settings, in order; the panels are asked concurrently."""
    checks = settings_checks(settings)
    token_placeholder = any("BOT_TOKEN" in c.text for c in checks if not c.ok)
    me = None
    if token_placeholder:
        checks.append(Check("token", False, SKIPPED_NO_TOKEN, "set BOT_TOKEN first"))
    else:
        token, me = await check_token(bot)
        checks.append(token)
    if me is not None:
        checks.extend(await guarded("admin group", check_admin_group(bot, me, settings)))
    else:
        checks.append(Check("admin group", False, SKIPPED_NO_TOKEN, needed=False))
    shorthand = settings.panels.panel_url is not None  # PANEL_URL made the panel "main"
    checks.extend(await asyncio.gather(*(check_panel(c, demo=settings.panels.demo,
                                                     shorthand=shorthand and c.name == "main") for c in panels)))
    storage = settings.storage
    checks.extend(await check_database(storage.database, "DATABASE_URL" if storage.database_url else "DATABASE_PATH"))
    checks.extend(await guarded("payments", check_payments(settings)))
    if me is not None:
        checks.extend(await guarded("webhook", _one(check_webhook(bot, settings))))
    return checks


async def _one(check: Awaitable[Check]) -> list[Check]:
    return [await check]


async def guarded(area: str, checks: Awaitable[list[Check]]) -> list[Check]:
    """A check that fails in a way nobody foresaw is one ✗ line too, never the end of the report."""
    try:
        return await checks
    except Exception as exc:
        return [Check(area, False, f"could not be checked ({type(exc).__name__}: {exc})",
                      "run `python -m bot check` again; if it persists, report it with this line")]
