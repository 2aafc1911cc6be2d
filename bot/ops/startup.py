"""Start-up that says what is wrong in one line, for the failures an operator can fix.

- the token (or the panel) is still the `.env.example` placeholder: one line, exit 2;
- Telegram refuses the token (401): one line, exit 2;
- Telegram cannot be reached: one line per attempt, retried with backoff until it answers,
  then the bot starts (SIGTERM meanwhile stops it cleanly);
The panels and the admin group are looked at once the bot runs (bot/ops/operators.py): a wrong key
or an unreachable panel never stops the shop. Anything else keeps its traceback (bot/__main__.py).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from urllib.parse import urlsplit

from telegram import Bot, User
from telegram.error import InvalidToken, NetworkError

from bot.config import Settings

log = logging.getLogger("bot.startup")

PLACEHOLDER_MARK = "replace-with"  # every secret placeholder of .env.example holds it
PLACEHOLDER_HOST = ".example"  # ...and every URL placeholder points at an example host
TELEGRAM_RETRY_DELAYS = (1, 2, 4, 8, 15, 30, 60)  # then every 60 s


class StartupProblem(Exception):
    """An expected start-up failure; the message is one safe line telling what to do."""


def placeholder_problems(settings: Settings) -> list[tuple[str, str]]:
    """What is still the .env.example placeholder: (what, what to do) pairs."""
    problems = []
    if PLACEHOLDER_MARK in settings.telegram.bot_token.get_secret_value():
        problems.append(("BOT_TOKEN is still the placeholder from .env.example",
                         "create a bot with @BotFather (/newbot), put its token in .env as BOT_TOKEN and start again"))
    for panel in settings.panels.panels:
        host = urlsplit(panel.url).hostname or ""
        if PLACEHOLDER_MARK in panel.key.get_secret_value() or host.endswith(PLACEHOLDER_HOST):
            name = "PANEL_URL/PANEL_KEY" if panel.name == "main" else f"PANELS ({panel.name})"
            problems.append((f"{name} is still the placeholder from .env.example",
                             "set your panel's API URL and key (or PANEL_URL=demo to try the shop on the built-in "
                             "demo panel)"))
    return problems


def telegram_unauthorized_line() -> str:
    return ("Telegram refused BOT_TOKEN (401 Unauthorized): copy the token again from @BotFather "
            "(/mybots → your bot → API Token) into .env; a revoked token must be replaced")


async def wait_for_telegram(settings: Settings, stop: asyncio.Event,
                            delays: Sequence[float] = TELEGRAM_RETRY_DELAYS) -> User | None:
    """getMe until Telegram answers: the bot's User; None when `stop` was set while waiting.

    StartupProblem when the token is refused. One WARNING line per failed attempt.
    """
    tg = settings.telegram
    attempt = 0
    while True:
        attempt += 1
        bot = Bot(tg.bot_token.get_secret_value(), base_url=tg.base_url, base_file_url=tg.base_file_url)
        try:
            await bot.initialize()  # getMe
            return bot.bot
        except InvalidToken:
            raise StartupProblem(telegram_unauthorized_line()) from None
        except NetworkError as exc:
            delay = delays[min(attempt - 1, len(delays) - 1)]
            log.warning("Telegram cannot be reached at %s (%s): attempt %d failed, retrying in %gs",
                        tg.telegram_api_url, exc.message, attempt, delay)
        finally:
            try:
                await bot.shutdown()
            except Exception:  # noqa: S110 - closing a client that never connected
                pass
        try:
            await asyncio.wait_for(stop.wait(), delay)
            return None
        except TimeoutError:
            pass
