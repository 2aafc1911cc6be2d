"""The fake panel's default catalogue and its own `add` checks, written independently of the adapter.

This is the panel's side of the contract (what a real panel demands), so a test against the
adapter's validation can fail when the two disagree.
"""

from __future__ import annotations

import re
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal

# One service of every order type of the docs, and SEO and Web Traffic (types of the panels' script the
# five docs do not show). UNKNOWN_TYPE_SERVICE, of a type the adapter does not know, is added by the tests
# that want it (its first sight is an admin alert).
# Names carry <, &, _ and * on purpose: later tests check they are escaped for Telegram.
DEFAULT_SERVICES: list[dict] = [
    {"service": 1, "name": "Instagram Followers <Real> & Active", "type": "Default",
     "category": "Instagram Followers", "rate": "0.90", "min": 50, "max": 10000,
     "dripfeed": True, "refill": True, "cancel": True, "desc": "Real-looking followers, 30 days refill"},
    {"service": 2, "name": "Instagram Likes Package *500*", "type": "Package",
     "category": "Instagram Likes", "rate": "2.50", "min": 1, "max": 1},
    {"service": 3, "name": "Instagram Custom_Comments", "type": "Custom Comments",
     "category": "Instagram Comments", "rate": "8", "min": 10, "max": 1500, "cancel": True},
    {"service": 4, "name": "Instagram Comments Package [10]", "type": "Custom Comments Package",
     "category": "Instagram Comments", "rate": "5.00", "min": 1, "max": 1},
    {"service": 5, "name": "Instagram Mentions", "type": "Mentions",
     "category": "Instagram Mentions", "rate": "4.00", "min": 100, "max": 5000},
    {"service": 6, "name": "Mentions + Hashtags", "type": "Mentions with Hashtags",
     "category": "Instagram Mentions", "rate": "4.20", "min": 100, "max": 5000},
    {"service": 7, "name": "Mentions (custom list)", "type": "Mentions Custom List",
     "category": "Instagram Mentions", "rate": "6.00", "min": 10, "max": 1000},
    {"service": 8, "name": "Mentions by #hashtag", "type": "Mentions Hashtag",
     "category": "Instagram Mentions", "rate": "3.90", "min": 100, "max": 10000},
    {"service": 9, "name": "Mentions: user's followers", "type": "Mentions User Followers",
     "category": "Instagram Mentions", "rate": "3.50", "min": 100, "max": 10000},
    {"service": 10, "name": "Mentions: media likers", "type": "Mentions Media Likers",
     "category": "Instagram Mentions", "rate": "3.50", "min": 100, "max": 10000},
    {"service": 11, "name": "Comment Likes <fast>", "type": "Comment Likes",
     "category": "Instagram Comments", "rate": "1.20", "min": 20, "max": 20000, "refill": True},
    {"service": 12, "name": "Comment Replies", "type": "Comment Replies",
     "category": "Instagram Comments", "rate": "9.00", "min": 5, "max": 500},
    {"service": 13, "name": "Telegram Poll Votes", "type": "Poll",
     "category": "Telegram", "rate": "0.75", "min": 100, "max": 50000, "cancel": True},
    {"service": 14, "name": "Telegram Invites from Groups", "type": "Invites from Groups",
     "category": "Telegram", "rate": "12.00", "min": 100, "max": 10000},
    {"service": 15, "name": "Auto Likes (subscription) & views", "type": "Subscriptions",
     "category": "Instagram Auto", "rate": "1.10", "min": 50, "max": 5000},
    {"service": 16, "name": "YouTube Views_HQ", "type": "Default",
     "category": "YouTube", "rate": "1.75", "min": 500, "max": 1000000, "refill": True, "cancel": True},
    {"service": 17, "name": "Google SEO: rank for your keywords", "type": "SEO",
     "category": "Website Traffic", "rate": "6.00", "min": 100, "max": 100000},
    {"service": 18, "name": "Website visitors (targeted)", "type": "Web Traffic",
     "category": "Website Traffic", "rate": "0.80", "min": 1000, "max": 1000000},
]
UNKNOWN_TYPE_SERVICE = {"service": 19, "name": "YouTube Views Special", "type": "Views Special",
                        "category": "YouTube", "rate": "2.10", "min": 500, "max": 100000}

# what the panel reads for each type (unknown types order as Default); from doc 004
_QTY = ("link", "quantity")
PARAMS_BY_TYPE: dict[str, tuple[str, ...]] = {
    "default": _QTY, "package": ("link",), "custom comments": ("link", "comments"),
    "custom comments package": ("link", "comments"), "mentions": _QTY + ("usernames",),
    "mentions with hashtags": _QTY + ("usernames", "hashtags"), "mentions custom list": ("link", "usernames"),
    "mentions hashtag": _QTY + ("hashtag",), "mentions user followers": _QTY + ("username",),
    "mentions media likers": _QTY + ("media",), "comment likes": _QTY + ("username",),
    "comment replies": ("link", "username", "comments"), "poll": _QTY + ("answer_number",),
    "invites from groups": _QTY + ("groups",), "subscriptions": ("username", "min", "max", "delay"),
    # not in the five docs: from other panels' docs and clients (tests/panel/wild/sources.py)
    "seo": _QTY + ("keywords",), "web traffic": _QTY + ("country", "device", "type_of_traffic"),
}
_TRAFFIC_NEEDS = {"1": "google_keyword", "2": "referring_url", "3": None}
DELAYS = {0, 5, 10, 15, 30, 60, 90, 120, 150, 180, 210, 240, 270, 300, 360, 420, 480, 540, 600}
PACKAGE_TYPES = {"package", "custom comments package"}
_COUNTED = {"custom comments": "comments", "comment replies": "comments", "mentions custom list": "usernames"}


class Refusal(Exception):
    """The fake panel says no with this message."""


def type_key(raw: str) -> str:
    """'Custom Comments' / 'custom_comments' -> 'custom comments'; unknown -> 'default'."""
    key = " ".join(re.split(r"[\s_-]+", raw.strip().lower()))
    return key if key in PARAMS_BY_TYPE else "default"


def _lines(text: str) -> list[str]:
    return [line for line in text.replace("\r\n", "\n").split("\n") if line.strip()]


def _whole(form: dict[str, str], name: str) -> int:
    try:
        return int(form[name])
    except (KeyError, ValueError):
        raise Refusal(f"Incorrect {name}") from None


def _bounds(count: int, service: dict) -> None:
    if count < int(service["min"]):
        raise Refusal(f"Quantity less than minimal {service['min']}")
    if count > int(service["max"]):
        raise Refusal(f"Quantity more than maximal {service['max']}")


def check_add(form: dict[str, str], service: dict) -> tuple[int, int | None]:
    """Validate an `add` form as a panel would; returns (billable units, drip-feed runs)."""
    kind = type_key(str(service.get("type", "Default")))
    for name in PARAMS_BY_TYPE[kind]:
        if not form.get(name, "").strip():
            raise Refusal(f"Incorrect {name}")
    runs = None
    if kind == "default" and (form.get("runs") or form.get("interval")):
        if not service.get("dripfeed"):
            raise Refusal("Drip-feed is disabled for this service")
        runs, _ = _whole(form, "runs"), _whole(form, "interval")
    if kind == "web traffic":
        if form["device"] not in {"1", "2", "3", "4", "5"} or form["type_of_traffic"] not in _TRAFFIC_NEEDS:
            raise Refusal("Incorrect device or type of traffic")
        needs = _TRAFFIC_NEEDS[form["type_of_traffic"]]
        if needs and not form.get(needs, "").strip():
            raise Refusal(f"Incorrect {needs}")
    if kind == "subscriptions":
        if _whole(form, "delay") not in DELAYS:
            raise Refusal("Incorrect delay")
        if form.get("expiry"):
            try:
                datetime.strptime(form["expiry"], "%d/%m/%Y")
            except ValueError:
                raise Refusal("Incorrect expiry date") from None
        low, high = _whole(form, "min"), _whole(form, "max")
        _bounds(low, service)
        _bounds(high, service)
        posts = int(form.get("posts") or 0) + int(form.get("old_posts") or 0)
        return high * posts, None
    if kind in PACKAGE_TYPES:
        return 1, None
    if kind in _COUNTED:
        units = len(_lines(form[_COUNTED[kind]]))
    else:
        units = _whole(form, "quantity")
    _bounds(units, service)
    return units * (runs or 1), runs


def charge_for(service: dict, units: int) -> Decimal:
    """rate per 1000 x units, as panels charge (a package costs its rate); 5 decimals like panels show."""
    rate = Decimal(str(service["rate"]))
    amount = rate if type_key(str(service.get("type", ""))) in PACKAGE_TYPES else rate * units / 1000
    return amount.quantize(Decimal("0.00001"), rounding=ROUND_HALF_UP)
