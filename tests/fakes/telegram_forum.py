"""Forum topics, copyMessage, getChat and richer incoming messages for FakeTelegram.

    tg.forums.add(ADMIN_CHAT_ID)                       # the group has topics on (Chat.is_forum)
    tg.topics[ADMIN_CHAT_ID][thread_id]                # {"name", "icon_color", "closed"} per topic
    tg.send_message_update(42, text="hi", reply_to=bot_message)          # a reply in a private chat
    tg.send_message_update(42, photo=True, caption="see", reply_to=msg)  # a photo (document=... too)
    tg.send_message_update(1, text="ok", chat_id=ADMIN_CHAT_ID, thread_id=7)  # an admin in topic 7

As in Telegram: a topic's id (message_thread_id) is the message id of its creation service message;
a message written in a topic carries is_topic_message and, when it replies to nothing else,
reply_to_message = that service message. Errors as the real Bot API words them: createForumTopic in a
group without topics → 400 "the chat is not a forum", without the right (`no_topic_rights`) → 400
"not enough rights to create a topic"; an unknown topic → 400 "message thread not found" for sends
and "TOPIC_ID_INVALID" for edits; closing a closed / reopening an open topic or renaming it to the
same name → 400 "TOPIC_NOT_MODIFIED"; copying a message that does not exist → 400 "message to copy
not found". The bot is taken to be an admin, so it may write in closed topics.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from tests.fakes.telegram_records import ApiError, BotMessage, Call, bad_request, check_markup, html_to_plain

if TYPE_CHECKING:
    from tests.fakes.telegram_server import FakeTelegram

ICON_COLORS = (7322096, 16766590, 13338331, 9367192, 16749490, 16478047)
CAPTIONED = ("photo", "video", "document", "audio", "voice", "animation")


class ForumMixin:
    """Topics, copies, getChat and the incoming messages they need; `self` is the FakeTelegram."""

    def _forum_init(self: FakeTelegram) -> None:
        self.forums: set[int] = set()
        self.no_topic_rights: set[int] = set()
        self.topics: dict[int, dict[int, dict[str, Any]]] = {}
        self.incoming: dict[tuple[int, int], dict] = {}  # (chat id, message id) -> Message as sent to the bot

    # --- helpers for tests ------------------------------------------------------------------------

    def topic_messages(self: FakeTelegram, chat_id: int, thread_id: int) -> list[BotMessage]:
        """The bot's messages in one topic, oldest first."""
        return [m for m in self.messages_to(chat_id) if m.thread_id == thread_id]

    def topic_named(self: FakeTelegram, chat_id: int, fragment: str) -> int:
        """The thread id of the topic whose name contains `fragment`."""
        for thread_id, topic in self.topics.get(chat_id, {}).items():
            if fragment in topic["name"]:
                return thread_id
        raise AssertionError(f"no topic with {fragment!r} in {self.topics.get(chat_id)}")

    def send_message_update(self: FakeTelegram, user_id: int, *, text: str | None = None, caption: str | None = None,
                            photo: bool = False, document: str | None = None, voice: bool = False,
                            chat_id: int | None = None, thread_id: int | None = None,
                            reply_to: BotMessage | dict | None = None, forward_from: int | None = None,
                            media_group_id: str | None = None,
                            language_code: str = "en", username: str | None = None,
                            first_name: str | None = None) -> dict:
        """Someone sends a message (text, photo, document, voice), maybe a reply, maybe in a topic."""
        user = self.user(user_id, language_code=language_code, username=username, first_name=first_name)
        target = chat_id if chat_id is not None else user_id
        chat = self.chat(target, "private" if target > 0 else "supergroup", user)
        message: dict[str, Any] = {"message_id": self._next_message_id(target), "date": int(time.time()),
                                   "chat": chat, "from": user}
        if text is not None:
            message["text"] = text
            if text.startswith("/"):
                message["entities"] = [{"type": "bot_command", "offset": 0, "length": len(text.split()[0])}]
        if photo:
            unique = f"ph{user_id}x{message['message_id']}"
            message["photo"] = [{"file_id": f"AgAD{unique}s", "file_unique_id": f"{unique}s", "width": 90, "height": 90},
                                {"file_id": f"AgAD{unique}m", "file_unique_id": f"{unique}m", "width": 800, "height": 800}]
        if document is not None:
            message["document"] = {"file_id": f"BQAD{user_id}x{message['message_id']}", "file_name": document,
                                   "file_unique_id": f"doc{user_id}x{message['message_id']}", "mime_type": "application/pdf"}
        if voice:
            message["voice"] = {"file_id": f"AwAD{user_id}x{message['message_id']}", "duration": 3,
                                "file_unique_id": f"vo{user_id}x{message['message_id']}", "mime_type": "audio/ogg"}
        if caption is not None:
            message["caption"] = caption
        if media_group_id is not None:
            message["media_group_id"] = media_group_id
        if forward_from is not None:
            message["forward_origin"] = {"type": "user", "date": int(time.time()), "sender_user": self.user(forward_from)}
        if thread_id is not None and target in self.forums:
            message["message_thread_id"] = thread_id
            message["is_topic_message"] = True
            creation = self._topic_creation(target, thread_id)
            message["reply_to_message"] = creation
        if reply_to is not None:
            message["reply_to_message"] = reply_to.to_api() if isinstance(reply_to, BotMessage) else reply_to
        return self.send_update({"message": message})

    def _topic_creation(self: FakeTelegram, chat_id: int, thread_id: int) -> dict:
        topic = self.topics.get(chat_id, {}).get(thread_id, {"name": "?", "icon_color": ICON_COLORS[0]})
        return {"message_id": thread_id, "date": int(time.time()), "chat": self.chat(chat_id, "supergroup"),
                "from": {"id": 7000001, "is_bot": True, "first_name": "SMM Test Bot"},
                "message_thread_id": thread_id, "is_topic_message": True,
                "forum_topic_created": {"name": topic["name"], "icon_color": topic["icon_color"]}}

    def check_thread(self: FakeTelegram, chat_id: int, thread_id: Any) -> int | None:
        """A send's message_thread_id as Telegram checks it (None: no topic)."""
        if thread_id in (None, "", 0):
            return None
        if chat_id in self.forums and int(thread_id) not in self.topics.get(chat_id, {}):
            raise bad_request("message thread not found")
        return int(thread_id) if chat_id in self.forums else None

    def _topic(self: FakeTelegram, call: Call) -> dict[str, Any]:
        chat_id = call.chat_id
        if chat_id not in self.forums:
            raise bad_request("the chat is not a forum")
        if chat_id in self.no_topic_rights:
            raise bad_request("not enough rights to manage topics")
        topic = self.topics.get(chat_id, {}).get(call.params.get("message_thread_id"))
        if topic is None:
            raise bad_request("TOPIC_ID_INVALID")
        return topic

    # --- Bot API methods --------------------------------------------------------------------------

    async def _api_getChat(self: FakeTelegram, call: Call) -> dict:  # noqa: N802 - Bot API names
        chat_id = call.chat_id
        if chat_id in self.missing_chats or not isinstance(chat_id, int):
            raise bad_request("chat not found")
        chat = dict(self.chat(chat_id, "private" if chat_id > 0 else "supergroup"))
        chat.update(accent_color_id=0, max_reaction_count=11,
                    accepted_gift_types={"unlimited_gifts": False, "limited_gifts": False, "unique_gifts": False,
                                         "premium_subscription": False, "gifts_from_channels": False})
        return chat

    async def _api_createForumTopic(self: FakeTelegram, call: Call) -> dict:  # noqa: N802
        chat_id, name = call.chat_id, call.params.get("name") or ""
        if chat_id not in self.forums:
            raise bad_request("the chat is not a forum")
        if chat_id in self.no_topic_rights:
            raise bad_request("not enough rights to create a topic")
        if not 1 <= len(name) <= 128:
            raise bad_request("TOPIC_TITLE_EMPTY" if not name else "TOPIC_TITLE_TOO_LONG")  # hedged wording
        color = call.params.get("icon_color", ICON_COLORS[0])
        if color not in ICON_COLORS:
            raise bad_request("TOPIC_ICON_COLOR_INVALID")
        thread_id = self._next_message_id(chat_id)  # the creation service message's id
        self.topics.setdefault(chat_id, {})[thread_id] = {"name": name, "icon_color": color, "closed": False}
        return {"message_thread_id": thread_id, "name": name, "icon_color": color}

    async def _api_editForumTopic(self: FakeTelegram, call: Call) -> bool:  # noqa: N802
        topic = self._topic(call)
        name = call.params.get("name")
        if name is not None and not 1 <= len(name) <= 128:
            raise bad_request("TOPIC_TITLE_EMPTY" if not name else "TOPIC_TITLE_TOO_LONG")
        if name is None or name == topic["name"]:
            raise bad_request("TOPIC_NOT_MODIFIED")
        topic["name"] = name
        return True

    async def _api_closeForumTopic(self: FakeTelegram, call: Call) -> bool:  # noqa: N802
        topic = self._topic(call)
        if topic["closed"]:
            raise bad_request("TOPIC_NOT_MODIFIED")
        topic["closed"] = True
        return True

    async def _api_reopenForumTopic(self: FakeTelegram, call: Call) -> bool:  # noqa: N802
        topic = self._topic(call)
        if not topic["closed"]:
            raise bad_request("TOPIC_NOT_MODIFIED")
        topic["closed"] = False
        return True

    async def _api_deleteForumTopic(self: FakeTelegram, call: Call) -> bool:  # noqa: N802
        self._topic(call)
        del self.topics[call.chat_id][call.params.get("message_thread_id")]
        return True

    async def _api_copyMessage(self: FakeTelegram, call: Call) -> dict:  # noqa: N802
        """Copy an incoming message or one of the bot's; only the new message's id comes back."""
        p = call.params
        source_chat, source_id = p.get("from_chat_id"), p.get("message_id")
        source = self.incoming.get((source_chat, source_id))
        if source is None:
            found = [m for m in self.messages.get(source_chat, []) if m.message_id == source_id and not m.deleted]
            source = found[0].to_api() if found else None
        if source is None or "forum_topic_created" in source:
            raise bad_request("message to copy not found")
        media = {kind: source[kind] for kind in CAPTIONED if kind in source}
        for kind in ("video_note", "sticker"):
            if kind in source:
                media[kind] = source[kind]
        if media:
            caption = p["caption"] if "caption" in p else source.get("caption")
            shown = html_to_plain(caption) if caption and (p.get("parse_mode") or "").upper() == "HTML" else caption
            if shown and len(shown) > 1024:
                raise bad_request("message caption is too long")
            message = self._new_copy(call, caption or "", shown or "", media)
        else:
            message = self._new_copy(call, source.get("text", ""), source.get("text", ""), None)
        return {"message_id": message.message_id}

    def _new_copy(self: FakeTelegram, call: Call, text: str, plain: str, media: dict | None) -> BotMessage:
        chat_id = call.chat_id
        if chat_id in self.blocked:
            raise ApiError(403, "Forbidden: bot was blocked by the user")
        if chat_id in self.missing_chats or not isinstance(chat_id, int):
            raise bad_request("chat not found")
        thread_id = self.check_thread(chat_id, call.params.get("message_thread_id"))
        markup = check_markup(call.params.get("reply_markup"))
        chat = self.chat(chat_id, "private" if chat_id > 0 else "supergroup")
        message = BotMessage(chat=chat, message_id=self._next_message_id(chat_id), text=text, plain=plain,
                             reply_markup=markup, media=media, thread_id=thread_id)
        self.messages.setdefault(chat_id, []).append(message)
        call.message = message
        return message
