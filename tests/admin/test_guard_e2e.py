"""Only ADMIN_IDS inside ADMIN_CHAT_ID reach admin actions; everyone else gets nothing from them."""

from __future__ import annotations

import pytest

from bot.handlers.admin.guard import AdminRequest, Usage, admin_command
from bot.i18n import DEFAULT_LOCALES_DIR, read_catalogue
from tests.admin.conftest import ADMIN, CUSTOMER, STRANGER
from tests.admin.helpers import Ops, customer_starts, fund, place, quiet, snapshot
from tests.e2e.harness import ADMIN_CHAT_ID

OTHER_CUSTOMER = 43

# every admin command, with arguments that would work for an admin ({order} is a real order id)
COMMANDS = [
    "/help", "/stats 7d", "/panels", "/user 42", "/credit 42 10 gift", "/debit 42 1", "/order {order}",
    "/refund {order}", "/refund {order} 0.1", "/unknown", "/resolve {order} refund", "/resolve {order} 999",
    "/ban 42", "/unban 42", "/markup 15", "/markup main:1 20", "/hide 1", "/show 1", "/hide main:1",
    "/categories", "/sync", "/broadcast hello everyone", "/audit",
]

# (who, where): a group member who is not an admin, an admin in a private chat, a customer in theirs
ACTORS = {
    "stranger-in-admin-group": (STRANGER, ADMIN_CHAT_ID),
    "admin-in-private-chat": (ADMIN, None),
    "customer-in-private-chat": (CUSTOMER, None),
    "admin-in-another-group": (ADMIN, -1009999),
}


def admin_text_fragments() -> set[str]:
    """The fixed start of every English admin text (what would betray an admin answer)."""
    texts = read_catalogue(DEFAULT_LOCALES_DIR / "en" / "LC_MESSAGES" / "admin.po")
    return {t.split("{", 1)[0].strip()[:14] for t in texts.values() if len(t.split("{", 1)[0].strip()) >= 8}


@pytest.mark.parametrize("actor", list(ACTORS), ids=list(ACTORS))
async def test_admin_commands_from_anyone_else_change_nothing_and_say_nothing(shop, actor):
    user_id, chat_id = ACTORS[actor]
    await customer_starts(shop, CUSTOMER)
    await customer_starts(shop, OTHER_CUSTOMER)
    await fund(shop, CUSTOMER, "50")
    order_id = (await place(shop, CUSTOMER)).order_id
    before, panel_calls, mark = await snapshot(shop), len(shop.panel.calls), len(shop.tg.calls)

    for command in COMMANDS:
        text = command.format(order=order_id)
        if chat_id is None:
            shop.tg.send_text(user_id, text)
        else:
            shop.tg.send_group_text(user_id, text, chat_id=chat_id)
    await quiet(shop, 0.4)

    assert await snapshot(shop) == before
    assert len(shop.panel.calls) == panel_calls  # no /panels balance, no /sync fetch
    answers = shop.tg.calls[mark:]
    assert [c for c in answers if c.chat_id == ADMIN_CHAT_ID] == []
    assert [c for c in answers if c.chat_id in (CUSTOMER, OTHER_CUSTOMER) and c.chat_id != user_id] == []
    fragments = admin_text_fragments()
    leaked = [(c.method, c.text) for c in answers if c.text and any(f in c.text for f in fragments)]
    assert leaked == []


async def test_an_admin_in_the_admin_group_is_answered(shop):
    reply = await Ops(shop, ADMIN).say("/help")
    assert "/credit" in reply.plain and "/broadcast" in reply.plain and "/resolve" in reply.plain


async def test_wrong_arguments_get_the_usage_line_and_are_audited(shop):
    ops = Ops(shop, ADMIN)
    reply = await ops.say("/credit 42")
    assert reply.plain.startswith("Usage:") and "/credit <user> <amount>" in reply.plain
    reply = await ops.say("/stats yesterday")
    assert "/stats [today|7d|30d|all]" in reply.plain
    rows = await shop.db.fetchall("SELECT admin_id, action, arguments FROM audit_log ORDER BY id")
    assert [(r[0], r[1]) for r in rows] == [(ADMIN, "credit"), (ADMIN, "stats")]
    assert '"outcome": "usage"' in rows[0][2] and '"args": ["42"]' in rows[0][2]


async def test_an_edited_command_is_not_run_again(shop):
    await customer_starts(shop, CUSTOMER)
    ops = Ops(shop, ADMIN)
    await ops.say("/credit 42 5", contains="Credited")
    update = shop.tg.send_group_text(ADMIN, "/credit 42 5")
    # the admin edits the message they sent: Telegram sends it again as edited_message
    edited = dict(update["message"], edit_date=update["message"]["date"] + 1)
    shop.tg.send_update({"edited_message": edited})
    await quiet(shop)
    rows = await shop.db.fetchall("SELECT amount FROM ledger WHERE user_id = ?", (CUSTOMER,))
    assert [r[0] for r in rows] == [5_000_000, 5_000_000]  # the new message counts, its edit does not


async def test_a_customer_command_in_the_admin_group_is_not_answered_there(shop):
    """The sink: customer features never act in the admin chat (no order flow for /start there)."""
    mark = len(shop.tg.calls)
    shop.tg.send_group_text(STRANGER, "/start")
    shop.tg.send_group_text(ADMIN, "/balance")
    await quiet(shop)
    assert [c for c in shop.tg.calls[mark:] if c.chat_id == ADMIN_CHAT_ID] == []


async def test_without_an_admin_chat_nothing_is_admin(make_env):
    env = await make_env(admin_chat_id=None)
    mark = len(env.tg.calls)
    env.tg.send_group_text(ADMIN, "/stats")
    await quiet(env)
    assert [c for c in env.tg.calls[mark:] if c.method == "sendMessage"] == []
    assert await env.db.fetchall("SELECT * FROM audit_log") == []


async def test_other_features_add_admin_commands_through_the_guard(make_env):
    async def ping(req: AdminRequest) -> str:
        if req.args:
            raise Usage
        return f"pong for {req.admin_id}"

    env = await make_env(setup=lambda app: admin_command(app, "ping", ping, usage="test.usage_ping"))
    ops = Ops(env, ADMIN)
    assert "test.usage_ping" in (await ops.say("/help")).plain
    assert (await ops.say("/ping")).plain == f"pong for {ADMIN}"
    assert (await ops.say("/ping now")).plain == "Usage:\ntest.usage_ping"
    mark = len(env.tg.calls)
    env.tg.send_group_text(STRANGER, "/ping")
    env.tg.send_text(ADMIN, "/ping")
    await quiet(env)
    assert [c for c in env.tg.calls[mark:] if c.text and "pong" in c.text] == []
    rows = await env.db.fetchall("SELECT action, arguments FROM audit_log WHERE action = 'ping' ORDER BY id")
    assert [(r[0], '"outcome": "usage"' in r[1]) for r in rows] == [("ping", False), ("ping", True)]
