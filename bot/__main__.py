"""`python -m bot` / `smm-bot`: load settings, set up logging, serve until SIGTERM (bot/telegram/serve.py).

`python -m bot check` and `python -m bot backup FILE` are the operator's tools (bot/ops/cli.py).

Long polling by default; a webhook server when WEBHOOK_URL is set. Exit codes: 0 after a clean
stop, 2 for a problem the operator must fix (one line on stderr: configuration, the .env.example
placeholders, a token Telegram refuses) or a database newer than this bot, 1 for anything
unexpected (logged with its traceback). An unreachable Telegram is waited for (bot/ops/startup.py).
"""

from __future__ import annotations

import asyncio
import logging
import sys
from typing import TextIO

from telegram.ext import Application

from bot.app import build_application
from bot.config import ConfigError, Settings, load_settings
from bot.ops.startup import StartupProblem, placeholder_problems, wait_for_telegram
from bot.storage.db import SchemaTooNew
from bot.storage.instance_lock import AnotherInstance
from bot.telegram.logs import configure_logging
from bot.telegram.serve import StopSignals, serve
from bot.telegram.standby import LeadershipLost

log = logging.getLogger("bot")


def setup_logging(level: str, stream: TextIO | None = None) -> None:
    """One redacted line per event on stderr (multi-line tracebacks on a terminal), Python warnings included."""
    configure_logging(level, stream)
    logging.captureWarnings(True)


async def run(application: Application, settings: Settings) -> None:
    """Wait until Telegram answers (retrying), then serve until SIGTERM."""
    signals = StopSignals()
    try:
        me = await wait_for_telegram(settings, signals.stop)
    finally:
        signals.remove()
    if me is None:
        log.info("stopped before Telegram could be reached")
        return
    await serve(application, settings)


def main(argv: list[str] | None = None) -> int:
    """Run until stopped (or run an operator tool); see the module docstring for the exit codes."""
    args = sys.argv[1:] if argv is None else argv
    if args[:1] == ["migrate-db"]:  # copy a SQLite shop into PostgreSQL (bot/storage/migrate_db.py)
        from bot.storage import migrate_db

        return migrate_db.main(args[1:])
    if args:
        from bot.ops.cli import run_tool

        return run_tool(args)
    try:
        settings = load_settings()
    except ConfigError as exc:
        print(exc, file=sys.stderr)
        return 2
    setup_logging(settings.log.log_level)
    problems = placeholder_problems(settings)
    if problems:
        log.error("%s: %s", *problems[0])
        return 2
    try:
        application = build_application(settings)
        asyncio.run(run(application, settings))
    except (SchemaTooNew, StartupProblem, AnotherInstance) as exc:
        log.error("%s", exc)
        return 2
    except LeadershipLost as exc:
        log.error("%s", exc)
        return 1
    except Exception:
        # a traceback printed by Python itself would not be redacted (nor one line when logged to a file)
        log.critical("stopped by an unexpected error", exc_info=True)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
