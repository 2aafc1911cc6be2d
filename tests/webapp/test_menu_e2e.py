"""How customers reach the Mini App: the chat's menu button and "Open the shop" in the main menu."""

from __future__ import annotations

from tests.e2e.harness import BotEnv


async def test_menu_button_and_main_menu_open_the_shop(shop):
    button = shop.env.tg.menu_button
    assert button == {"type": "web_app", "text": "Shop", "web_app": {"url": shop.url}}
    shop.env.tg.send_text(42, "/start", language_code="ru")
    welcome = await shop.env.tg.next_message(42)
    first = welcome.reply_markup["inline_keyboard"][0][0]
    assert first["text"] == "🛍 Открыть магазин" and first["web_app"] == {"url": shop.url}


async def test_no_mini_app_no_button(tmp_path):
    async with BotEnv(tmp_path) as env:
        assert env.tg.menu_button is None
        env.tg.send_text(42, "/start")
        welcome = await env.tg.next_message(42)
        assert all("web_app" not in b for row in welcome.reply_markup["inline_keyboard"] for b in row)
