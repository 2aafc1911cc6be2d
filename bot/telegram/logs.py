"""Process logging: one redacted line per event on stderr; on a terminal, tracebacks keep their lines."""

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


def is_terminal(stream: TextIO) -> bool:
    """Whether a person reads this stream live (a TTY), rather than a log collector."""
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):  # no isatty, or a closed stream
        return False


def configure_logging(level: str = "INFO", stream: TextIO | None = None) -> logging.Handler:
    """Root logging on stderr (or stream), redacted; returns the handler.

    One line per event for log collectors (docker logs, journald, files); on a terminal a
    traceback keeps its lines, so an operator trying the bot can read it.
    """
    stream = stream or sys.stderr
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter(LOG_FORMAT) if is_terminal(stream) else OneLineFormatter(LOG_FORMAT))
    handler.addFilter(RedactingFilter())
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level.upper())
    for name in NOISY_LOGGERS:
        logging.getLogger(name).setLevel(max(logging.WARNING, root.level))
    return handler
