"""Bot API methods of FakeTelegram for the operator tools: chat members, the webhook's info,
the bot's descriptions. State (set by tests):

    tg.members[(chat_id, user_id)] = "left"        # getChatMember status; default: the bot is an
                                                   # "administrator" of every group, anyone else a "member"
    tg.webhook_info = {"url": "...", "last_error_message": "..."}   # what getWebhookInfo answers
    tg.descriptions[("description", "ru")]         # set/getMyDescription, set/getMyShortDescription
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tests.fakes.telegram_records import BOT_ID, BOT_USER, Call, bad_request

if TYPE_CHECKING:
    from tests.fakes.telegram_server import FakeTelegram

ADMIN_RIGHTS = {"can_be_edited": False, "is_anonymous": False, "can_manage_chat": True, "can_delete_messages": True,
                "can_manage_video_chats": True, "can_restrict_members": True, "can_promote_members": False,
                "can_change_info": True, "can_invite_users": True, "can_post_stories": False,
                "can_edit_stories": False, "can_delete_stories": False, "can_pin_messages": True,
                "can_manage_topics": True}

RESTRICTED_RIGHTS = ("can_send_messages", "can_send_audios", "can_send_documents", "can_send_photos",
                     "can_send_videos", "can_send_video_notes", "can_send_voice_notes", "can_send_polls",
                     "can_send_other_messages", "can_add_web_page_previews", "can_change_info", "can_invite_users",
                     "can_pin_messages", "can_manage_topics", "can_edit_tag", "can_react_to_messages")


class OpsMethodsMixin:
    """getChatMember, getWebhookInfo, get/setMyDescription, get/setMyShortDescription (getChat: telegram_forum.py)."""

    def _ops_state(self: FakeTelegram) -> None:
        self.members: dict[tuple[int, int], str] = {}
        self.webhook_info: dict = {"url": "", "has_custom_certificate": False, "pending_update_count": 0}
        self.descriptions: dict[tuple[str, str | None], str] = {}

    def _group(self: FakeTelegram, call: Call) -> dict:
        chat_id = call.params.get("chat_id")
        chat_id = int(chat_id) if isinstance(chat_id, str) and chat_id.lstrip("-").isdigit() else chat_id
        if not isinstance(chat_id, int) or chat_id in self.missing_chats \
                or self.members.get((chat_id, BOT_ID)) in ("left", "kicked"):
            raise bad_request("chat not found")
        return self.chat(chat_id, "private" if chat_id > 0 else "supergroup")

    async def _api_getChatMember(self: FakeTelegram, call: Call) -> dict:  # noqa: N802
        """Groups answer from `members` (the bot an administrator by default); channels from `chat_members`."""
        asked = call.params.get("chat_id")
        if (isinstance(asked, str) and asked.startswith("@")) or asked in self.members_hidden \
                or any(chat == asked for chat, _ in self.chat_members):
            return self._channel_member(call)
        chat = self._group(call)
        user_id = int(call.params.get("user_id"))
        status = self.members.get((chat["id"], user_id), "administrator" if user_id == BOT_ID else "member")
        user = BOT_USER if user_id == BOT_ID else {"id": user_id, "is_bot": False, "first_name": f"User {user_id}"}
        member = {"status": status, "user": user}
        if status == "administrator":
            member.update(ADMIN_RIGHTS)
        elif status == "kicked":
            member["until_date"] = 0
        elif status == "restricted":  # may do nothing at all
            member.update({right: False for right in RESTRICTED_RIGHTS}, is_member=True, until_date=0)
        return member

    async def _api_getWebhookInfo(self: FakeTelegram, call: Call) -> dict:  # noqa: N802
        return dict(self.webhook_info)

    async def _api_setMyDescription(self: FakeTelegram, call: Call) -> bool:  # noqa: N802
        return self._set_description("description", call)

    async def _api_setMyShortDescription(self: FakeTelegram, call: Call) -> bool:  # noqa: N802
        return self._set_description("short_description", call)

    async def _api_getMyDescription(self: FakeTelegram, call: Call) -> dict:  # noqa: N802
        return {"description": self.descriptions.get(("description", call.params.get("language_code") or None), "")}

    async def _api_getMyShortDescription(self: FakeTelegram, call: Call) -> dict:  # noqa: N802
        key = ("short_description", call.params.get("language_code") or None)
        return {"short_description": self.descriptions.get(key, "")}

    def _set_description(self: FakeTelegram, kind: str, call: Call) -> bool:
        text = call.params.get(kind) or ""
        if len(text) > (512 if kind == "description" else 120):
            raise bad_request(f"{kind.upper()}_TOO_LONG")
        self.descriptions[(kind, call.params.get("language_code") or None)] = text
        return True
