"""What the fake Bot API records (calls, the bot's messages) and the checks real Telegram makes.

Used by tests/fakes/telegram_server.py; tests meet these types through FakeTelegram.
"""

from __future__ import annotations

import html
import re
import time
from dataclasses import dataclass, field
from typing import Any

BOT_ID = 7000001
BOT_USERNAME = "smm_test_bot"
BOT_USER = {"id": BOT_ID, "is_bot": True, "first_name": "SMM Test Bot", "username": BOT_USERNAME,
            "can_join_groups": True, "can_read_all_group_messages": False, "supports_inline_queries": False}

MAX_TEXT = 4096
MAX_CALLBACK_DATA = 64
MAX_BUTTONS = 100
ALLOWED_TAGS = {"b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "a", "code", "pre",
                "tg-spoiler", "span", "blockquote", "tg-emoji"}
_TAG = re.compile(
    r"<(/?)([a-zA-Z][a-zA-Z0-9-]*)((?:\s+[a-zA-Z-]+(?:\s*=\s*(?:\"[^\"]*\"|'[^']*'|[^\s>]+))?)*)\s*>"
)
_ENTITY = re.compile(r"&(lt|gt|amp|quot|#\d+|#x[0-9a-fA-F]+);")


class ApiError(Exception):
    """An error answer of the Bot API: HTTP status, description, optional retry_after."""

    def __init__(self, status: int, description: str, retry_after: int | None = None) -> None:
        super().__init__(description)
        self.status, self.description, self.retry_after = status, description, retry_after

    def body(self) -> dict[str, Any]:
        body: dict[str, Any] = {"ok": False, "error_code": self.status, "description": self.description}
        if self.retry_after is not None:
            body["parameters"] = {"retry_after": self.retry_after}
        return body


def bad_request(reason: str) -> ApiError:
    return ApiError(400, f"Bad Request: {reason}")


def html_to_plain(text: str) -> str:
    """What a client shows for an HTML-mode text; ApiError where Telegram refuses to parse it."""
    out: list[str] = []
    open_tags: list[str] = []
    i = 0
    while i < len(text):
        char = text[i]
        if char == "<":
            match = _TAG.match(text, i)
            if not match:
                raise bad_request(f"can't parse entities: unexpected '<' at byte offset {i}")
            closing, name = match.group(1), match.group(2).lower()
            if name not in ALLOWED_TAGS:
                raise bad_request(f'can\'t parse entities: Unsupported start tag "{name}" at byte offset {i}')
            if not closing:
                open_tags.append(name)
            elif not open_tags or open_tags[-1] != name:
                raise bad_request(f"can't parse entities: Unmatched end tag at byte offset {i}: </{name}>")
            else:
                open_tags.pop()
            i = match.end()
        elif char == "&":
            match = _ENTITY.match(text, i)
            if not match:
                raise bad_request(f"can't parse entities: stray '&' (not an entity) at byte offset {i}")
            out.append(html.unescape(match.group(0)))
            i = match.end()
        elif char == ">":
            raise bad_request(f"can't parse entities: unexpected '>' at byte offset {i}")
        else:
            out.append(char)
            i += 1
    if open_tags:
        raise bad_request(f'can\'t parse entities: Can\'t find end tag corresponding to start tag "{open_tags[-1]}"')
    return "".join(out)


def check_text(text: Any, parse_mode: str | None) -> str:
    """The displayed text of a message text parameter, validated like Telegram does."""
    if not isinstance(text, str) or not text.strip():
        raise bad_request("message text is empty")
    plain = html_to_plain(text) if (parse_mode or "").upper() == "HTML" else text
    if len(plain) > MAX_TEXT:
        raise bad_request("message is too long")
    if not plain.strip():
        raise bad_request("message text is empty")
    return plain


def check_markup(markup: Any) -> dict | None:
    """reply_markup as a dict, refused where Telegram refuses it (button data, counts)."""
    if markup in (None, ""):
        return None
    if not isinstance(markup, dict):
        raise bad_request("can't parse reply keyboard markup JSON object")
    rows = markup.get("inline_keyboard")
    if rows is None:
        return markup  # reply keyboards, remove/force-reply: nothing to check here
    buttons = [button for row in rows for button in row]
    if len(buttons) > MAX_BUTTONS:
        raise bad_request("reply markup is too long")
    for button in buttons:
        if not button.get("text"):
            raise bad_request("can't parse inline keyboard button: text is empty")
        data = button.get("callback_data")
        if data is not None and not 1 <= len(str(data).encode()) <= MAX_CALLBACK_DATA:
            raise bad_request("BUTTON_DATA_INVALID")
        if not any(k in button for k in ("callback_data", "url", "pay", "switch_inline_query",
                                         "web_app", "login_url", "copy_text", "callback_game",
                                         "switch_inline_query_current_chat")):
            raise bad_request("can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard")
    return markup


@dataclass
class Call:
    """One request the bot made: method, decoded params, monotonic time, outcome."""

    index: int
    method: str
    params: dict[str, Any]
    at: float = field(default_factory=time.monotonic)
    ok: bool = True
    error: str | None = None
    message: BotMessage | None = None  # the message a send/edit produced

    @property
    def chat_id(self) -> Any:
        return self.params.get("chat_id")

    @property
    def text(self) -> str | None:
        return self.params.get("text")


@dataclass
class BotMessage:
    """A message the bot sent, as it stands now (edits update it in place)."""

    chat: dict[str, Any]
    message_id: int
    text: str  # as sent (HTML)
    plain: str  # as a client displays it
    reply_markup: dict | None = None
    invoice: dict | None = None
    media: dict | None = None  # copied photo/document/...: {"photo": [...]}; `text` is then the caption
    thread_id: int | None = None  # the forum topic it was sent in
    document: dict | None = None  # sendDocument: {"file_name", "content" (bytes)}
    photo: bytes | None = None  # sendPhoto: the uploaded file's bytes (text holds the caption)
    deleted: bool = False
    edits: int = 0
    date: int = field(default_factory=lambda: int(time.time()))

    @property
    def chat_id(self) -> int:
        return self.chat["id"]

    @property
    def buttons(self) -> list[tuple[str, str | None]]:
        """(text, callback_data) of every button, row by row (reply-keyboard buttons have no data)."""
        if not self.reply_markup:
            return []
        rows = self.reply_markup.get("inline_keyboard") or self.reply_markup.get("keyboard") or []
        found = []
        for row in rows:
            for button in row:
                if isinstance(button, str):
                    found.append((button, None))
                else:
                    found.append((button.get("text", ""), button.get("callback_data")))
        return found

    def to_api(self) -> dict[str, Any]:
        """The Message object Telegram would return / put in a callback query."""
        data: dict[str, Any] = {"message_id": self.message_id, "date": self.date, "chat": self.chat,
                                "from": BOT_USER}
        if self.invoice is not None:
            data["invoice"] = self.invoice
        elif self.media is not None or self.photo is not None:
            if self.media is not None:
                data.update(self.media)
            else:
                data["photo"] = [{"file_id": f"photo-{self.message_id}", "file_unique_id": f"p{self.message_id}",
                                  "width": 1, "height": 1, "file_size": len(self.photo)}]
            if self.plain:
                data["caption"] = self.plain
        elif self.document is not None:
            data["document"] = {"file_id": f"doc{self.message_id}", "file_unique_id": f"u{self.message_id}",
                                "file_name": self.document["file_name"]}
            data["caption"] = self.plain
        else:
            data["text"] = self.plain
        if self.thread_id is not None:
            data["message_thread_id"], data["is_topic_message"] = self.thread_id, True
        if self.reply_markup and "inline_keyboard" in self.reply_markup:
            data["reply_markup"] = self.reply_markup
        if self.edits:
            data["edit_date"] = int(time.time())
        return data
