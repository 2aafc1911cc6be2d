"""A valid OrderRequest of every order type, for the default catalogue's service of that type."""

from __future__ import annotations

from datetime import date, timedelta

from bot.panel import OrderRequest, OrderType

LINK = "https://instagram.com/p/abc_123"
_T = OrderType
REQUESTS: dict[OrderType, OrderRequest] = {
    _T.DEFAULT: OrderRequest(service="1", link=LINK, quantity=100, runs=3, interval=15),
    _T.PACKAGE: OrderRequest(service="2", type=_T.PACKAGE, link=LINK),
    _T.CUSTOM_COMMENTS: OrderRequest(service="3", type=_T.CUSTOM_COMMENTS, link=LINK,
                                     comments=tuple(f"great pic {i} <3 & more" for i in range(12))),
    _T.CUSTOM_COMMENTS_PACKAGE: OrderRequest(service="4", type=_T.CUSTOM_COMMENTS_PACKAGE, link=LINK,
                                             comments=("nice", "wow")),
    _T.MENTIONS: OrderRequest(service="5", type=_T.MENTIONS, link=LINK, quantity=200, usernames=("ann", "bob")),
    _T.MENTIONS_WITH_HASHTAGS: OrderRequest(service="6", type=_T.MENTIONS_WITH_HASHTAGS, link=LINK, quantity=150,
                                            usernames=("ann", "bob"), hashtags=("#goodphoto", "#sun")),
    _T.MENTIONS_CUSTOM_LIST: OrderRequest(service="7", type=_T.MENTIONS_CUSTOM_LIST, link=LINK,
                                          usernames=tuple(f"user{i}" for i in range(10))),
    _T.MENTIONS_HASHTAG: OrderRequest(service="8", type=_T.MENTIONS_HASHTAG, link=LINK, quantity=300,
                                      hashtag="travel"),
    _T.MENTIONS_USER_FOLLOWERS: OrderRequest(service="9", type=_T.MENTIONS_USER_FOLLOWERS, link=LINK,
                                             quantity=1000, username="https://instagram.com/natgeo"),
    _T.MENTIONS_MEDIA_LIKERS: OrderRequest(service="10", type=_T.MENTIONS_MEDIA_LIKERS, link=LINK, quantity=1000,
                                           media="https://instagram.com/p/Ds2kfE"),
    _T.COMMENT_LIKES: OrderRequest(service="11", type=_T.COMMENT_LIKES, link=LINK, quantity=100, username="ann"),
    _T.COMMENT_REPLIES: OrderRequest(service="12", type=_T.COMMENT_REPLIES, link=LINK, username="ann",
                                     comments=("agree!", "so true", "haha", "yes", "same")),
    _T.POLL: OrderRequest(service="13", type=_T.POLL, link="https://t.me/channel/42", quantity=100,
                          answer_number=2),
    _T.INVITES_FROM_GROUPS: OrderRequest(service="14", type=_T.INVITES_FROM_GROUPS, link="https://t.me/mygroup",
                                         quantity=100, groups=("https://t.me/a", "https://t.me/b")),
    _T.SUBSCRIPTIONS: OrderRequest(service="15", type=_T.SUBSCRIPTIONS, username="natgeo", min=100, max=110,
                                   posts=5, old_posts=2, delay=30, expiry=date.today() + timedelta(days=30)),
    _T.SEO: OrderRequest(service="17", type=_T.SEO, link="https://example.com/shop", quantity=500,
                         keywords=("buy red shoes", "red shoes sale")),
    _T.WEB_TRAFFIC: OrderRequest(service="18", type=_T.WEB_TRAFFIC, link="https://example.com/shop", quantity=2000,
                                 country="US", device=5, type_of_traffic=1, google_keyword="red shoes"),
}
ORDERABLE = tuple(REQUESTS)  # every type but UNSUPPORTED, which cannot be ordered at all
