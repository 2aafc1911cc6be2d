"""Balance and Language end to end: the ledger on screen, other features' buttons, switching to Russian."""

from __future__ import annotations

import pytest
from telegram import InlineKeyboardButton

from bot.domain import wallet
from bot.handlers import balance
from bot.money import to_minor
from bot.storage import users
from tests.chat_menu.conftest import Chat


async def test_balance_shows_the_ledger(bot, alice):
    await alice.fund("2")
    order_id = await alice.place(quantity=1000)  # 0.90
    bot.panel.set_status((await alice.order(order_id)).panel_order_id, "Canceled")
    card = await alice.press(await alice.send("/orders"), f"#{order_id} ")
    await alice.press(card, "Refresh")  # canceled: the whole price comes back
    shown = await alice.send("/balance")
    assert "Your balance: 2.00 USD" in shown.plain
    lines = shown.plain.splitlines()
    refund = next(i for i, line in enumerate(lines) if f"+0.90 USD · Refund, order #{order_id}" in line)
    charge = next(i for i, line in enumerate(lines) if f"−0.90 USD · Payment, order #{order_id}" in line)
    credit = next(i for i, line in enumerate(lines) if "+2.00 USD · Credit" in line)
    assert refund < charge < credit  # newest first
    assert "Main menu" in " ".join(alice.labels(shown))


async def test_balance_button_in_russian_with_dates(bot):
    ivan = Chat(bot, 44, "ru")
    await wallet.admin_adjust(bot.db, 44, to_minor("1.5"), actor=1)
    menu = await ivan.send("/start")
    shown = await ivan.press(menu, "Баланс")
    assert shown.message_id == menu.message_id
    assert "Ваш баланс: 1.50 USD" in shown.plain and "+1.50 USD · Корректировка магазином" in shown.plain
    assert "г. · +1.50 USD" in shown.plain  # Babel's Russian date, e.g. "24 нояб. 2026 г."


async def test_empty_wallet(bot, alice):
    shown = await alice.send("/balance")
    assert "Your balance: 0.00 USD" in shown.plain and "No changes yet" in shown.plain


@pytest.fixture
def top_up_hook(bot):
    def top_up(rt, tr):
        return InlineKeyboardButton("💳 Top up", callback_data="topup:start")

    def broken(rt, tr):
        raise RuntimeError("a feature's bug must not break the balance screen")

    hooks = [top_up, broken, lambda rt, tr: None]
    balance.balance_extra_buttons(bot.app)[:] = hooks  # this bot's own list: no other bot sees it


async def test_other_features_add_balance_buttons(bot, alice, top_up_hook):
    shown = await alice.send("/balance")
    assert alice.labels(shown) == ["💳 Top up", "🏠 Main menu"]


async def test_language_switch_redraws_the_menu_in_russian(bot, alice):
    menu = await alice.send("/start")
    choice = await alice.press(menu, "Language")
    assert alice.labels(choice) == ["✓ English", "Русский", "🏠 Main menu"]
    russian = await alice.press(choice, "Русский")
    assert "Язык: Русский" in russian.plain and "Главное меню" in russian.plain
    assert "Мои заказы" in " ".join(alice.labels(russian))
    assert (await users.get(bot.db.conn, 42)).language == "ru"
    again = await alice.send("/start", lang="en")  # the choice wins over Telegram's language
    assert "Привет" in again.plain
    back = await alice.press(await alice.send("/language"), "English")
    assert "Language: English" in back.plain


async def test_forged_language_is_refused(bot, alice):
    menu = await alice.send("/start")
    answer = await alice.press_data(menu, "lang:set:xx")
    assert "out of date" in answer.params["text"]
    assert (await users.get(bot.db.conn, 42)).language == "en"
