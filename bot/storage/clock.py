"""Timestamps as stored: ISO-8601 UTC text, second precision, sortable as text."""

from __future__ import annotations

from datetime import UTC, datetime


def now_text() -> str:
    """The current UTC time as stored in every *_at column."""
    return datetime.now(UTC).isoformat(timespec="seconds")


def parse_time(text: str | None) -> datetime | None:
    """A stored timestamp back to an aware datetime (None stays None)."""
    return datetime.fromisoformat(text) if text else None
