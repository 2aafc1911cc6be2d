"""/broadcast: previewed, sent in the background under 30 messages a second, counted, stoppable."""

from __future__ import annotations

import asyncio
import bisect
import time

from bot.domain.broadcast import RateWindow
from bot.handlers.admin.broadcast import STATE_KEY
from bot.storage import users
from tests.admin.conftest import ADMIN, CUSTOMER, STRANGER
from tests.admin.helpers import Ops, customer_starts, eventually, quiet
from tests.e2e.harness import ADMIN_CHAT_ID


async def seed_customers(env, ids) -> None:
    """Customers who wrote to the bot at some point."""
    async with env.db.transaction() as conn:
        for user_id in ids:
            await users.touch(conn, user_id)


class RecordedWindow(RateWindow):
    """The bot's own sliding window, noting when each request it lets through starts (our clock, our side).

    Arrival times at the fake Bot API are not what the broadcast controls: on a loaded machine requests
    started a window apart queue in the event loop and the HTTP stack and arrive bunched. The start
    times are what the pacing decides, so the limit is checked on them.
    """

    def __init__(self) -> None:
        super().__init__()
        self.starts: list[float] = []

    async def acquire(self) -> None:
        await super().acquire()
        self.starts.append(time.monotonic())


def busiest_second(times: list[float]) -> int:
    """The most calls that fall in any window [t, t + 1 s)."""
    times = sorted(times)
    return max((bisect.bisect_left(times, t + 1.0) - i for i, t in enumerate(times)), default=0)


async def final_report(env, timeout: float = 30.0):  # noqa: ASYNC109
    call = await env.tg.wait_for("editMessageText", lambda c: c.ok and "Broadcast " in c.message.plain and
                                 ("finished" in c.message.plain or "stopped" in c.message.plain),
                                 chat_id=ADMIN_CHAT_ID, timeout=timeout, since=0)
    return call.message.plain


async def test_500_customers_20_blocked_480_sent_never_over_30_a_second(make_env):
    env = await make_env()
    recipients = set(range(1001, 1501))
    await seed_customers(env, recipients)
    blocked = set(sorted(recipients)[::25])
    env.tg.blocked |= blocked
    ops = Ops(env, ADMIN)
    preview = await ops.say("/broadcast Big sale today & tomorrow: -20% <everything>!")
    assert "it goes to 500 customers" in preview.plain
    assert preview.plain.endswith("Big sale today & tomorrow: -20% <everything>!")

    window = RecordedWindow()  # the limiter every broadcast of this bot goes through
    env.app.bot_data[STATE_KEY].limiter = window
    mark, started = len(env.tg.calls), time.monotonic()
    await ops.press(preview, "Send to 500")
    await ops.say("/help", contains="Admin commands", timeout=15)
    answered = len(env.tg.calls)
    report = await final_report(env, timeout=90)
    elapsed = time.monotonic() - started

    assert "Broadcast finished: sent 480, blocked 20, failed 0 (of 500)." in report
    sends = [c for c in env.tg.calls[mark:] if c.method == "sendMessage" and c.chat_id in recipients]
    assert len(sends) == 500 and {c.chat_id for c in sends} == recipients
    assert {c.text for c in sends} == {"Big sale today &amp; tomorrow: -20% &lt;everything&gt;!"}
    # /help was answered while it ran: sends still came after the answer
    assert any(c.method == "sendMessage" and c.chat_id in recipients for c in env.tg.calls[answered:])
    # every send and progress edit went through the window, and never more than 30 started in a second
    assert len(window.starts) >= 500 + 2  # the sends, at least one progress edit, the final edit
    assert busiest_second(window.starts) <= 30
    # paced: 500 sends at 30 a second cannot take under ~16 s; and not wildly slower than it must be
    # (about 20 s here), with room for a loaded 2-core CI box
    assert 14 < window.starts[-1] - window.starts[0] and elapsed < 60, (window.starts[-1] - window.starts[0], elapsed)
    marked = await env.db.fetchall("SELECT id FROM users WHERE blocked = 1")
    assert {row[0] for row in marked} == blocked
    progress = [c for c in env.tg.calls[mark:] if c.method == "editMessageText" and "Sending…" in c.text]
    assert len(progress) >= 2  # edited as it goes
    assert ADMIN not in {c.chat_id for c in sends}  # operators read the preview, not a copy


async def test_a_reply_broadcast_cancel_and_foreign_presses(make_env):
    env = await make_env()
    for user_id in (CUSTOMER, 43, 44):
        await customer_starts(env, user_id)
    ops = Ops(env, ADMIN)
    cancelled = await ops.say("/broadcast never mind")
    await ops.press(cancelled, "Cancel")
    await eventually(lambda: "cancelled" in env.tg.messages_to(ADMIN_CHAT_ID)[-1].plain)

    original = await ops.say("/panels")  # any message in the group will do as the one replied to
    preview = await ops.say("/broadcast", reply_to=original, contains="Broadcast preview")
    assert "it goes to 3 customers" in preview.plain and "🔌 Panels" in preview.plain
    send_data = next(data for text, data in preview.buttons if "Send" in text)
    mark = len(env.tg.calls)
    env.tg.press(CUSTOMER, env.tg.last_message(CUSTOMER), send_data)  # forged into a customer's chat
    await quiet(env)
    assert [c for c in env.tg.calls[mark:] if c.method == "sendMessage"] == []

    await ops.press(preview, "Send to 3")
    assert "sent 3, blocked 0, failed 0 (of 3)" in await final_report(env, timeout=10)
    assert "🔌 Panels" in env.tg.last_message(43).plain
    for _ in range(100):  # the audit row comes right after the final edit
        actions = [tuple(r) for r in await env.db.fetchall("SELECT admin_id, action FROM audit_log ORDER BY id")]
        if actions[-1][1] == "broadcast_done":
            break
        await asyncio.sleep(0.01)
    assert actions[-3:] == [(ADMIN, "broadcast"), (ADMIN, "button:bc_go"), (ADMIN, "broadcast_done")]
    assert '"sent": 3' in (await env.db.fetchone("SELECT arguments FROM audit_log ORDER BY id DESC"))[0]
    mark = len(env.tg.calls)
    env.tg.press(ADMIN, preview, send_data)  # the same Send again (a double tap, a stale client)
    again = await env.tg.wait_for("answerCallbackQuery", since=mark)
    assert again.params.get("text") == "This preview is out of date: send /broadcast again."


async def test_a_group_member_who_is_not_an_admin_cannot_send(make_env):
    env = await make_env()
    await customer_starts(env, CUSTOMER)
    preview = await Ops(env, ADMIN).say("/broadcast hello")
    mark = len(env.tg.calls)
    env.tg.press_button(STRANGER, preview, "Send")
    await quiet(env)
    calls = env.tg.calls[mark:]
    assert [c.method for c in calls] == ["answerCallbackQuery"] and not calls[0].params.get("text")
    assert env.tg.messages_to(CUSTOMER)[-1].plain != "hello"


async def test_stop_ends_a_broadcast_early(make_env):
    env = await make_env()
    await seed_customers(env, range(2001, 2121))
    ops = Ops(env, ADMIN)
    preview = await ops.say("/broadcast news")
    await ops.press(preview, "Send to 120")
    progress = (await env.tg.wait_for("editMessageText", lambda c: "Sending…" in c.text,
                                      chat_id=ADMIN_CHAT_ID)).message
    await ops.press(progress, "Stop")
    report = await final_report(env, timeout=10)
    assert "Broadcast stopped after" in report
    sent = len([c for c in env.tg.calls if c.method == "sendMessage" and 2001 <= c.chat_id <= 2120])
    assert sent < 120 and f"sent {sent}," in report


async def test_broadcast_needs_a_text_and_a_short_one(make_env):
    env = await make_env()
    ops = Ops(env, ADMIN)
    assert (await ops.say("/broadcast")).plain.startswith("Usage:")
    assert (await ops.say("/broadcast " + "x" * 3501)).plain.startswith("⛔ The text is too long (3501")
