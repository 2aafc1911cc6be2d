"""Text helpers every view shares."""

from __future__ import annotations

import html

MAX_SHOWN_CHARS = 300  # a panel's or customer's value never floods a message


def esc(value: object, limit: int = MAX_SHOWN_CHARS) -> str:
    """A value (None shows as "") made safe for HTML parse mode, cut to `limit` characters first."""
    text = "" if value is None else str(value)
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return html.escape(text, quote=False)
