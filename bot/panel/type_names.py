"""A panel's word for a service type -> OrderType.

Panels built on the same script spell its types alike ("Custom Comments", "custom_comments"), clones
add variants ("Custom Comment", "Mentions With Hashtag") and misspellings, and some list types the
five docs never show ("SEO", "Web Traffic"). A word the bot cannot place is UNSUPPORTED, never
DEFAULT: ordering it with a link and a quantity would guess at fields the panel may need, so its
services are hidden and the admins are told (bot/domain/catalogue.py). An operator who knows better
maps the word per panel: PANELS [{"types": {"Views Special": "default"}}].
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Mapping

from bot.panel.models import OrderType

_CLOSE = 0.85  # the same bar as misspelt status words (bot/panel/statuses.py)
_T = OrderType
_WORDS: dict[str, OrderType] = {t.value.replace("_", " "): t for t in OrderType if t is not _T.UNSUPPORTED}
_WORDS |= {
    "": _T.DEFAULT,  # a panel that sends no type at all orders every service as Default
    "subscription": _T.SUBSCRIPTIONS, "invites from group": _T.INVITES_FROM_GROUPS,
    "custom comment": _T.CUSTOM_COMMENTS, "comment like": _T.COMMENT_LIKES, "comment reply": _T.COMMENT_REPLIES,
    "mention": _T.MENTIONS, "mentions with hashtag": _T.MENTIONS_WITH_HASHTAGS,
    "custom comment package": _T.CUSTOM_COMMENTS_PACKAGE, "mentions custom": _T.MENTIONS_CUSTOM_LIST,
    "seo keywords": _T.SEO, "keywords": _T.SEO,
    "webtraffic": _T.WEB_TRAFFIC, "website traffic": _T.WEB_TRAFFIC, "web traffic": _T.WEB_TRAFFIC,
}


SHOWN_WORD_CHARS = 40  # a panel's type word as admins are shown it


def types_entry(word: str) -> str:
    """The PANELS setting that maps a panel's type word to Default, as admins are told to copy it."""
    return json.dumps({"types": {word[:SHOWN_WORD_CHARS]: "default"}}, ensure_ascii=False)


def type_key(raw: object) -> str:
    """'Custom Comments', 'custom_comments', ' CUSTOM-COMMENTS ' -> 'custom comments'."""
    return " ".join(re.split(r"[\s_-]+", str(raw).strip().lower())).strip()


def type_keys(words: Mapping[str, OrderType]) -> dict[str, OrderType]:
    """A panel's own type words (any spelling) keyed the way parse_order_type looks them up."""
    return {type_key(word): kind for word, kind in words.items()}


def parse_order_type(raw: object, overrides: Mapping[str, OrderType] | None = None) -> OrderType:
    """The type a panel's word names; UNSUPPORTED when it names none.

    `overrides` (a panel's PANELS "types", keys as `type_keys` gives them) win over everything. A misspelling
    ("Custom Coments") is read when it is close to the words of exactly one type (difflib ratio ≥ 0.85,
    words of 6+ letters), so a new word is never forced onto a type it merely resembles.
    """
    key = type_key(raw)
    if overrides and key in overrides:
        return overrides[key]
    if key in _WORDS:
        return _WORDS[key]
    if len(key) < 6:
        return _T.UNSUPPORTED
    close = {_WORDS[word] for word in difflib.get_close_matches(key, list(_WORDS), n=5, cutoff=_CLOSE)}
    return close.pop() if len(close) == 1 else _T.UNSUPPORTED
