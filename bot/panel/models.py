"""Typed results of the panel API v2, after normalisation.

Ids are opaque strings (panels send numbers or strings; never cast them to int).
Money is Decimal, never float. Unknown status words are kept in `status_raw`.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict


class OrderType(StrEnum):
    """Service types of the panels' script (bot/panel/type_names.py reads their spellings).

    A type the bot does not know is UNSUPPORTED: its fields cannot be guessed, so its services are
    hidden from customers and the admins are told (PANELS "types" maps a panel's word to a known type).
    """

    DEFAULT = "default"
    PACKAGE = "package"
    CUSTOM_COMMENTS = "custom_comments"
    CUSTOM_COMMENTS_PACKAGE = "custom_comments_package"
    MENTIONS = "mentions"
    MENTIONS_WITH_HASHTAGS = "mentions_with_hashtags"
    MENTIONS_CUSTOM_LIST = "mentions_custom_list"
    MENTIONS_HASHTAG = "mentions_hashtag"
    MENTIONS_USER_FOLLOWERS = "mentions_user_followers"
    MENTIONS_MEDIA_LIKERS = "mentions_media_likers"
    COMMENT_LIKES = "comment_likes"
    COMMENT_REPLIES = "comment_replies"
    POLL = "poll"
    INVITES_FROM_GROUPS = "invites_from_groups"
    SUBSCRIPTIONS = "subscriptions"
    SEO = "seo"  # keywords to rank the link for (not in the five docs; clones' docs)
    WEB_TRAFFIC = "web_traffic"  # country, device, traffic source (not in the five docs)
    UNSUPPORTED = "unsupported"


class OrderStatus(StrEnum):
    """One vocabulary for every panel's spelling of an order's status."""

    PENDING = "pending"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    PARTIAL = "partial"
    CANCELED = "canceled"
    REFUNDED = "refunded"
    FAILED = "failed"
    ACTIVE = "active"  # subscriptions
    PAUSED = "paused"
    EXPIRED = "expired"
    UNKNOWN = "unknown"  # a word we do not know; the raw word is kept beside it

    @property
    def is_final(self) -> bool:
        return self in _FINAL


_FINAL = frozenset({
    OrderStatus.COMPLETED, OrderStatus.PARTIAL, OrderStatus.CANCELED,
    OrderStatus.REFUNDED, OrderStatus.FAILED, OrderStatus.EXPIRED,
})


class RefillStatus(StrEnum):
    PENDING = "pending"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    REJECTED = "rejected"
    CANCELED = "canceled"
    UNKNOWN = "unknown"

    @property
    def is_final(self) -> bool:
        return self in (RefillStatus.COMPLETED, RefillStatus.REJECTED, RefillStatus.CANCELED)


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True)


class Service(_Frozen):
    """One service of one panel's catalogue."""

    panel: str
    id: str
    name: str
    type: OrderType
    type_raw: str
    category: str
    rate: Decimal  # panel's price per 1000 in the panel's currency
    min: int
    max: int
    description: str | None = None
    dripfeed: bool = False
    refill: bool = False
    cancel: bool = False


class OrderRequest(_Frozen):
    """What a customer asked for; which fields are needed depends on `type`.

    `to_params()` (in bot/panel/order_types.py) validates the combination and builds the form.
    """

    service: str
    type: OrderType = OrderType.DEFAULT
    link: str | None = None
    quantity: int | None = None
    runs: int | None = None  # drip-feed
    interval: int | None = None  # drip-feed, minutes
    comments: tuple[str, ...] | None = None
    usernames: tuple[str, ...] | None = None
    hashtags: tuple[str, ...] | None = None
    hashtag: str | None = None
    username: str | None = None
    media: str | None = None
    answer_number: int | None = None
    groups: tuple[str, ...] | None = None
    # subscriptions
    min: int | None = None
    max: int | None = None
    posts: int | None = None
    old_posts: int | None = None
    delay: int | None = None
    expiry: date | None = None
    # SEO
    keywords: tuple[str, ...] | None = None
    # web traffic: device 1-5 and type_of_traffic 1-3 are the script's codes (bot/panel/order_types.py)
    country: str | None = None
    device: int | None = None
    type_of_traffic: int | None = None
    google_keyword: str | None = None  # with type_of_traffic 1
    referring_url: str | None = None  # with type_of_traffic 2


class OrderState(_Frozen):
    """A panel's answer about one order (single or multi-status entry)."""

    order_id: str
    status: OrderStatus
    status_raw: str
    charge: Decimal | None = None
    start_count: int | None = None
    remains: int | None = None
    currency: str | None = None
    runs: int | None = None  # drip-feed progress
    posts: int | None = None  # subscription progress
    raw: dict[str, Any] = {}


class EntryError(_Frozen):
    """A multi-action entry the panel answered with an error (kept, counted, retried later)."""

    id: str
    message: str


class RefillState(_Frozen):
    refill_id: str
    status: RefillStatus
    status_raw: str


class CancelResult(_Frozen):
    """The panel accepted a cancel request; the order's later status tells the outcome."""

    order_id: str
    message: str | None = None


class Balance(_Frozen):
    amount: Decimal
    currency: str | None = None
