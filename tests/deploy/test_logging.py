"""Process logging: every library's logger (webhook server, HTTP clients, scheduler) goes through the
redacting root handler; Python warnings and start-up crashes are redacted single lines too."""

from __future__ import annotations

import asyncio
import io
import logging
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.__main__ import setup_logging
from bot.app import build_application
from bot.config import load_settings
from bot.telegram.redact import register_secret
from tests.deploy.process import BotProcess, process_env

TOKEN = "123456789:AAFakeTokenForDeployLoggingTests_abcdefgh"
PANEL_KEY = "pk_deploy_logging_9f8e7d6c5b4a3928"
WEBHOOK_SECRET = "whsec_deploy_logging_0123456789"
# the loggers of what runs inside the bot: PTB's webhook server (tornado), PTB's HTTP client (httpx),
# the panels' client (aiohttp), the JobQueue (apscheduler), PTB itself; uvicorn is not used (PTB's
# webhook server is tornado) but would log through the same root handler
LIBRARY_LOGGERS = ["tornado.access", "tornado.application", "tornado.general", "httpx", "httpcore",
                   "aiohttp.client", "aiohttp.server", "aiohttp.access", "aiohttp.web", "uvicorn.error",
                   "uvicorn.access", "apscheduler.scheduler", "apscheduler.executors.default",
                   "telegram.ext.Application", "telegram.ext.Updater", "asyncio"]


@pytest.fixture
def process_log() -> Iterator[io.StringIO]:
    """Root logging set up as `python -m bot` does, into a buffer; restored afterwards."""
    root = logging.getLogger()
    saved_handlers, saved_level = list(root.handlers), root.level
    stream = io.StringIO()
    register_secret(TOKEN)
    register_secret(PANEL_KEY)
    register_secret(WEBHOOK_SECRET)
    try:
        setup_logging("debug", stream)
        yield stream
    finally:
        logging.captureWarnings(False)
        for handler in list(root.handlers):
            root.removeHandler(handler)
        for handler in saved_handlers:
            root.addHandler(handler)
        root.setLevel(saved_level)


def assert_no_secret(text: str) -> None:
    for secret in (TOKEN, TOKEN.split(":")[1], PANEL_KEY, WEBHOOK_SECRET):
        assert secret not in text


def test_every_library_logger_is_redacted_with_its_traceback_on_one_line(process_log) -> None:
    for name in LIBRARY_LOGGERS:
        try:
            raise ConnectionError(f"POST https://panel.example/api/v2 key={PANEL_KEY}\nheader {WEBHOOK_SECRET}")
        except ConnectionError:
            logging.getLogger(name).error("calling https://api.telegram.org/bot%s/getMe", TOKEN, exc_info=True)
    lines = process_log.getvalue().splitlines()
    assert len(lines) == len(LIBRARY_LOGGERS), lines
    for name, line in zip(LIBRARY_LOGGERS, lines, strict=True):
        assert f" ERROR {name}: calling https://api.telegram.org/bot***/getMe\\nTraceback" in line
        assert "ConnectionError: POST https://panel.example/api/v2 key=***\\nheader ***" in line
    assert_no_secret(process_log.getvalue())


def test_warnings_become_one_redacted_log_line(process_log) -> None:
    warnings.warn(f"something odd with key {PANEL_KEY}", UserWarning, stacklevel=1)
    [line] = process_log.getvalue().splitlines()
    assert " WARNING py.warnings: " in line and "UserWarning: something odd with key ***" in line
    assert_no_secret(line)


def test_no_library_logger_has_its_own_handler_once_the_bot_is_built(tmp_path: Path, process_log) -> None:
    """A logger with its own handler, or one that does not propagate, would bypass the redaction."""
    import aiohttp.web  # noqa: F401 - every library the bot runs on is imported, as in the process
    import apscheduler.schedulers.asyncio  # noqa: F401
    import httpx  # noqa: F401
    import telegram.ext._utils.webhookhandler  # noqa: F401
    import tornado.web  # noqa: F401

    settings = load_settings(
        telegram={"bot_token": TOKEN, "webhook_url": "https://bot.example.com/hook",
                  "webhook_secret": WEBHOOK_SECRET},
        panels={"panels": [{"name": "main", "url": "https://panel.example/api/v2", "key": PANEL_KEY}],
                "panel_url": None, "panel_key": None},
        storage={"database_path": tmp_path / "bot.db"})
    build_application(settings)
    bypassing = [name for name, logger in logging.root.manager.loggerDict.items()
                 if isinstance(logger, logging.Logger) and not name.startswith("tests")
                 and (not logger.propagate or any(not isinstance(h, logging.NullHandler)
                                                  for h in logger.handlers))]
    assert bypassing == []


async def test_a_start_up_crash_is_one_critical_line_and_exit_1(tmp_path: Path, tg, panel) -> None:
    """An unexpected start-up error (the database path is a folder): one redacted line, exit code 1.

    (An unreachable Telegram is no crash: the bot waits for it, tests/ops/test_startup_lines.py.)"""
    folder = tmp_path / "data" / "bot.db"
    folder.mkdir(parents=True)
    env = process_env(tg, panel, folder)
    async with BotProcess(tmp_path, env) as bot:
        assert await asyncio.wait_for(bot.process.wait(), 60) == 1
    bot.assert_clean_log(tg.token, tg.token.split(":")[1], panel.key)
    assert any(" CRITICAL bot: stopped by an unexpected error\\nTraceback" in line for line in bot.lines)
    assert " INFO bot.app: stopped" in bot.log  # post_shutdown closed what post_init never opened
