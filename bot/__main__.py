"""`python -m bot` / `smm-bot`: load settings, set up logging, run the bot."""

from __future__ import annotations

import logging
import sys

from telegram import Update

from bot.app import build_application
from bot.config import ConfigError, load_settings
from bot.storage.db import SchemaTooNew
from bot.telegram.logs import configure_logging

log = logging.getLogger("bot")


def main() -> int:
    """Run until stopped; exit code 2 with one line on stderr for a configuration problem."""
    try:
        settings = load_settings()
    except ConfigError as exc:
        print(exc, file=sys.stderr)
        return 2
    configure_logging(settings.log.log_level)
    application = build_application(settings)
    try:
        # webhook mode will branch here (run_webhook) once it exists
        application.run_polling(allowed_updates=Update.ALL_TYPES)
    except SchemaTooNew as exc:
        log.error("%s", exc)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
