"""The callback-data codec every feature uses: `feature:action:arg:...`, at most 64 bytes.

Arguments are percent-encoded, so any string (a panel's opaque id) survives the trip.
`unpack` refuses anything this codec could not have made, so a forged or truncated button
raises `BadCallback` and the handler answers it politely instead of crashing.
Register a feature's handler with `CallbackQueryHandler(cb, pattern=pattern("order"))`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import quote, unquote

SEP = ":"
MAX_BYTES = 64  # Telegram's limit for callback_data
_NAME = re.compile(r"[a-z][a-z0-9_]{0,15}", re.ASCII)
_ARG = re.compile(r"(?:[A-Za-z0-9_.~-]|%[0-9A-F]{2})*", re.ASCII)  # what quote(safe="") can produce
_INT = re.compile(r"0|[1-9][0-9]{0,17}", re.ASCII)


class BadCallback(ValueError):
    """Callback data this bot did not make: forged, truncated, or from another version."""


@dataclass(frozen=True)
class Callback:
    """A decoded button press: which feature, which action, and its arguments."""

    feature: str
    action: str
    args: tuple[str, ...] = ()

    def arg(self, index: int) -> str:
        """Argument `index`; BadCallback when the button did not carry it."""
        if not 0 <= index < len(self.args):
            raise BadCallback(f"missing argument {index}")
        return self.args[index]

    def int_arg(self, index: int) -> int:
        """Argument `index` as a non-negative integer; BadCallback otherwise."""
        value = self.arg(index)
        if not _INT.fullmatch(value):
            raise BadCallback(f"argument {index} is not a number")
        return int(value)


def pack(feature: str, action: str, *args: str | int) -> str:
    """Encode a button's data; ValueError when it would not fit Telegram's 64 bytes."""
    for name in (feature, action):
        if not _NAME.fullmatch(name):
            raise ValueError(f"bad callback name {name!r}")
    parts = [feature, action, *(quote(str(arg), safe="") for arg in args)]
    data = SEP.join(parts)
    if len(data.encode()) > MAX_BYTES:
        raise ValueError(f"callback data for {feature}:{action} is {len(data.encode())} bytes, over {MAX_BYTES}")
    return data


def unpack(data: object) -> Callback:
    """Decode a button's data; BadCallback when this codec could not have made it."""
    if not isinstance(data, str) or not data or len(data.encode()) > MAX_BYTES:
        raise BadCallback("not callback data of this bot")
    feature, _, rest = data.partition(SEP)
    action, _, tail = rest.partition(SEP)
    if not _NAME.fullmatch(feature) or not _NAME.fullmatch(action):
        raise BadCallback("bad feature or action")
    raw_args = tail.split(SEP) if tail or data.count(SEP) >= 2 else []
    args = []
    for raw in raw_args:
        if not _ARG.fullmatch(raw):
            raise BadCallback("bad argument")
        try:
            args.append(unquote(raw, errors="strict"))
        except UnicodeDecodeError:
            raise BadCallback("bad argument encoding") from None
    return Callback(feature, action, tuple(args))


def pattern(feature: str) -> str:
    """Regex for CallbackQueryHandler that selects one feature's buttons."""
    if not _NAME.fullmatch(feature):
        raise ValueError(f"bad callback name {feature!r}")
    return rf"^{feature}{SEP}"
