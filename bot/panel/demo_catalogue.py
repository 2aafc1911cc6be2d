"""The demo panel's catalogue: realistic services of every API v2 order type (bot/panel/demo.py).

Rates are per 1000 in USD (per package for the package types), min/max as panels list them.
"""

from __future__ import annotations

DEMO_CURRENCY = "USD"
DEMO_BALANCE = "250.00"


def _svc(sid: int, name: str, kind: str, category: str, rate: str, low: int, high: int, **flags: bool) -> dict:
    return {"service": sid, "name": name, "type": kind, "category": category, "rate": rate,
            "min": low, "max": high, "refill": flags.get("refill", False), "cancel": flags.get("cancel", False),
            "dripfeed": flags.get("dripfeed", False)}


DEMO_SERVICES: list[dict] = [
    _svc(101, "Instagram Followers [Real, 30 days refill]", "Default", "Instagram Followers", "1.20", 50, 20000,
         refill=True, cancel=True, dripfeed=True),
    _svc(102, "Instagram Followers [Cheap, no refill]", "Default", "Instagram Followers", "0.45", 100, 50000,
         cancel=True),
    _svc(103, "Instagram Likes [Instant]", "Default", "Instagram Likes", "0.30", 20, 30000, dripfeed=True),
    _svc(104, "Instagram Likes Package [500]", "Package", "Instagram Likes", "2.50", 1, 1),
    _svc(105, "Instagram Reels Views", "Default", "Instagram Views", "0.05", 100, 1000000),
    _svc(106, "Instagram Custom Comments", "Custom Comments", "Instagram Comments", "9.00", 5, 500, cancel=True),
    _svc(107, "Instagram Comments Package [10 custom]", "Custom Comments Package", "Instagram Comments",
         "6.00", 1, 1),
    _svc(108, "Instagram Comment Likes", "Comment Likes", "Instagram Comments", "1.50", 20, 10000, refill=True),
    _svc(109, "Instagram Comment Replies", "Comment Replies", "Instagram Comments", "12.00", 5, 200),
    _svc(110, "Instagram Mentions", "Mentions", "Instagram Mentions", "4.00", 100, 5000),
    _svc(111, "Instagram Mentions + Hashtags", "Mentions with Hashtags", "Instagram Mentions", "4.50", 100, 5000),
    _svc(112, "Instagram Mentions [Custom List]", "Mentions Custom List", "Instagram Mentions", "6.00", 10, 1000),
    _svc(113, "Instagram Mentions [Hashtag users]", "Mentions Hashtag", "Instagram Mentions", "3.90", 100, 10000),
    _svc(114, "Instagram Mentions [User's followers]", "Mentions User Followers", "Instagram Mentions",
         "3.50", 100, 10000),
    _svc(115, "Instagram Mentions [Media likers]", "Mentions Media Likers", "Instagram Mentions",
         "3.50", 100, 10000),
    _svc(116, "Instagram Auto Likes [Subscription]", "Subscriptions", "Instagram Auto Likes", "1.10", 50, 5000),
    _svc(201, "TikTok Followers", "Default", "TikTok Followers", "2.10", 100, 20000, refill=True, cancel=True),
    _svc(202, "TikTok Views [Fast]", "Default", "TikTok Views", "0.02", 1000, 10000000, dripfeed=True),
    _svc(203, "TikTok Likes", "Default", "TikTok Likes", "0.60", 50, 50000, cancel=True),
    _svc(301, "YouTube Views [High retention]", "Default", "YouTube Views", "1.80", 500, 1000000,
         refill=True, cancel=True),
    _svc(302, "YouTube Subscribers", "Default", "YouTube Subscribers", "14.00", 50, 5000, refill=True),
    _svc(303, "YouTube Likes", "Default", "YouTube Likes", "2.40", 20, 20000),
    _svc(401, "Telegram Channel Members", "Default", "Telegram Members", "0.90", 100, 50000, refill=True),
    _svc(402, "Telegram Post Views [Last 5 posts]", "Default", "Telegram Views", "0.03", 100, 500000),
    _svc(403, "Telegram Poll Votes", "Poll", "Telegram Polls", "0.75", 100, 50000, cancel=True),
    _svc(404, "Telegram Members [Invites from groups]", "Invites from Groups", "Telegram Members",
         "12.00", 100, 10000),
    _svc(501, "Twitter/X Followers", "Default", "Twitter Followers", "3.20", 100, 10000, refill=True),
    _svc(502, "Facebook Page Likes", "Default", "Facebook Page Likes", "2.80", 100, 20000),
    _svc(601, "Google SEO [Rank for your keywords]", "SEO", "Website Traffic", "6.00", 100, 100000),
    _svc(602, "Website Visitors [Targeted by country]", "Web Traffic", "Website Traffic", "0.80", 1000, 1000000),
]
