"""Answer bodies -> Python values: strict JSON first, a cheap lenient repair second, HTML never.

Numbers with a fraction are read as Decimal (`parse_float`), so a panel's `0.08011655652`
never becomes a float. Real panels send bodies like doc 001's (trailing commas, an unquoted
`Service Description`) and doc 002's (a missing comma between fields); the repair pass
fixes exactly those, outside string literals only, and gives up on anything else.
"""

from __future__ import annotations

import json
import re
from decimal import Decimal
from typing import Any


class BodyError(ValueError):
    """The body is not a usable answer; the message is safe to show (no body content)."""


_HTML_START = re.compile(r"^\s*<(?:!doctype|html|head|body|\?xml|br|b>|div|p>|title|h1|center|script)",
                         re.IGNORECASE)
_TOKEN = re.compile(
    r'(?P<string>"(?:[^"\\]|\\.)*")'
    r"|(?P<punct>[{}\[\]:,])"
    r"|(?P<space>\s+)"
    r'|(?P<bare>[^\s{}\[\]:,"]+(?:[ \t]+[^\s{}\[\]:,"]+)*)',
    re.DOTALL,
)
_NUMBER = re.compile(r"-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?")
_LITERALS = frozenset({"true", "false", "null"})
_EXCERPT_CHARS = 120


def decode_body(raw: bytes) -> Any:
    """Bytes of an answer -> parsed JSON; BodyError for empty, HTML or unreadable bodies."""
    text = raw.decode("utf-8", errors="replace").lstrip("\ufeff").strip()
    if not text:
        raise BodyError("empty answer")
    if text.startswith("<") or _HTML_START.match(text):
        raise BodyError("an HTML page instead of JSON (maintenance, gateway or anti-bot page)")
    try:
        return json.loads(text, parse_float=Decimal)
    except (json.JSONDecodeError, RecursionError):
        pass
    repaired = repair_json(text) if text[0] in "{[" else None  # a bare word is text, not JSON
    if repaired is not None:
        try:
            return json.loads(repaired, parse_float=Decimal)
        except (json.JSONDecodeError, RecursionError):
            pass
    if len(text) <= _EXCERPT_CHARS and text.isprintable():  # "Invalid API key" sent as plain text
        raise BodyError(f"an answer that is not JSON: {' '.join(text.split())!r}")
    raise BodyError("an answer that is not JSON")


def repair_json(text: str) -> str | None:
    """Fix trailing/missing commas and unquoted words outside strings; None when hopeless."""
    tokens: list[tuple[str, str]] = []
    pos = 0
    while pos < len(text):
        match = _TOKEN.match(text, pos)
        if match is None:  # an unterminated string or similar: not worth guessing
            return None
        pos = match.end()
        kind = match.lastgroup or ""
        if kind != "space":
            tokens.append((kind, match.group()))
    out: list[str] = []
    previous = ""  # the last emitted token's text
    for index, (kind, value) in enumerate(tokens):
        following = tokens[index + 1][1] if index + 1 < len(tokens) else ""
        if kind == "punct" and value == ",":
            if following in ("}", "]", ",", "") or previous in ("{", "[", ","):
                continue  # trailing or doubled comma
        if kind == "bare" and value not in _LITERALS and not _NUMBER.fullmatch(value):
            value = json.dumps(value)
        starts_value = kind in ("string", "bare") or value in ("{", "[")
        ends_value = previous not in ("", "{", "[", ",", ":")
        if starts_value and ends_value:
            out.append(",")  # `"cancel": true "dripfeed": true` (doc 002)
        out.append(value)
        previous = value
    return "".join(out)


def plain_words(raw: bytes) -> str | None:
    """A short plain-text answer ("Invalid API key"), trimmed; None for JSON, HTML, or anything long."""
    text = raw.decode("utf-8", errors="replace").lstrip("\ufeff").strip()
    if not text or len(text) > _EXCERPT_CHARS or not text.isprintable() or text[0] in "<{[":
        return None
    return " ".join(text.split())
