"""Fixtures of the support desk tests: the real bot (every feature), a forum admin group or a plain one,
and the `db` of the domain tests on both databases."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from typing import Any

import pytest

from tests import dbs
from tests.conftest import StartedEnvs
from tests.e2e.harness import ADMIN_CHAT_ID, BotEnv
from tests.fakes.telegram_records import BotMessage, Call

# the `db` fixture (and its target) over both databases: SQLite and PostgreSQL (tests/dbs.py)
db, db_target = dbs.db, dbs.db_target

ADMIN = 1  # in ADMIN_IDS
STRANGER = 3  # a member of the admin group, not an admin
ALICE, BOB = 42, 43


class Desk:
    """Both sides of the support desk over the fake Bot API."""

    def __init__(self, env: BotEnv) -> None:
        self.env = env

    @property
    def tg(self):
        return self.env.tg

    async def start(self, user_id: int, *, lang: str = "en", name: str | None = None) -> None:
        """The customer's /start (recorded with their language)."""
        self.tg.user(user_id, first_name=name)
        self.tg.send_text(user_id, "/start", language_code=lang, username=f"user{user_id}")
        await self.tg.next_message(user_id)

    async def prompt(self, user_id: int, *, lang: str = "en") -> BotMessage:
        """/support: the ForceReply prompt."""
        self.tg.send_text(user_id, "/support", language_code=lang)
        message = await self.tg.next_message(user_id)
        assert message.reply_markup and message.reply_markup.get("force_reply"), message.plain
        return message

    async def write(self, user_id: int, reply_to: BotMessage, *, lang: str = "en", **content: Any) -> Call:
        """The customer replies to a support message; the copy of it in the admin group."""
        mark = len(self.tg.calls)
        self.tg.send_message_update(user_id, reply_to=reply_to, language_code=lang, **content)
        return await self.tg.wait_for("copyMessage", lambda c: c.ok and c.params.get("from_chat_id") == user_id,
                                      chat_id=ADMIN_CHAT_ID, since=mark)

    async def ack(self, user_id: int) -> BotMessage:
        """The acknowledgement the customer got for what they just wrote."""
        return (await self.tg.wait_for("sendMessage", lambda c: c.ok and ("ticket #" in c.message.plain
                                                                  or "обращение #" in c.message.plain),
                                       chat_id=user_id)).message

    def admin_writes(self, user_id: int, *, thread_id: int | None = None, **content: Any) -> int:
        """Someone writes in the admin group (in a topic when thread_id is given); the call mark."""
        mark = len(self.tg.calls)
        self.tg.send_message_update(user_id, chat_id=ADMIN_CHAT_ID, thread_id=thread_id, **content)
        return mark

    async def received(self, user_id: int, mark: int, *, timeout: float = 5.0) -> Call:  # noqa: ASYNC109
        """The next message (sent or copied) to a customer after `mark`."""
        return await self.tg.wait_for(("sendMessage", "copyMessage"), lambda c: c.ok, chat_id=user_id, since=mark,
                                      timeout=timeout)

    async def quiet(self, seconds: float = 0.3) -> None:
        await self.tg.settle(quiet=seconds)


async def eventually(check: Callable[[], Any], timeout: float = 5.0) -> None:  # noqa: ASYNC109
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError("condition not reached")
        await asyncio.sleep(0.01)


@pytest.fixture
def make_desk(started_envs: StartedEnvs) -> Callable[..., Awaitable[Desk]]:
    """make_desk(forum=True, **BotEnv options) -> a started Desk; ADMIN_IDS {1, 2}."""

    async def factory(*, forum: bool = True, **options: Any) -> Desk:
        options.setdefault("admin_ids", {ADMIN, 2})
        env = BotEnv(started_envs.folder(), **options)
        if forum:
            env.tg.forums.add(ADMIN_CHAT_ID)
        return Desk(await started_envs.start(env))

    return factory


@pytest.fixture
async def desk(make_desk) -> Desk:
    """The real bot with a forum admin group."""
    return await make_desk()
