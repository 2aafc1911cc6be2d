"""The support desk in an admin group without topics: headers, Telegram replies, and the desk's commands."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tests.e2e.harness import ADMIN_CHAT_ID
from tests.support.conftest import ADMIN, ALICE, BOB, STRANGER, Desk


async def ask(desk: Desk, user_id: int, text: str) -> tuple:
    """The customer writes through /support; (header, copy) as posted in the group."""
    await desk.start(user_id)
    prompt = await desk.prompt(user_id)
    copy = await desk.write(user_id, prompt, text=text)
    await desk.ack(user_id)
    posted = desk.tg.messages_to(ADMIN_CHAT_ID)
    return posted[-2], posted[-1], copy


async def test_messages_come_with_a_header_and_a_reply_answers(make_desk):
    desk = await make_desk(forum=False)
    tg = desk.tg
    header, copied, copy = await ask(desk, ALICE, "Where is my order?")
    assert "message_thread_id" not in copy.params or copy.params["message_thread_id"] is None
    assert not tg.calls_of("createForumTopic")
    assert header.plain.startswith(f"✉️ #1 · User{ALICE} · {ALICE} (@user{ALICE})") and "reply to answer" in header.plain
    assert copied.plain == "Where is my order?"
    card = tg.messages_to(ADMIN_CHAT_ID)[0]
    assert "Ticket #1" in card.plain and "Close" in str(card.buttons)

    mark = desk.admin_writes(ADMIN, text="On its way", reply_to=copied)  # a reply to the copy
    assert (await desk.received(ALICE, mark)).message.plain.endswith("On its way")
    mark = desk.admin_writes(ADMIN, text="And the header works too", reply_to=header)
    assert (await desk.received(ALICE, mark)).message.plain.endswith("the header works too")
    mark = desk.admin_writes(ADMIN, text="To the card as well", reply_to=card)
    assert (await desk.received(ALICE, mark)).message.plain.endswith("To the card as well")

    # a second customer's messages map to their own ticket
    _, bob_copy, _ = await ask(desk, BOB, "Hi")
    mark = desk.admin_writes(ADMIN, text="Hello Bob", reply_to=bob_copy)
    assert (await desk.received(BOB, mark)).message.plain.endswith("Hello Bob")

    # not relayed: a non-admin's reply, an admin's forwarded reply, a reply to a message of no ticket
    mark = desk.admin_writes(STRANGER, text="me too", reply_to=copied)
    desk.admin_writes(ADMIN, text="fwd", reply_to=copied, forward_from=STRANGER)
    other = tg.send_message_update(ADMIN, chat_id=ADMIN_CHAT_ID, text="note")["message"]
    desk.admin_writes(ADMIN, text="nothing", reply_to=other)
    await desk.quiet(0.5)
    assert not [c for c in tg.calls[mark:] if c.chat_id in (ALICE, BOB) and c.method in ("sendMessage", "copyMessage")]


async def test_a_closed_ticket_is_followed_by_a_new_one(make_desk):
    desk = await make_desk(forum=False)
    tg = desk.tg
    _, copied, _ = await ask(desk, ALICE, "Hi")
    mark = desk.admin_writes(ADMIN, text="/close 1")
    await tg.wait_for("sendMessage", lambda c: "Ticket #1 closed" in c.message.plain, chat_id=ADMIN_CHAT_ID, since=mark)
    assert "is closed" in (await desk.received(ALICE, mark)).message.plain
    assert not tg.calls_of("closeForumTopic")
    header, _, _ = await ask(desk, ALICE, "Again")
    assert "#2" in header.plain


async def test_tickets_reminders_and_stats(desk):
    tg, db = desk.tg, desk.env.db
    await desk.start(ALICE)
    prompt = await desk.prompt(ALICE)
    copy = await desk.write(ALICE, prompt, text="Hello?")
    thread = copy.params["message_thread_id"]
    await desk.start(BOB)
    await desk.write(BOB, await desk.prompt(BOB), text="Me too")
    await desk.quiet()
    hour_ago = (datetime.now(UTC) - timedelta(hours=1)).isoformat(timespec="seconds")
    await db.conn.execute("UPDATE support_tickets SET waiting_since = '2020-01-01T00:00:00+00:00', opened_at = ? "
                          "WHERE user_id = ?", (hour_ago, ALICE))

    mark = desk.admin_writes(ADMIN, text="/tickets")
    listing = await tg.wait_for("sendMessage", lambda c: "Open tickets: 2" in c.message.plain,
                                chat_id=ADMIN_CHAT_ID, since=mark)
    lines = listing.message.plain.splitlines()
    assert lines[1].startswith(f"#1 · {ALICE} (@user{ALICE}) · waiting ") and " d " in lines[1]
    assert lines[2].startswith(f"#2 · {BOB} (@user{BOB}) · waiting")

    job = next(j for j in desk.env.app.job_queue.jobs() if j.name == "support-reminders")
    mark = len(tg.calls)
    await job.run(desk.env.app)
    await job.run(desk.env.app)  # once per wait, however often the job runs
    reminders = [c for c in tg.calls_of("sendMessage", since=mark, chat_id=ADMIN_CHAT_ID) if "⏰" in c.text]
    assert len(reminders) == 1 and "Ticket #1" in reminders[0].message.plain
    assert reminders[0].params["message_thread_id"] == thread

    mark = desk.admin_writes(ADMIN, thread_id=thread, text="Sorry for the wait")
    await desk.received(ALICE, mark)
    await desk.quiet()
    mark = desk.admin_writes(ADMIN, text="/stats all")
    stats = await tg.wait_for("sendMessage", lambda c: "Support:" in c.message.plain, chat_id=ADMIN_CHAT_ID, since=mark)
    line = next(li for li in stats.message.plain.splitlines() if "Support:" in li)
    assert line.startswith("🎫 Support: 2 opened, 1 answered, median first answer ") and "h" in line
    mark = desk.admin_writes(ADMIN, text="/tickets")
    listing = await tg.wait_for("sendMessage", lambda c: "Open tickets" in c.message.plain,
                                chat_id=ADMIN_CHAT_ID, since=mark)
    assert f"#1 · {ALICE} (@user{ALICE}) · answered" in listing.message.plain


async def test_the_card_buttons_ban_and_open_the_customer(desk):
    tg = desk.tg
    await desk.start(ALICE)
    copy = await desk.write(ALICE, await desk.prompt(ALICE), text="Hi")
    thread = copy.params["message_thread_id"]
    card = tg.topic_messages(ADMIN_CHAT_ID, thread)[0]
    mark = len(tg.calls)
    tg.press_button(ADMIN, card, "Open the customer")
    profile = await tg.wait_for("sendMessage", lambda c: c.ok, chat_id=ADMIN_CHAT_ID, since=mark)
    assert str(ALICE) in profile.message.plain and "ticket #1 open, waiting" in profile.message.plain
    assert profile.params["message_thread_id"] == thread
    mark = len(tg.calls)
    tg.press_button(STRANGER, card, "Ban")  # not an admin: nothing happens
    await tg.wait_for("answerCallbackQuery", since=mark)
    await desk.quiet()
    assert (await desk.env.db.fetchone("SELECT banned FROM users WHERE id = ?", (ALICE,)))[0] == 0
    mark = len(tg.calls)
    tg.press_button(ADMIN, card, "Ban")
    await tg.wait_for("sendMessage", lambda c: "anned" in c.message.plain, chat_id=ADMIN_CHAT_ID, since=mark)
    assert (await desk.env.db.fetchone("SELECT banned FROM users WHERE id = ?", (ALICE,)))[0] == 1
