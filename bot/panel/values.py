"""Scalar normalisation of panel answers: ids, money, counts, flags and trimmed text.

Panels send the same value as a string, an int or a float. Floats only ever pass through
`str()` into Decimal (no float arithmetic); the JSON decoder already reads numbers with a
fraction as Decimal, so floats reach here only from callers that built dicts themselves.

Counts and amounts have a sane range (to_count, to_amount): a `remains` of 1e30 or a
`start_count` of 2^64-1 is an unreadable value here, never an overflow in storage or a
billion-digit int; the check runs on the Decimal, before any int() is built.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

_TRUE_WORDS = frozenset({"1", "true", "yes", "on", "y"})
_FALSE_WORDS = frozenset({"0", "false", "no", "off", "n", ""})
MAX_MESSAGE_CHARS = 500
MAX_COUNT = 10**12  # remains, start counts, runs, posts, service min/max: no real count is near it
MAX_AMOUNT = 10**9  # rates, charges, balances in panel units: ×1e6 minor stays far below SQLite's 2^63  # a panel's message is shown to people; an HTML page is not a message


class BadValue(ValueError):
    """A field's value cannot be read as the expected kind."""


def to_id(value: Any) -> str:
    """Panel id (number or string) -> opaque, trimmed string; never cast through int."""
    if isinstance(value, bool) or value is None:
        raise BadValue("an id must be a number or a string")
    if isinstance(value, float | Decimal):
        # 12345.0 is how some PHP panels send an integer id; str() keeps float digits exact
        return format(Decimal(str(value)).normalize(), "f")
    text = str(value).strip()
    if not text:
        raise BadValue("an id must not be empty")
    return text


def to_decimal(value: Any) -> Decimal | None:
    """Money-like value -> Decimal (None when absent or empty); a float goes through str()."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, Decimal):
        result = value
    elif isinstance(value, int):
        result = Decimal(value)
    elif isinstance(value, float):
        result = Decimal(str(value))
    elif isinstance(value, str):
        text = value.strip().replace(" ", "")
        if not text:
            return None
        try:
            result = Decimal(text)
        except InvalidOperation:
            raise BadValue("not a number") from None
    else:
        raise BadValue("not a number")
    if not result.is_finite():
        raise BadValue("not a finite number")
    return result


def to_int(value: Any) -> int | None:
    """Count-like value ("157", 157, 157.0, "157.00") -> int (None when absent or empty)."""
    number = to_decimal(value)
    if number is None:
        return None
    if number != number.to_integral_value():
        raise BadValue("not a whole number")
    return int(number)


def to_count(value: Any) -> int | None:
    """A count (remains, start_count, runs, posts, min/max) in 0..MAX_COUNT; None when absent or empty."""
    number = to_decimal(value)
    if number is None:
        return None
    if not 0 <= number <= MAX_COUNT:
        raise BadValue("a count out of range")
    return to_int(number)


def to_amount(value: Any) -> Decimal | None:
    """A money value (rate, charge, balance) in 0..MAX_AMOUNT; None when absent or empty."""
    number = to_decimal(value)
    if number is not None and not 0 <= number <= MAX_AMOUNT:
        raise BadValue("an amount out of range")
    return number


def to_flag(value: Any) -> bool:
    """Feature flag: absent, bool, 0/1 or a yes/no word -> bool (anything unreadable is False)."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int | Decimal | float):
        return value != 0
    if isinstance(value, str):
        word = value.strip().lower()
        if word in _TRUE_WORDS:
            return True
        if word in _FALSE_WORDS:
            return False
    return False


def to_text(value: Any, limit: int = MAX_MESSAGE_CHARS) -> str:
    """Any message-like value -> one trimmed line of text, cut to `limit` characters."""
    if value is None:
        return ""
    if isinstance(value, dict):
        value = "; ".join(to_text(v, limit) for v in value.values())
    elif isinstance(value, list | tuple):
        value = "; ".join(to_text(v, limit) for v in value)
    text = " ".join(str(value).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def to_multiline(value: Any, limit: int = 4000) -> str | None:
    """Longer text such as a service description: line breaks kept, ends trimmed, None if blank."""
    if value is None or isinstance(value, dict | list):
        return None
    lines = [" ".join(line.split()) for line in str(value).replace("\r\n", "\n").split("\n")]
    text = "\n".join(lines).strip()
    return (text if len(text) <= limit else text[: limit - 1] + "…") or None


def optional_text(value: Any) -> str | None:
    """Trimmed text, or None when absent or blank."""
    text = to_text(value)
    return text or None


def lookup(data: dict[str, Any], *names: str) -> Any:
    """First present, non-None value among `names` (panels rename fields: desc/description)."""
    for name in names:
        if data.get(name) is not None:
            return data[name]
    return None


def json_safe(value: Any) -> Any:
    """A copy of an answer entry that json.dumps accepts (Decimal numbers become strings)."""
    if isinstance(value, dict):
        return {str(k): json_safe(v) for k, v in value.items()}
    if isinstance(value, list):
        return [json_safe(v) for v in value]
    return str(value) if isinstance(value, Decimal) else value
