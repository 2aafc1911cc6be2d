"""Which language a customer is answered in: stored choice, Telegram's code, shop default."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import load_settings
from bot.i18n import Translator
from bot.runtime import Runtime
from bot.storage import users
from bot.storage.db import Database
from bot.telegram.language import language_for

SETTINGS = {
    "telegram": {"bot_token": "123:" + "A" * 30},
    "panels": {"panels": [{"name": "main", "url": "http://127.0.0.1:9/api/v2", "key": "k" * 10}],
               "panel_url": None, "panel_key": None},
}


@pytest.fixture
async def rt(tmp_path: Path):
    db = await Database.open(tmp_path / "bot.db")
    settings = load_settings(**SETTINGS, shop={"default_locale": "ru"})
    yield Runtime(settings=settings, db=db, panels=None, i18n=Translator.load())  # type: ignore[arg-type]
    await db.close()


async def test_stored_choice_wins_then_telegram_then_default(rt) -> None:
    async with rt.db.transaction() as conn:
        await users.touch(conn, 1)
        await users.touch(conn, 2)
        await users.set_language(conn, 1, "en")
    assert await language_for(rt, 1, "ru") == "en"       # chosen in the bot
    assert await language_for(rt, 2, "en-GB") == "en"    # none chosen: Telegram's, base language
    assert await language_for(rt, 2, "de") == "ru"       # unsupported: the shop's default
    assert await language_for(rt, 99, None) == "ru"      # unknown customer
    assert await language_for(rt, None, "en") == "en"
    assert rt.default_language == "ru"
