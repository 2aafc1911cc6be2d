"""`python -m bot` / `smm-bot`: load settings, set up logging, serve until SIGTERM (bot/telegram/serve.py).

Long polling by default; a webhook server when WEBHOOK_URL is set. Exit codes: 0 after a clean
stop, 2 for a configuration problem (one line on stderr) or a database newer than this bot,
1 for anything unexpected (logged as one redacted line).
"""

from __future__ import annotations

import asyncio
import logging
import sys
from typing import TextIO

from bot.app import build_application
from bot.config import ConfigError, load_settings
from bot.storage.db import SchemaTooNew
from bot.telegram.logs import configure_logging
from bot.telegram.serve import serve

log = logging.getLogger("bot")


def setup_logging(level: str, stream: TextIO | None = None) -> None:
    """One redacted line per event on stderr, Python warnings included (not raw multi-line text)."""
    configure_logging(level, stream)
    logging.captureWarnings(True)


def main() -> int:
    """Run until stopped; see the module docstring for the exit codes."""
    try:
        settings = load_settings()
    except ConfigError as exc:
        print(exc, file=sys.stderr)
        return 2
    setup_logging(settings.log.log_level)
    try:
        application = build_application(settings)
        asyncio.run(serve(application, settings))
    except SchemaTooNew as exc:
        log.error("%s", exc)
        return 2
    except Exception:
        # a traceback printed by Python itself would be neither one line nor redacted
        log.critical("stopped by an unexpected error", exc_info=True)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
