"""Platform detection from category names."""

from __future__ import annotations

import pytest

from bot.domain.platforms import PLATFORM_LABELS, detect_platform


@pytest.mark.parametrize(("category", "platform"), [
    ("Instagram Followers [Real]", "instagram"),
    ("IG Likes", "instagram"),
    ("TikTok Views", "tiktok"),
    ("Tik Tok Likes", "tiktok"),
    ("YouTube Subscribers", "youtube"),
    ("Telegram Channel Members", "telegram"),
    ("Facebook Page Likes", "facebook"),
    ("Twitter Followers", "twitter"),
    ("X - Followers", "twitter"),
    ("Spotify Plays", "spotify"),
    ("Twitch Live Viewers", "twitch"),
    ("Discord Members", "discord"),
    ("Threads Likes", "threads"),
    ("LinkedIn Connections", "linkedin"),
    ("SoundCloud Plays", "soundcloud"),
    ("Website Traffic from Google", "website"),
    ("First Category", "other"),
    ("Instagram Likes x 2", "instagram"),
])
def test_detects_platform(category, platform):
    assert detect_platform(category) == platform


def test_every_platform_has_a_label_and_other_is_last():
    assert list(PLATFORM_LABELS)[-1] == "other"
    assert all(PLATFORM_LABELS.values())
