"""Wordings told to the admins are remembered per panel, on both databases."""

from __future__ import annotations

from bot.domain import panel_wordings


async def test_a_wording_is_new_once_per_panel(db):
    assert await panel_wordings.first_time(db, "main", "Zorglub")
    assert not await panel_wordings.first_time(db, "main", "Zorglub")
    assert await panel_wordings.first_time(db, "backup", "Zorglub")  # another panel's is its own news
    long = "x" * 1000
    assert await panel_wordings.first_time(db, "main", long)
    assert not await panel_wordings.first_time(db, "main", long + "y")  # the same first 300 characters
