"""The support desk in a forum admin group: a topic per customer, messages both ways, closing, restarts."""

from __future__ import annotations

from tests.e2e.harness import ADMIN_CHAT_ID
from tests.support.conftest import ADMIN, ALICE, BOB, STRANGER, Desk, eventually


async def open_ticket(desk: Desk, user_id: int, text: str = "Where is my order?", *, name: str = "Alice",
                      lang: str = "en") -> int:
    """The customer starts, asks through /support; the thread id of their topic."""
    await desk.start(user_id, name=name, lang=lang)
    prompt = await desk.prompt(user_id, lang=lang)
    copy = await desk.write(user_id, prompt, text=text, lang=lang)
    await desk.ack(user_id)
    return copy.params["message_thread_id"]


async def test_text_and_photo_reach_the_customers_topic(desk):
    tg = desk.tg
    await desk.start(ALICE, name="Alice")
    prompt = await desk.prompt(ALICE)
    assert "as a reply to this one" in prompt.plain
    copy = await desk.write(ALICE, prompt, text="Where is my order?")
    thread = copy.params["message_thread_id"]
    topic = tg.topics[ADMIN_CHAT_ID][thread]
    assert topic["name"] == f"Alice · {ALICE}" and not topic["closed"]
    posts = tg.topic_messages(ADMIN_CHAT_ID, thread)
    card, copied = posts[0], posts[1]
    assert "Ticket #1" in card.plain and f"Customer {ALICE} · @user{ALICE} · language en" in card.plain
    assert "Balance: 0.00 USD" in card.plain and "No orders yet." in card.plain
    assert [label for label, _ in card.buttons] == ["✅ Close", "🚫 Ban", "👤 Open the customer"]
    assert copied.plain == "Where is my order?"
    ack = await desk.ack(ALICE)
    assert "Sent to the shop — ticket #1" in ack.plain

    photo = await desk.write(ALICE, ack, photo=True, caption="screenshot")
    assert photo.params["message_thread_id"] == thread  # the same topic, the same ticket
    copied = tg.topic_messages(ADMIN_CHAT_ID, thread)[-1]
    assert "photo" in copied.media and copied.plain == "screenshot"
    document = await desk.write(ALICE, prompt, document="invoice.pdf")
    assert document.params["message_thread_id"] == thread
    assert len(tg.calls_of("createForumTopic")) == 1
    rows = await desk.env.db.fetchall("SELECT id, status FROM support_tickets")
    assert [tuple(r) for r in rows] == [(1, "open")]


async def test_an_admins_answer_in_the_topic_reaches_the_customer(desk):
    thread = await open_ticket(desk, ALICE)
    mark = desk.admin_writes(ADMIN, thread_id=thread, text="It starts within the hour.", first_name="Olga")
    answer = (await desk.received(ALICE, mark)).message
    assert answer.plain == "💬 Message from the shop\n\nIt starts within the hour."
    assert "Olga" not in answer.plain
    assert [label for label, _ in answer.buttons] == ["✍️ Reply"]
    await desk.quiet()  # the relay is non-blocking: let it finish (audit, mapping)
    audit = await desk.env.db.fetchall("SELECT admin_id, action, arguments FROM audit_log WHERE action = 'support_answer'")
    assert len(audit) == 1 and audit[0]["admin_id"] == ADMIN and '"outcome": "delivered"' in audit[0]["arguments"]

    # a photo from the admin arrives as a photo, headed
    mark = desk.admin_writes(ADMIN, thread_id=thread, photo=True, caption="see")
    photo = (await desk.received(ALICE, mark)).message
    assert "photo" in photo.media and photo.plain == "💬 Message from the shop\n\nsee"

    # the customer answers by replying to the shop's message: back in the same topic
    copy = await desk.write(ALICE, answer, text="Thanks!")
    assert copy.params["message_thread_id"] == thread


async def test_admin_name_is_shown_only_when_the_operator_enables_it(make_desk):
    desk = await make_desk(settings={"support": {"support_show_admin_name": True}})
    thread = await open_ticket(desk, ALICE)
    mark = desk.admin_writes(ADMIN, thread_id=thread, text="Hello", first_name="Olga")
    assert (await desk.received(ALICE, mark)).message.plain.startswith("💬 Olga, from the shop")


async def test_the_answer_is_headed_in_the_customers_language(desk):
    thread = await open_ticket(desk, ALICE, "Где мой заказ?", lang="ru")
    mark = desk.admin_writes(ADMIN, thread_id=thread, text="Скоро.")
    assert (await desk.received(ALICE, mark)).message.plain == "💬 Сообщение от магазина\n\nСкоро."


async def test_a_second_customer_gets_a_second_topic(desk):
    first = await open_ticket(desk, ALICE, name="Alice")
    second = await open_ticket(desk, BOB, "Hello?", name="Bob")
    assert first != second
    assert desk.tg.topics[ADMIN_CHAT_ID][second]["name"] == f"Bob · {BOB}"
    mark = desk.admin_writes(ADMIN, thread_id=second, text="Hi Bob")
    assert (await desk.received(BOB, mark)).message.plain.endswith("Hi Bob")
    await desk.quiet()
    assert not [c for c in desk.tg.calls[mark:] if c.chat_id == ALICE and c.method in ("sendMessage", "copyMessage")]


async def test_what_is_never_relayed(desk):
    thread = await open_ticket(desk, ALICE)
    tg = desk.tg
    mark = len(tg.calls)
    desk.admin_writes(STRANGER, thread_id=thread, text="I am not an admin")  # a member who is not an admin
    desk.admin_writes(ADMIN, thread_id=thread, text="/stats")  # a command (answered in the topic, not relayed)
    desk.admin_writes(ADMIN, thread_id=thread, text="look", forward_from=STRANGER)  # a forward
    desk.admin_writes(ADMIN, text="in General, replying to nothing")  # outside any ticket topic
    other = tg.send_message_update(ADMIN, chat_id=ADMIN_CHAT_ID, text="a note")["message"]
    desk.admin_writes(ADMIN, text="a reply to a non-ticket message", reply_to=other)
    await desk.quiet(0.5)
    to_alice = [c for c in tg.calls[mark:] if c.chat_id == ALICE and c.method in ("sendMessage", "copyMessage")]
    assert to_alice == []
    stats = [c for c in tg.calls_of("sendMessage", since=mark, chat_id=ADMIN_CHAT_ID) if "Support:" in c.message.plain]
    assert stats and stats[0].params.get("message_thread_id") == thread  # the command answered in its topic
    rows = await desk.env.db.fetchall("SELECT COUNT(*) FROM audit_log WHERE action = 'support_answer'")
    assert rows[0][0] == 0


async def test_close_and_reopen(desk):
    tg = desk.tg
    thread = await open_ticket(desk, ALICE)
    card = tg.topic_messages(ADMIN_CHAT_ID, thread)[0]
    mark = len(tg.calls)
    tg.press_button(ADMIN, card, "Close")
    told = await tg.wait_for("sendMessage", lambda c: c.ok, chat_id=ALICE, since=mark)
    assert "ticket #1 is closed" in told.message.plain
    await eventually(lambda: tg.topics[ADMIN_CHAT_ID][thread]["closed"])
    assert tg.topics[ADMIN_CHAT_ID][thread]["name"] == f"✅ Alice · {ALICE}"
    posted = await tg.wait_for("sendMessage", lambda c: "closed" in c.message.plain, chat_id=ADMIN_CHAT_ID, since=mark)
    assert posted.params["message_thread_id"] == thread
    await desk.quiet()

    # the customer writes again: a new ticket in the same topic, reopened and renamed back
    prompt = await desk.prompt(ALICE)
    copy = await desk.write(ALICE, prompt, text="One more thing")
    assert copy.params["message_thread_id"] == thread
    topic = tg.topics[ADMIN_CHAT_ID][thread]
    assert not topic["closed"] and topic["name"] == f"Alice · {ALICE}"
    assert "Ticket #2" in tg.topic_messages(ADMIN_CHAT_ID, thread)[-2].plain  # a fresh card
    assert "ticket #2" in (await desk.ack(ALICE)).plain
    assert len(tg.calls_of("createForumTopic")) == 1

    # /close <ticket> does the same; closing twice says so
    mark = desk.admin_writes(ADMIN, thread_id=thread, text="/close")  # inside the topic: its ticket
    await tg.wait_for("sendMessage", lambda c: "Ticket #2 closed" in c.message.plain, chat_id=ADMIN_CHAT_ID, since=mark)
    mark = desk.admin_writes(ADMIN, text="/close 2")
    await tg.wait_for("sendMessage", lambda c: "already closed" in c.message.plain, chat_id=ADMIN_CHAT_ID, since=mark)
    mark = desk.admin_writes(ADMIN, text="/close 99")
    await tg.wait_for("sendMessage", lambda c: "No ticket #99" in c.message.plain, chat_id=ADMIN_CHAT_ID, since=mark)


async def test_a_restart_keeps_the_mapping(desk):
    await desk.start(ALICE, name="Alice")
    copy = await desk.write(ALICE, await desk.prompt(ALICE), text="Before the restart")
    thread = copy.params["message_thread_id"]
    ack = await desk.ack(ALICE)
    await desk.env.restart()
    copy = await desk.write(ALICE, ack, text="A reply to the acknowledgement sent before the restart")
    assert copy.params["message_thread_id"] == thread
    mark = desk.admin_writes(ADMIN, thread_id=thread, text="After the restart")
    answer = (await desk.received(ALICE, mark)).message
    assert answer.plain.endswith("After the restart")
    await desk.quiet()
    copy = await desk.write(ALICE, answer, text="Got it")
    assert copy.params["message_thread_id"] == thread
    assert len(desk.tg.calls_of("createForumTopic")) == 1


async def test_an_answer_to_a_customer_who_blocked_the_bot_tells_the_admin(desk):
    thread = await open_ticket(desk, ALICE)
    desk.tg.blocked.add(ALICE)
    mark = desk.admin_writes(ADMIN, thread_id=thread, text="Hello?")
    notice = await desk.tg.wait_for("sendMessage", lambda c: "Not delivered" in c.message.plain,
                                    chat_id=ADMIN_CHAT_ID, since=mark)
    assert "blocked the bot" in notice.message.plain and notice.params["message_thread_id"] == thread
    await desk.quiet()
    rows = await desk.env.db.fetchall("SELECT arguments FROM audit_log WHERE action = 'support_answer'")
    assert '"outcome": "blocked"' in rows[0][0]


async def test_a_topic_deleted_by_hand_is_made_again(desk):
    thread = await open_ticket(desk, ALICE)
    del desk.tg.topics[ADMIN_CHAT_ID][thread]  # an admin deleted the topic in Telegram
    copy = await desk.write(ALICE, desk.tg.last_message(ALICE), text="Still there?")
    new_thread = copy.params["message_thread_id"]
    assert new_thread != thread and len(desk.tg.calls_of("createForumTopic")) == 2
    assert "Ticket #1" in desk.tg.topic_messages(ADMIN_CHAT_ID, new_thread)[0].plain  # the card again
    mark = desk.admin_writes(ADMIN, thread_id=new_thread, text="Here")
    assert (await desk.received(ALICE, mark)).message.plain.endswith("Here")


async def test_without_the_manage_topics_right_messages_come_with_headers(desk):
    desk.tg.no_topic_rights.add(ADMIN_CHAT_ID)
    await desk.start(ALICE)
    copy = await desk.write(ALICE, await desk.prompt(ALICE), text="Hello")
    assert copy.params.get("message_thread_id") is None
    await desk.ack(ALICE)
    header = desk.tg.messages_to(ADMIN_CHAT_ID)[-2]
    assert header.plain.startswith("✉️ #1")
    mark = desk.admin_writes(ADMIN, text="Answer by reply", reply_to=desk.tg.messages_to(ADMIN_CHAT_ID)[-1])
    assert (await desk.received(ALICE, mark)).message.plain.endswith("Answer by reply")


async def test_quick_messages_keep_their_order_and_make_one_topic(desk):
    tg = desk.tg
    await desk.start(ALICE)
    prompt = await desk.prompt(ALICE)
    for n in range(3):  # before the first one made the topic
        tg.send_message_update(ALICE, reply_to=prompt, text=f"part {n}")
    await eventually(lambda: len(tg.calls_of("copyMessage", chat_id=ADMIN_CHAT_ID)) == 3)
    assert len(tg.calls_of("createForumTopic")) == 1
    thread = tg.topic_named(ADMIN_CHAT_ID, str(ALICE))
    assert [m.plain for m in tg.topic_messages(ADMIN_CHAT_ID, thread)][1:] == ["part 0", "part 1", "part 2"]
    for n in range(3):
        tg.send_message_update(ADMIN, chat_id=ADMIN_CHAT_ID, thread_id=thread, text=f"answer {n}")
    def answers() -> list[str]:
        return [m.plain.rsplit("\n", 1)[-1] for m in tg.messages_to(ALICE) if m.plain.startswith("💬 Message from")]
    await eventually(lambda: len(answers()) == 3)
    assert answers() == ["answer 0", "answer 1", "answer 2"]


async def test_an_admin_closing_the_topic_in_telegram_closes_the_ticket(desk):
    tg = desk.tg
    thread = await open_ticket(desk, ALICE)
    tg.topics[ADMIN_CHAT_ID][thread]["closed"] = True  # closed by hand in the group's topic menu
    mark = len(tg.calls)
    tg.send_update({"message": {"message_id": 500, "date": 0, "chat": tg.chat(ADMIN_CHAT_ID, "supergroup"),
                                "from": tg.user(ADMIN), "message_thread_id": thread, "is_topic_message": True,
                                "forum_topic_closed": {}}})
    told = await tg.wait_for("sendMessage", lambda c: c.ok, chat_id=ALICE, since=mark)
    assert "ticket #1 is closed" in told.message.plain
    await tg.wait_for("sendMessage", lambda c: "Ticket #1 closed" in c.message.plain, chat_id=ADMIN_CHAT_ID, since=mark)
    assert tg.topics[ADMIN_CHAT_ID][thread]["name"] == f"✅ Alice · {ALICE}"
    row = await desk.env.db.fetchone("SELECT status, closed_by FROM support_tickets WHERE id = 1")
    assert tuple(row) == ("closed", ADMIN)
    # a stranger's (or the bot's own) topic events change nothing
    await open_ticket(desk, BOB, name="Bob")
    bob_thread = tg.topic_named(ADMIN_CHAT_ID, str(BOB))
    tg.send_update({"message": {"message_id": 501, "date": 0, "chat": tg.chat(ADMIN_CHAT_ID, "supergroup"),
                                "from": tg.user(STRANGER), "message_thread_id": bob_thread, "is_topic_message": True,
                                "forum_topic_closed": {}}})
    await desk.quiet()
    row = await desk.env.db.fetchone("SELECT status FROM support_tickets WHERE user_id = ?", (BOB,))
    assert row[0] == "open"
