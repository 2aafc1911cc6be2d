"""The admin group's command menu: published for that chat only, never in customers' menus."""

from __future__ import annotations

from bot.handlers.admin.guard import command_usages
from tests.fakes.telegram_customers import ADMIN_CHAT_ID

ADMIN_SCOPE = {"type": "chat", "chat_id": ADMIN_CHAT_ID}
ADMIN_ONLY = {"stats", "credit", "debit", "broadcast", "refund", "resolve", "ban", "audit", "refund_stars"}


async def test_admin_group_gets_its_own_menu_and_customers_none_of_it(make_env):
    env = await make_env()  # every feature, as deployed
    menu = env.tg.scoped_commands(ADMIN_SCOPE)
    assert menu is not None, env.tg.menus.keys()
    described = {c["command"]: c["description"] for c in menu}
    assert ADMIN_ONLY | {"promo", "help", "order"} <= set(described)  # the last three: customers have theirs too
    assert described["stats"] == "Customers, orders, turnover, profit"  # DEFAULT_LOCALE (en) texts
    # every registered admin command is in the menu, and nothing else
    assert set(described) == {command for command, _ in command_usages(env.app)}
    for lang in (None, "en", "ru"):
        customer = {c["command"] for c in env.tg.commands[lang]}
        assert "orders" in customer and not customer & ADMIN_ONLY, (lang, customer)
    assert env.tg.scoped_commands(ADMIN_SCOPE, "ru") is None  # one menu, in the shop's language


async def test_admin_menu_in_russian_when_that_is_the_default_locale(make_env):
    env = await make_env(settings={"shop": {"default_locale": "ru"}})
    described = {c["command"]: c["description"] for c in env.tg.scoped_commands(ADMIN_SCOPE)}
    assert described["credit"] == "Зачислить на баланс"


async def test_no_admin_chat_no_admin_menu(make_env):
    env = await make_env(admin_chat_id=None)
    assert [key for key in env.tg.menus if key[0] is not None] == []
    assert "orders" in {c["command"] for c in env.tg.commands[None]}
