"""Which social platform a category is about, from the words of its name."""

from __future__ import annotations

import re

OTHER = "other"

# Checked in this order; the first match wins. X/Twitter comes last because a lone "x" also
# appears in other names ("Instagram Likes x 2"), which the earlier platforms catch first.
_PATTERNS: tuple[tuple[str, str, str], ...] = (
    ("instagram", "Instagram", r"instagram|\binsta\b|\big\b"),
    ("tiktok", "TikTok", r"tik\s*tok"),
    ("youtube", "YouTube", r"you\s*tube|\byt\b"),
    ("telegram", "Telegram", r"telegram|\btg\b"),
    ("facebook", "Facebook", r"facebook|\bfb\b"),
    ("threads", "Threads", r"\bthreads\b"),
    ("spotify", "Spotify", r"spotify"),
    ("twitch", "Twitch", r"twitch"),
    ("discord", "Discord", r"discord"),
    ("linkedin", "LinkedIn", r"linked\s*in"),
    ("soundcloud", "SoundCloud", r"sound\s*cloud"),
    ("pinterest", "Pinterest", r"pinterest"),
    ("reddit", "Reddit", r"reddit"),
    ("snapchat", "Snapchat", r"snapchat"),
    ("vk", "VK", r"\bvk\b|vkontakte"),
    ("kick", "Kick", r"\bkick\b"),
    ("website", "Website traffic", r"website|web\s*traffic|\btraffic\b|\bseo\b"),
    ("twitter", "X/Twitter", r"twitter|\btweets?\b|\bx\b|x\.com"),
)
_COMPILED = tuple((key, re.compile(pattern, re.IGNORECASE)) for key, _, pattern in _PATTERNS)

# key -> name shown to people, in the order the chat lists platforms
PLATFORM_LABELS: dict[str, str] = {key: label for key, label, _ in _PATTERNS} | {OTHER: "Other"}


def detect_platform(category: str) -> str:
    """The platform key a category name names, or 'other'."""
    for key, pattern in _COMPILED:
        if pattern.search(category):
            return key
    return OTHER
