"""/start, the language a customer gets, the command menu, Help, free text and the ban gate, end to end."""

from __future__ import annotations

from bot.handlers import start
from bot.storage import users
from tests.chat_menu.conftest import Chat, start_menu_bot

MENU_LABELS = ["New order", "My orders", "Balance", "Language", "Help"]
MENU_LABELS_RU = ["Новый заказ", "Мои заказы", "Баланс", "Язык", "Помощь"]


def has_menu(chat: Chat, message, labels=MENU_LABELS) -> bool:
    shown = " ".join(chat.labels(message))
    return all(label in shown for label in labels)


async def test_start_in_english_shows_welcome_and_menu(bot, alice):
    bot.tg.user(42, first_name="Al <b>ice")
    reply = await alice.send("/start", username="alice_42")
    assert reply.plain.startswith("Hi, Al <b>ice!")  # the name is escaped, so shown exactly as is
    assert has_menu(alice, reply)
    row = await users.get(bot.db.conn, 42)
    assert (row.language, row.username) == ("en", "alice_42")  # stored at first contact


async def test_start_in_russian_by_language_code(bot, alice):
    reply = await alice.send("/start", lang="ru")
    assert "Привет" in reply.plain
    assert has_menu(alice, reply, MENU_LABELS_RU)
    assert (await users.get(bot.db.conn, 42)).language == "ru"


async def test_stored_language_wins_over_language_code(bot, alice):
    await alice.send("/start", lang="ru")
    again = await alice.send("/start", lang="en")  # Telegram's setting changed; the stored choice stays
    assert "Привет" in again.plain


async def test_base_language_fallback(bot):
    brazil = Chat(bot, 50, "pt-BR")  # no Portuguese catalogue: the default (en)
    assert "Hi," in (await brazil.send("/start")).plain
    russia = Chat(bot, 51, "ru-RU")  # the base language ru exists
    assert "Привет" in (await russia.send("/start")).plain
    assert (await users.get(bot.db.conn, 51)).language == "ru"


async def test_commands_are_published_per_language(bot):
    commands = bot.tg.commands
    assert {None, "en", "ru"} <= set(commands)
    names = [c["command"] for c in commands["en"]]
    assert {"start", "help", "cancel", "order", "orders", "balance", "language"} <= set(names)
    russian = {c["command"]: c["description"] for c in commands["ru"]}
    assert russian["orders"] == "Мои заказы" and russian["balance"] == "Мой баланс"
    assert {c["command"]: c["description"] for c in commands[None]}["language"] == "Change language"


async def test_free_text_gets_help_and_menu(bot, alice):
    reply = await alice.send("hello? anyone?")
    assert "did not understand" in reply.plain and has_menu(alice, reply)
    unknown_command = await alice.send("/whatever")
    assert "did not understand" in unknown_command.plain


async def test_cancel_outside_a_flow_says_nothing_to_cancel(bot, alice):
    reply = await alice.send("/cancel")
    assert "nothing to cancel" in reply.plain and has_menu(alice, reply)


async def test_text_inside_the_order_flow_is_not_taken_by_the_catch_all(bot, alice):
    await alice.send("/order")
    reply = await alice.send("followers")  # the flow's search, not "did not understand"
    assert "did not understand" not in reply.plain


async def test_start_during_the_order_flow_leaves_it(bot, alice):
    await alice.send("/order")
    menu = await alice.send("/start")
    assert has_menu(alice, menu)
    reply = await alice.send("followers")  # no longer read as the flow's search
    assert "did not understand" in reply.plain


async def test_help_from_command_and_button(bot, alice):
    help_text = await alice.send("/help")
    assert "How it works" in help_text.plain and "Refill" in help_text.plain
    menu = await alice.send("/start")
    shown = await alice.press(menu, "Help")
    assert shown.message_id == menu.message_id and "How it works" in shown.plain  # edited in place
    home = await alice.press(shown, "Main menu")
    assert has_menu(alice, home) and "Main menu" in home.plain


async def test_help_names_the_support_contact(tmp_path):
    env = await start_menu_bot(tmp_path, settings={"shop": {"support_contact": "@shop_<support>"}})
    try:
        reply = await Chat(env, 42).send("/help")
        assert "Write to @shop_<support>" in reply.plain
    finally:
        await env.stop()


async def test_new_order_button_enters_the_order_flow(bot, alice):
    menu = await alice.send("/start")
    flow = await alice.press(menu, "New order")
    assert "New order" in flow.plain and "platform" in flow.plain


async def test_group_messages_get_no_menu(bot, alice):
    bot.tg.send_group_text(42, "/start")
    bot.tg.send_group_text(42, "hello")
    await bot.tg.settle()
    assert bot.tg.calls_of("sendMessage") == []
    # a group member is not a customer: no row, so no stats, no broadcasts, no referral attach
    assert await bot.db.fetchone("SELECT id FROM users WHERE id = 42") is None


async def test_banned_customer_gets_one_line_and_nothing_else(bot, alice):
    menu = await alice.send("/start")
    async with bot.db.transaction() as conn:
        await users.set_banned(conn, 42, True)
    mark = len(bot.tg.calls)
    reply = await alice.send("/orders")
    assert "suspended" in reply.plain and reply.buttons == []
    alice.tg.send_text(42, "hello")  # within the notice window: no second line
    answer = await alice.press_data(menu, alice.data_of(menu, "My orders"))
    assert "suspended" in answer.params["text"]
    await bot.tg.settle()
    sent = [c for c in bot.tg.calls[mark:] if c.method in ("sendMessage", "editMessageText")]
    assert len(sent) == 1


async def test_a_banned_admin_is_not_stopped(tmp_path):
    env = await start_menu_bot(tmp_path, admin_ids={42})
    try:
        alice = Chat(env, 42)
        await alice.send("/start")
        async with env.db.transaction() as conn:
            await users.set_banned(conn, 42, True)
        assert "Hi," in (await alice.send("/start")).plain
    finally:
        await env.stop()


async def test_writing_again_clears_blocked(bot, alice):
    await alice.send("/start")
    async with bot.db.transaction() as conn:
        await users.set_blocked(conn, 42, True)
    await alice.send("/help")
    assert not (await users.get(bot.db.conn, 42)).blocked


async def test_the_gate_is_alone_in_its_group_in_the_real_bot(tmp_path):
    env = await start_menu_bot(tmp_path, features=None)  # bot.app.FEATURES, as deployed
    try:
        assert len(env.app.handlers[start.GATE_GROUP]) == 1  # a second TypeHandler there would never run
        assert min(env.app.handlers) == start.GATE_GROUP  # before admin handlers, sinks and the flood guard
    finally:
        await env.stop()
