"""Parsing and checking what a customer types during a new order; pure functions, no I/O.

Every parser takes raw text and returns a clean value or raises `InputError`, whose `code`
picks the localized reply (`order.err.<code>`) and whose `params` fill its placeholders.
Length is checked before any other work, so a huge paste is refused at once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any
from urllib.parse import urlsplit

MAX_TEXT_CHARS = 4096  # Telegram's own limit for one message
MAX_LINK_CHARS = 2048
MAX_LINE_CHARS = 1000  # one comment, username or group
MAX_LIST_LINES = 1000
MAX_DIGITS = 12
MAX_RUNS = 1000
MAX_INTERVAL_MINUTES = 7 * 24 * 60
MAX_POSTS = 100_000
MAX_ANSWER_NUMBER = 100
MAX_KEYWORD_CHARS = 200  # a search phrase
MAX_COUNTRY_CHARS = 60  # "US" or the longest country name, with room

_DIGITS = re.compile(rf"[0-9]{{1,{MAX_DIGITS}}}", re.ASCII)
_GROUPING = re.compile(r"[\s_'\u00a0\u202f]")  # "10 000", "10_000", "10'000"
_USERNAME = re.compile(r"@?[A-Za-z0-9._-]{1,64}", re.ASCII)
_HASHTAG = re.compile(r"#?\w{1,100}")
_HOST = re.compile(r"(?:[^\W_](?:[\w-]{0,61}[^\W_])?\.)+(?:[^\W\d_]{2,63}|xn--[a-z0-9-]{1,59})\.?")
_COUNTRY = re.compile(r"[^\W\d_]+(?:[ .'-]+[^\W\d_]+)*\.?")  # "US", "United States", "Côte d'Ivoire"
_DATE = re.compile(r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})", re.ASCII)


class InputError(ValueError):
    """A typed value is wrong: `code` names the reply, `params` fill its placeholders."""

    def __init__(self, code: str, **params: Any) -> None:
        super().__init__(code)
        self.code = code
        self.params = params


def clean_text(text: str | None, limit: int = MAX_TEXT_CHARS) -> str:
    """Stripped text, refusing empty input and input longer than `limit` before touching it."""
    if not text:
        raise InputError("empty")
    if len(text) > limit:
        raise InputError("too_long", limit=limit)
    cleaned = text.strip()
    if not cleaned:
        raise InputError("empty")
    return cleaned


def parse_whole_number(text: str | None, low: int, high: int) -> int:
    """A whole number within [low, high]; digit-group separators such as spaces are allowed."""
    cleaned = _GROUPING.sub("", clean_text(text, 64))
    if not _DIGITS.fullmatch(cleaned):
        raise InputError("not_number", low=low, high=high)
    value = int(cleaned)
    if not low <= value <= high:
        raise InputError("out_of_range", low=low, high=high)
    return value


def parse_link(text: str | None) -> str:
    """An http(s) URL with a real host name and no spaces."""
    cleaned = clean_text(text, MAX_LINK_CHARS)
    if any(ch.isspace() or not ch.isprintable() for ch in cleaned):
        raise InputError("not_link")
    try:
        parts = urlsplit(cleaned)
        host = parts.hostname or ""
        port_ok = parts.port is None or parts.port > 0
    except ValueError:
        raise InputError("not_link") from None
    if parts.scheme.lower() not in ("http", "https") or not port_ok or not _HOST.fullmatch(host):
        raise InputError("not_link")
    return cleaned


def parse_username(text: str | None) -> str:
    """A username (a leading @ is dropped) or a link to the profile."""
    cleaned = clean_text(text, MAX_LINK_CHARS)
    if cleaned.lower().startswith(("http://", "https://")):
        return parse_link(cleaned)
    if not _USERNAME.fullmatch(cleaned):
        raise InputError("not_username")
    return cleaned.removeprefix("@")


def parse_hashtag(text: str | None) -> str:
    """One hashtag, with or without the leading #."""
    cleaned = clean_text(text, 128)
    if not _HASHTAG.fullmatch(cleaned):
        raise InputError("not_hashtag")
    return cleaned


def parse_lines(text: str | None, low: int, high: int, max_chars: int = MAX_LINE_CHARS) -> tuple[str, ...]:
    """Non-empty lines, one item each, between `low` and `high` of them, each at most `max_chars`."""
    lines = tuple(line.strip() for line in clean_text(text).splitlines() if line.strip())
    if not low <= len(lines) <= high:
        raise InputError("line_count", count=len(lines), low=low, high=high)
    for number, line in enumerate(lines, start=1):
        if len(line) > max_chars:
            raise InputError("line_too_long", line=number, limit=max_chars)
    return lines


def parse_username_lines(text: str | None, low: int, high: int) -> tuple[str, ...]:
    """Usernames or profile links, one per line."""
    lines = parse_lines(text, low, high)
    for number, line in enumerate(lines, start=1):
        try:
            parse_username(line)
        except InputError:
            raise InputError("bad_line_username", line=number) from None
    return tuple(line.removeprefix("@") for line in lines)


def parse_hashtag_lines(text: str | None, low: int, high: int) -> tuple[str, ...]:
    """Hashtags, one per line."""
    lines = parse_lines(text, low, high)
    for number, line in enumerate(lines, start=1):
        if not _HASHTAG.fullmatch(line):
            raise InputError("bad_line_hashtag", line=number)
    return lines


def parse_line(text: str | None, limit: int = MAX_KEYWORD_CHARS) -> str:
    """One line of free text (a search phrase), spaces inside kept as typed."""
    cleaned = clean_text(text, limit)
    if "\n" in cleaned or "\r" in cleaned:
        raise InputError("one_line")
    return " ".join(cleaned.split())


def parse_country(text: str | None) -> str:
    """A country as panels take it: a two-letter code ("us" -> "US") or its name in letters."""
    cleaned = " ".join(clean_text(text, MAX_COUNTRY_CHARS).split())
    if len(cleaned) < 2 or not _COUNTRY.fullmatch(cleaned):
        raise InputError("not_country")
    return cleaned.upper() if len(cleaned) == 2 else cleaned


def parse_code(text: str | None, codes: tuple[int, ...]) -> int:
    """One of a field's numbered choices (a button sends its number; typing it works too)."""
    return parse_whole_number(text, min(codes), max(codes))


def parse_runs(text: str | None, quantity: int, low: int, high: int) -> int:
    """Drip-feed runs (at least 2) such that quantity x runs stays within the service's [low, high]."""
    runs = parse_whole_number(text, 2, MAX_RUNS)
    total = quantity * runs
    if not low <= total <= high:
        raise InputError("dripfeed_total", total=total, low=low, high=high)
    return runs


def parse_interval(text: str | None) -> int:
    """Minutes between drip-feed runs."""
    return parse_whole_number(text, 1, MAX_INTERVAL_MINUTES)


def parse_delay(text: str | None, allowed: tuple[int, ...]) -> int:
    """A subscription delay in minutes, one of the panel's allowed values."""
    shown = ", ".join(str(v) for v in allowed)
    cleaned = clean_text(text, 16)
    if not _DIGITS.fullmatch(cleaned) or int(cleaned) not in allowed:
        raise InputError("delay_not_allowed", allowed=shown)
    return int(cleaned)


def parse_expiry(text: str | None, today: date) -> date:
    """A day/month/year date (/, . or - between) strictly after `today`."""
    match = _DATE.fullmatch(clean_text(text, 32))
    if not match:
        raise InputError("not_date")
    day, month, year = (int(g) for g in match.groups())
    try:
        value = date(year, month, day)
    except ValueError:
        raise InputError("not_date") from None
    if value <= today:
        raise InputError("date_not_future")
    return value


@dataclass(frozen=True)
class FieldContext:
    """What a field's check needs to know about the service and the answers so far."""

    min: int
    max: int
    quantity_is_count: bool = False  # the list itself is the quantity (custom comments, custom list)
    answers: dict[str, Any] = field(default_factory=dict)
    today: date = field(default_factory=date.today)
    allowed_delays: tuple[int, ...] = ()
    codes: dict[str, tuple[int, ...]] = field(default_factory=dict)  # numbered choices: device, type_of_traffic


def _list_bounds(ctx: FieldContext) -> tuple[int, int]:
    """How many lines a list may have: the service's min-max when the list is the quantity."""
    if ctx.quantity_is_count:
        return ctx.min, ctx.max  # one message holds at most ~2000 lines anyway
    return 1, MAX_LIST_LINES


def _subscription_max(text: str | None, ctx: FieldContext) -> int:
    """The subscription's max per post: within the service's bounds and not below its min."""
    low = ctx.answers.get("min") or ctx.min
    return parse_whole_number(text, low, ctx.max)


def _runs(text: str | None, ctx: FieldContext) -> int:
    return parse_runs(text, int(ctx.answers.get("quantity") or 0), ctx.min, ctx.max)


_PARSERS = {
    "link": lambda text, ctx: parse_link(text),
    "quantity": lambda text, ctx: parse_whole_number(text, ctx.min, ctx.max),
    "runs": _runs,
    "interval": lambda text, ctx: parse_interval(text),
    "comments": lambda text, ctx: parse_lines(text, *_list_bounds(ctx)),
    "usernames": lambda text, ctx: parse_username_lines(text, *_list_bounds(ctx)),
    "hashtags": lambda text, ctx: parse_hashtag_lines(text, 1, MAX_LIST_LINES),
    "hashtag": lambda text, ctx: parse_hashtag(text),
    "username": lambda text, ctx: parse_username(text),
    "media": lambda text, ctx: parse_link(text),
    "answer_number": lambda text, ctx: parse_whole_number(text, 1, MAX_ANSWER_NUMBER),
    "groups": lambda text, ctx: parse_lines(text, 1, MAX_LIST_LINES),
    "min": lambda text, ctx: parse_whole_number(text, ctx.min, ctx.max),
    "max": _subscription_max,
    "posts": lambda text, ctx: parse_whole_number(text, 1, MAX_POSTS),
    "old_posts": lambda text, ctx: parse_whole_number(text, 1, MAX_POSTS),
    "delay": lambda text, ctx: parse_delay(text, ctx.allowed_delays),
    "expiry": lambda text, ctx: parse_expiry(text, ctx.today),
    "keywords": lambda text, ctx: parse_lines(text, 1, MAX_LIST_LINES, MAX_KEYWORD_CHARS),
    "country": lambda text, ctx: parse_country(text),
    "device": lambda text, ctx: parse_code(text, ctx.codes["device"]),
    "type_of_traffic": lambda text, ctx: parse_code(text, ctx.codes["type_of_traffic"]),
    "google_keyword": lambda text, ctx: parse_line(text),
    "referring_url": lambda text, ctx: parse_link(text),
}

FIELDS = frozenset(_PARSERS)


def parse_field(name: str, text: str | None, ctx: FieldContext) -> Any:
    """Parse the typed value of OrderRequest field `name`; raises InputError when it is wrong."""
    try:
        parser = _PARSERS[name]
    except KeyError:
        raise ValueError(f"no parser for field {name!r}") from None
    return parser(text, ctx)


def prompt_params(name: str, ctx: FieldContext) -> dict[str, Any]:
    """The bounds a field's prompt names, the same ones its parser enforces."""
    if name in ("quantity", "min"):
        return {"min": ctx.min, "max": ctx.max}
    if name == "max":
        return {"min": ctx.answers.get("min") or ctx.min, "max": ctx.max}
    if name in ("comments", "usernames"):
        low, high = _list_bounds(ctx)
        return {"low": low, "high": high}
    if name == "runs":
        return {"max": ctx.max}
    limits = {"interval": MAX_INTERVAL_MINUTES, "answer_number": MAX_ANSWER_NUMBER,
              "posts": MAX_POSTS, "old_posts": MAX_POSTS}
    if name in limits:
        return {"max": limits[name]}
    if name == "expiry":
        example = date.fromordinal(ctx.today.toordinal() + 30)
        return {"example": example.strftime("%d/%m/%Y")}
    return {}
