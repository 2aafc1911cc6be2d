"""Alerts to the admin chat: escaped, localized, cut to fit, and never raising."""

from __future__ import annotations

from decimal import Decimal

from bot.telegram import alerts
from tests.e2e.harness import ADMIN_CHAT_ID
from tests.fakes.telegram_records import html_to_plain


async def test_alert_is_escaped_and_posted_to_the_admin_chat(make_env):
    env = await make_env(features=[])
    rt = env.runtime
    assert await alerts.panel_down(env.app, rt, "main", "<html> & 502")
    call = await env.tg.wait_for("sendMessage", chat_id=ADMIN_CHAT_ID, since=0)
    assert "&lt;html&gt; &amp; 502" in call.text
    assert "main" in call.message.plain and "<html> & 502" in call.message.plain


async def test_typed_panel_alerts_render(make_env):
    env = await make_env(features=[], settings={"admin": {"low_balance_alert": Decimal("50")}})
    rt = env.runtime
    assert await alerts.low_balance(env.app, rt, "main", Decimal("12.5"), "USD")
    assert await alerts.panel_up(env.app, rt, "main")
    texts = [m.plain for m in env.tg.messages_to(ADMIN_CHAT_ID)]
    assert "12.5 USD" in texts[0] and "50 USD" in texts[0]
    assert "answers again" in texts[1]


async def test_no_admin_chat_means_no_post(make_env):
    env = await make_env(features=[], admin_chat_id=None)
    assert not await alerts.alert(env.app, env.settings, env.runtime.i18n, "admin.alert_panel_up", panel="x",
                                  since="?")
    assert env.tg.calls_of("sendMessage") == []


async def test_a_refused_post_returns_false_instead_of_raising(make_env):
    env = await make_env(features=[])
    env.tg.fail_next("sendMessage", 400, "Bad Request: chat not found")
    assert not await alerts.post_admin(env.app, env.settings, "hello")


def test_long_texts_are_cut_at_a_line_end():
    text = "\n".join(f"<b>line {i}</b>" for i in range(1000))
    cut = alerts.fit_message(text)
    assert len(cut) <= alerts.MAX_POST_CHARS
    assert cut.endswith("</b>\n…")
    assert alerts.fit_message("short") == "short"


def test_a_cut_inside_a_block_closes_its_tags():
    text = "<b>Order</b>\n<pre>" + "\n".join(f"line {i} &amp; more" for i in range(800)) + "</pre>"
    cut = alerts.fit_message(text)
    assert len(cut) <= alerts.MAX_POST_CHARS and cut.endswith("…</pre>")
    assert html_to_plain(cut)  # Telegram's parser (as the fake has it) accepts it
