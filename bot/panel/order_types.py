"""Order types of API v2: which fields each needs, their validation, and the `add` form.

Every check runs before anything is sent, so a bad request never reaches a panel. Field names
are OrderRequest's; codes of InvalidOrder: missing, too_small, too_large, too_many,
bad_format, not_allowed.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

from bot.panel.errors import InvalidOrder
from bot.panel.models import OrderRequest, OrderType, Service
from bot.panel.type_names import parse_order_type

__all__ = ["build_add_params", "billable_quantity", "expected_charge", "optional_fields", "parse_order_type",
           "required_fields"]

ALLOWED_SUBSCRIPTION_DELAYS: tuple[int, ...] = (
    0, 5, 10, 15, 30, 60, 90, 120, 150, 180, 210, 240, 270, 300, 360, 420, 480, 540, 600,
)
MAX_TEXT_CHARS = 2000  # one link, username or comment; panels reject far shorter ones anyway

_T = OrderType
_QTY = ("link", "quantity")
_FIELDS: dict[OrderType, tuple[tuple[str, ...], tuple[str, ...]]] = {  # (required, optional)
    _T.DEFAULT: (_QTY, ("runs", "interval")),
    _T.PACKAGE: (("link",), ()),
    _T.CUSTOM_COMMENTS: (("link", "comments"), ()),
    _T.CUSTOM_COMMENTS_PACKAGE: (("link", "comments"), ()),
    _T.MENTIONS: (_QTY + ("usernames",), ()),
    _T.MENTIONS_WITH_HASHTAGS: (_QTY + ("usernames", "hashtags"), ()),
    _T.MENTIONS_CUSTOM_LIST: (("link", "usernames"), ()),
    _T.MENTIONS_HASHTAG: (_QTY + ("hashtag",), ()),
    _T.MENTIONS_USER_FOLLOWERS: (_QTY + ("username",), ()),
    _T.MENTIONS_MEDIA_LIKERS: (_QTY + ("media",), ()),
    _T.COMMENT_LIKES: (_QTY + ("username",), ()),
    _T.COMMENT_REPLIES: (("link", "username", "comments"), ()),
    _T.POLL: (_QTY + ("answer_number",), ()),
    _T.INVITES_FROM_GROUPS: (_QTY + ("groups",), ()),
    _T.SUBSCRIPTIONS: (("username", "min", "max", "delay"), ("posts", "old_posts", "expiry")),
    _T.SEO: (_QTY + ("keywords",), ()),
    # google_keyword goes with traffic type 1 and referring_url with 2 (checked in build_add_params)
    _T.WEB_TRAFFIC: (_QTY + ("country", "device", "type_of_traffic"), ("google_keyword", "referring_url")),
    _T.UNSUPPORTED: ((), ()),
}
_ALL_FIELDS = ("link", "quantity", "runs", "interval", "comments", "usernames", "hashtags", "hashtag",
               "username", "media", "answer_number", "groups", "min", "max", "posts", "old_posts",
               "delay", "expiry", "keywords", "country", "device", "type_of_traffic", "google_keyword",
               "referring_url")
_POSITIVE = frozenset({"quantity", "runs", "interval", "answer_number", "min", "max"})
_NON_NEGATIVE = frozenset({"posts", "old_posts"})
_TOKENS = frozenset({"link", "hashtag", "username", "media", "referring_url"})  # one word, no whitespace
_LINES = frozenset({"country", "google_keyword"})  # free text on one line
_TOKEN_LISTS = frozenset({"usernames", "hashtags"})
_LINE_LISTS = frozenset({"comments", "groups", "keywords"})  # free text, one item per line
PACKAGE_TYPES = frozenset({_T.PACKAGE, _T.CUSTOM_COMMENTS_PACKAGE})  # priced per package, not per 1000
# which list's length is the billable quantity for types without a `quantity`
_COUNTED_BY = {_T.CUSTOM_COMMENTS: "comments", _T.COMMENT_REPLIES: "comments",
               _T.MENTIONS_CUSTOM_LIST: "usernames"}
_WHITESPACE = re.compile(r"\s")
# web traffic's codes, as the script documents them
DEVICES: tuple[int, ...] = (1, 2, 3, 4, 5)  # desktop, Android, iOS, mixed mobile, mixed mobile & desktop
TRAFFIC_TYPES: tuple[int, ...] = (1, 2, 3)  # from a Google keyword, from a referring URL, blank referrer
GOOGLE_KEYWORD, REFERRING_URL = 1, 2
CODES = {"device": DEVICES, "type_of_traffic": TRAFFIC_TYPES}  # fields answered with one of numbered codes


def required_fields(order_type: OrderType) -> tuple[str, ...]:
    """OrderRequest fields this type cannot be ordered without, in the order to ask for them."""
    return _FIELDS[order_type][0]


def optional_fields(order_type: OrderType) -> tuple[str, ...]:
    """OrderRequest fields this type may carry."""
    return _FIELDS[order_type][1]


def _fail(field: str, code: str, detail: str = "") -> InvalidOrder:
    return InvalidOrder("", field, code, detail)


def _check_text(field: str, text: str, *, one_word: bool) -> str:
    value = text.strip()
    if not value:
        raise _fail(field, "missing")
    if len(value) > MAX_TEXT_CHARS:
        raise _fail(field, "too_large", f"at most {MAX_TEXT_CHARS} characters")
    if (one_word and _WHITESPACE.search(value)) or "\n" in value or "\r" in value:
        raise _fail(field, "bad_format", "no spaces or line breaks" if one_word else "no line breaks")
    return value


def _form_value(field: str, value: object) -> str:
    """One validated field -> its form text (lists joined by \\n, dates as d/m/Y)."""
    if field in _POSITIVE or field in _NON_NEGATIVE:
        if not isinstance(value, int) or isinstance(value, bool):
            raise _fail(field, "bad_format", "a whole number")
        if value < (1 if field in _POSITIVE else 0):
            raise _fail(field, "too_small")
        return str(value)
    if field in CODES:
        if value not in CODES[field]:
            raise _fail(field, "not_allowed", "one of " + ", ".join(map(str, CODES[field])))
        return str(value)
    if field in _LINES:
        return _check_text(field, str(value), one_word=False)
    if field == "delay":
        if value not in ALLOWED_SUBSCRIPTION_DELAYS:
            raise _fail(field, "not_allowed", "one of " + ", ".join(map(str, ALLOWED_SUBSCRIPTION_DELAYS)))
        return str(value)
    if field == "expiry":
        if not isinstance(value, date):
            raise _fail(field, "bad_format", "a date")
        if value < date.today():
            raise _fail(field, "too_small", "in the past")
        return value.strftime("%d/%m/%Y")
    if field in _TOKENS:
        return _check_text(field, str(value), one_word=True)
    items = [_check_text(field, str(item), one_word=field in _TOKEN_LISTS) for item in value]  # type: ignore[attr-defined]
    if not items:
        raise _fail(field, "missing")
    return "\n".join(items)


def _within(field: str, count: int, service: Service) -> None:
    """A count against the service's bounds (max 0 means the panel did not say)."""
    if count < service.min:
        raise _fail(field, "too_small", f"at least {service.min}")
    if service.max and count > service.max:
        raise _fail(field, "too_many" if field in _LINE_LISTS | _TOKEN_LISTS else "too_large",
                    f"at most {service.max}")


def _check_traffic(request: OrderRequest) -> None:
    """Web traffic: a Google keyword with traffic type 1, a referring URL with 2, neither with 3."""
    needs = {GOOGLE_KEYWORD: "google_keyword", REFERRING_URL: "referring_url"}.get(request.type_of_traffic or 0)
    for field in ("google_keyword", "referring_url"):
        given = getattr(request, field) is not None
        if field == needs and not given:
            raise _fail(field, "missing", f"traffic type {request.type_of_traffic} needs it")
        if field != needs and given:
            raise _fail(field, "not_allowed", f"not used with traffic type {request.type_of_traffic}")


def _check_service(request: OrderRequest, service: Service) -> None:
    if request.service != service.id:
        raise _fail("service", "not_allowed", "the request names another service")
    if request.type is not service.type:
        raise _fail("type", "not_allowed", f"the service orders as {service.type.value}")
    if request.runs is not None and not service.dripfeed:
        raise _fail("runs", "not_allowed", "this service has no drip-feed")
    if request.type is OrderType.SUBSCRIPTIONS:
        _within("min", request.min or 0, service)
        _within("max", request.max or 0, service)
    elif request.type in _COUNTED_BY:
        field = _COUNTED_BY[request.type]
        _within(field, len(getattr(request, field) or ()), service)
    elif request.quantity is not None:
        _within("quantity", request.quantity, service)


def build_add_params(request: OrderRequest, service: Service | None = None) -> dict[str, str]:
    """Validate `request` for its type and build the `add` form (without key and action).

    With `service`, also checks the request against that service's bounds and features.
    """
    if request.type is OrderType.UNSUPPORTED:
        raise _fail("type", "not_allowed", "the bot does not know which fields this type needs")
    required, optional = _FIELDS[request.type]
    params = {"service": _check_text("service", request.service, one_word=True)}
    for field in _ALL_FIELDS:
        value = getattr(request, field)
        if field in required:
            if value is None:
                raise _fail(field, "missing")
        elif field not in optional:
            if value is not None:
                raise _fail(field, "not_allowed", f"not used by {request.type.value} orders")
            continue
        if value is not None:
            params[field] = _form_value(field, value)
    if (request.runs is None) != (request.interval is None) and request.type is OrderType.DEFAULT:
        raise _fail("interval" if request.interval is None else "runs", "missing", "drip-feed needs both")
    if request.type is OrderType.WEB_TRAFFIC:
        _check_traffic(request)
    if request.type is OrderType.SUBSCRIPTIONS and request.max < request.min:  # type: ignore[operator]
        raise _fail("max", "too_small", "max must not be below min")
    if service is not None:
        _check_service(request, service)
    return params


def billable_quantity(request: OrderRequest) -> int:
    """Units the price is computed on: quantity (times drip-feed runs), comments, 1 per package...

    Raises InvalidOrder when the field it counts is missing (an unlimited subscription has no
    up-front price, so a subscription needs posts or old_posts here).
    """
    kind = request.type
    if kind in PACKAGE_TYPES:
        return 1
    if kind in _COUNTED_BY:
        items = getattr(request, _COUNTED_BY[kind])
        if not items:
            raise _fail(_COUNTED_BY[kind], "missing")
        return len(items)
    if kind is OrderType.SUBSCRIPTIONS:
        posts = (request.posts or 0) + (request.old_posts or 0)
        if request.max is None:
            raise _fail("max", "missing")
        if posts == 0:
            raise _fail("posts", "missing", "an unlimited subscription has no up-front price")
        return request.max * posts
    if request.quantity is None:
        raise _fail("quantity", "missing")
    return request.quantity * (request.runs or 1)


def expected_charge(rate: Decimal, request: OrderRequest) -> Decimal:
    """What the panel will charge: rate per 1000 units, or the rate itself for a package."""
    if request.type in PACKAGE_TYPES:
        return rate
    return rate * billable_quantity(request) / 1000
