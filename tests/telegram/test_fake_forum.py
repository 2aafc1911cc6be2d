"""The fake Bot API's forum topics and copyMessage answer like Telegram (real PTB Bot against it)."""

from __future__ import annotations

import pytest
from telegram.error import BadRequest, Forbidden

from tests.fakes.telegram_customers import ADMIN_CHAT_ID


async def test_topics_are_created_renamed_closed_and_reopened(tg, bot) -> None:
    with pytest.raises(BadRequest, match="(?i)the chat is not a forum"):
        await bot.create_forum_topic(ADMIN_CHAT_ID, "Alice · 42")
    tg.forums.add(ADMIN_CHAT_ID)
    assert (await bot.get_chat(ADMIN_CHAT_ID)).is_forum
    topic = await bot.create_forum_topic(ADMIN_CHAT_ID, "Alice · 42")
    thread = topic.message_thread_id
    assert topic.name == "Alice · 42" and tg.topics[ADMIN_CHAT_ID][thread]["name"] == "Alice · 42"
    sent = await bot.send_message(ADMIN_CHAT_ID, "card", message_thread_id=thread)
    assert sent.is_topic_message and sent.message_thread_id == thread and sent.message_id != thread
    with pytest.raises(BadRequest, match="(?i)TOPIC_NOT_MODIFIED"):
        await bot.reopen_forum_topic(ADMIN_CHAT_ID, thread)
    await bot.close_forum_topic(ADMIN_CHAT_ID, thread)
    with pytest.raises(BadRequest, match="(?i)TOPIC_NOT_MODIFIED"):
        await bot.close_forum_topic(ADMIN_CHAT_ID, thread)
    await bot.edit_forum_topic(ADMIN_CHAT_ID, thread, name="✅ Alice · 42")
    with pytest.raises(BadRequest, match="(?i)TOPIC_NOT_MODIFIED"):
        await bot.edit_forum_topic(ADMIN_CHAT_ID, thread, name="✅ Alice · 42")
    await bot.reopen_forum_topic(ADMIN_CHAT_ID, thread)
    assert not tg.topics[ADMIN_CHAT_ID][thread]["closed"]
    with pytest.raises(BadRequest, match="(?i)TOPIC_ID_INVALID"):
        await bot.close_forum_topic(ADMIN_CHAT_ID, 9999)
    with pytest.raises(BadRequest, match="(?i)message thread not found"):
        await bot.send_message(ADMIN_CHAT_ID, "lost", message_thread_id=9999)
    tg.no_topic_rights.add(ADMIN_CHAT_ID)
    with pytest.raises(BadRequest, match="(?i)not enough rights"):
        await bot.create_forum_topic(ADMIN_CHAT_ID, "Bob · 43")


async def test_copy_message_copies_text_and_media_and_refuses_what_is_missing(tg, bot) -> None:
    tg.forums.add(ADMIN_CHAT_ID)
    thread = (await bot.create_forum_topic(ADMIN_CHAT_ID, "Alice · 42")).message_thread_id
    text = tg.send_message_update(42, text="hello")["message"]
    photo = tg.send_message_update(42, photo=True, caption="look")["message"]
    copied = await bot.copy_message(ADMIN_CHAT_ID, 42, text["message_id"], message_thread_id=thread)
    assert tg.last_message(ADMIN_CHAT_ID).plain == "hello" and tg.last_message(ADMIN_CHAT_ID).thread_id == thread
    assert copied.message_id == tg.last_message(ADMIN_CHAT_ID).message_id
    await bot.copy_message(ADMIN_CHAT_ID, 42, photo["message_id"], caption="<b>new</b> caption", parse_mode="HTML")
    last = tg.last_message(ADMIN_CHAT_ID)
    assert "photo" in last.media and last.plain == "new caption" and last.thread_id is None
    with pytest.raises(BadRequest, match="(?i)message to copy not found"):
        await bot.copy_message(ADMIN_CHAT_ID, 42, 9999)
    with pytest.raises(BadRequest, match="(?i)message to copy not found"):  # a topic's creation message
        await bot.copy_message(42, ADMIN_CHAT_ID, thread)
    tg.blocked.add(42)
    with pytest.raises(Forbidden):
        await bot.copy_message(42, 42, text["message_id"])


async def test_a_message_in_a_topic_carries_the_topic_and_its_creation_message(tg, bot) -> None:
    tg.forums.add(ADMIN_CHAT_ID)
    thread = (await bot.create_forum_topic(ADMIN_CHAT_ID, "Alice · 42")).message_thread_id
    message = tg.send_message_update(1, text="hi", chat_id=ADMIN_CHAT_ID, thread_id=thread)["message"]
    assert message["is_topic_message"] and message["message_thread_id"] == thread
    assert message["reply_to_message"]["message_id"] == thread and "forum_topic_created" in message["reply_to_message"]
    assert message["chat"]["is_forum"] is True
