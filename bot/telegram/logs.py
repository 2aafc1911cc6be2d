"""Process logging: one redacted line per event on stderr."""

from __future__ import annotations

import logging
import sys
from typing import TextIO

from bot.telegram.redact import RedactingFilter


class OneLineFormatter(logging.Formatter):
    """One line per event: newlines inside messages and tracebacks become a visible `\\n`."""

    def format(self, record: logging.LogRecord) -> str:
        return super().format(record).replace("\r", "").replace("\n", "\\n")


LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
NOISY_LOGGERS = ("httpx", "httpcore", "apscheduler")  # a line per HTTP request / job run drowns the rest


def configure_logging(level: str = "INFO", stream: TextIO | None = None) -> logging.Handler:
    """Root logging: one redacted line per event on stderr (or stream); returns the handler."""
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(OneLineFormatter(LOG_FORMAT))
    handler.addFilter(RedactingFilter())
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level.upper())
    for name in NOISY_LOGGERS:
        logging.getLogger(name).setLevel(max(logging.WARNING, root.level))
    return handler
