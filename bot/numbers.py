"""Whole numbers people type (ids, counts): ASCII digits only, with a length cap.

`str.isdigit()` is true for "²" and "٣", which `int()` then refuses or reads as another number;
an 18-digit cap keeps every id inside a signed 64-bit column on every database.
"""

from __future__ import annotations

import re

MAX_DIGITS = 18
_WHOLE = re.compile(rf"-?[0-9]{{1,{MAX_DIGITS}}}")


def parse_whole(text: str, *, signed: bool = False) -> int | None:
    """'42' -> 42; None for anything else (other scripts' digits, signs unless `signed`, 19+ digits)."""
    text = text.strip()
    if not _WHOLE.fullmatch(text) or (text.startswith("-") and not signed):
        return None
    return int(text)
