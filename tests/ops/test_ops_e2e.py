"""The operator tools in the running bot: the first New order after a fresh start lists the services,
/setup and /id, the bot's descriptions, a refused panel key retried until it answers, an empty catalogue."""

from __future__ import annotations

import asyncio

import pytest

from bot.ops import catalogue_load, watch
from tests.e2e.harness import ADMIN_CHAT_ID, BotEnv

ADMIN = 9300
CUSTOMER = 9400


async def admin_post(env: BotEnv, words: str, timeout: float = 10) -> str:  # noqa: ASYNC109
    call = await env.tg.wait_for("sendMessage", lambda c: words in (c.text or ""), chat_id=ADMIN_CHAT_ID,
                                 since=0, timeout=timeout)
    return call.text


async def test_the_first_new_order_after_a_fresh_start_lists_the_services(tmp_path) -> None:
    env = BotEnv(tmp_path, admin_ids={ADMIN})
    env.panel.hang_seconds = 1.0
    env.panel.inject("services", "hang")  # the first catalogue takes a second to arrive
    async with env:
        env.tg.send_text(CUSTOMER, "/order")
        note = await env.tg.next_message(CUSTOMER, timeout=10)
        assert "Loading the catalogue" in note.plain
        screen = await env.tg.wait_for("sendMessage", lambda c: "Choose a platform" in (c.text or ""),
                                       chat_id=CUSTOMER, timeout=10)
        assert "Instagram" in str(screen.message.buttons)
        assert not any("no services" in m.plain for m in env.tg.messages_to(CUSTOMER))


async def test_a_restart_with_a_stored_catalogue_does_not_wait(tmp_path) -> None:
    env = BotEnv(tmp_path, admin_ids={ADMIN})
    async with env:
        await asyncio.wait_for(catalogue_load.loader(env.app).done.wait(), 10)
        await env.restart()
        assert not catalogue_load.loader(env.app).loading
        env.tg.send_text(CUSTOMER, "/order")
        reply = await env.tg.next_message(CUSTOMER)
        assert "Choose a platform" in reply.plain


async def test_setup_in_the_admin_group_lists_the_checks_and_id_answers_in_any_group(tmp_path) -> None:
    async with BotEnv(tmp_path, admin_ids={ADMIN}) as env:
        env.tg.send_group_text(ADMIN, "/setup")
        text = await admin_post(env, "Set-up check")
        for area in ("✓ settings", "✓ token: @smm_test_bot", "✓ admin group", "✓ ADMIN_IDS", "✓ panel main",
                     "✓ database", "✗ payments: no payment method", "✓ webhook"):
            assert area in text, text
        assert "Everything needed is in place" in text
        env.tg.send_group_text(CUSTOMER, "/id", chat_id=-100777)
        answer = await env.tg.wait_for("sendMessage", chat_id=-100777)
        assert "-100777" in answer.text and str(CUSTOMER) in answer.text
        env.tg.send_group_text(CUSTOMER, "/setup")  # not an admin: nothing
        await env.tg.settle()
        assert not env.tg.calls_of("sendMessage", since=env.tg._mark, chat_id=ADMIN_CHAT_ID)


async def test_setup_tells_what_to_fix(tmp_path) -> None:
    async with BotEnv(tmp_path, admin_ids={ADMIN, 9999}) as env:
        env.tg.members[(ADMIN_CHAT_ID, 9999)] = "left"
        env.tg.send_group_text(ADMIN, "/setup")
        text = await admin_post(env, "Set-up check")
        assert "✗ ADMIN_IDS: not in the admin group: 9999 → add them to the group" in text
        assert "Fix the ✗ lines" in text


async def test_the_bot_descriptions_are_set_per_language_unless_the_operator_wrote_their_own(tmp_path) -> None:
    env = BotEnv(tmp_path)
    await env.tg.start()
    env.tg.descriptions[("description", "ru")] = "Мой собственный магазин"
    try:
        await env.start()
        await env.tg.wait_for("setMyShortDescription", lambda c: c.params.get("language_code") == "ru",
                              since=0, timeout=10)  # the last one written
        assert env.tg.descriptions[("description", None)].startswith("Buy followers")
        assert env.tg.descriptions[("description", "en")].startswith("Buy followers")
        assert env.tg.descriptions[("description", "ru")] == "Мой собственный магазин"
        assert env.tg.descriptions[("short_description", "ru")].startswith("Подписчики")
        before, mark = len(env.tg.calls_of("setMyDescription")), len(env.tg.calls)
        await env.restart()  # the profile is looked at before the bot takes updates
        assert env.tg.calls_of("getMyShortDescription", since=mark)
        assert len(env.tg.calls_of("setMyDescription")) == before  # already ours: nothing rewritten
    finally:
        await env.stop()


async def test_a_refused_panel_key_is_told_and_retried_until_the_panel_answers(tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(watch, "PANEL_RETRY_DELAYS", (0.3,))
    env = BotEnv(tmp_path, admin_ids={ADMIN},
                 setup=lambda app: setattr(env.panel, "key", "the-panel-changed-its-key"))  # after settings
    right_key = env.panel.key
    async with env:
        assert "refused its key" in await admin_post(env, "Panel <b>main</b>")
        env.tg.send_text(CUSTOMER, "/order")
        env.panel.key = right_key
        assert "answers now" in await admin_post(env, "answers now")
        await env.tg.wait_for("sendMessage", lambda c: "Choose a platform" in (c.text or "")
                              or "no services" in (c.text or ""), chat_id=CUSTOMER, since=0, timeout=10)
        for _ in range(200):  # its catalogue is fetched once it answers
            rows = await env.db.fetchall("SELECT COUNT(*) FROM services WHERE panel = 'main'")
            if rows[0][0]:
                break
            await asyncio.sleep(0.05)
        assert rows[0][0] == 18


@pytest.mark.parametrize("dialect", ["folgen"])
async def test_an_empty_catalogue_is_reported_to_the_admins(tmp_path, dialect) -> None:
    env = BotEnv(tmp_path, admin_ids={ADMIN}, panels={"main": dialect})
    env.panel.services.clear()
    async with env:
        assert "empty catalogue" in await admin_post(env, "empty catalogue")


async def test_a_catalogue_found_empty_later_is_reported_once(tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(catalogue_load, "EMPTY_WATCH_SECONDS", 0.2)
    async with BotEnv(tmp_path, admin_ids={ADMIN}) as env:
        await env.load_catalogue()
        saved = list(env.panel.services)
        env.panel.services.clear()
        env.tg.send_group_text(ADMIN, "/sync")  # any refresh: this one, or the hourly one
        assert "empty catalogue" in await admin_post(env, "empty catalogue")
        await asyncio.sleep(0.6)  # the watch runs again: no second post
        env.tg.send_group_text(ADMIN, "/sync")
        await env.tg.wait_for("sendMessage", lambda c: "Catalogue refreshed" in (c.text or ""),
                              chat_id=ADMIN_CHAT_ID, timeout=10)
        await asyncio.sleep(0.6)
        posts = [c for c in env.tg.calls_of("sendMessage", chat_id=ADMIN_CHAT_ID) if "empty catalogue" in c.text]
        assert len(posts) == 1
        env.panel.services[:] = saved  # back, then empty again: reported again
        env.tg.send_group_text(ADMIN, "/sync")
        await env.tg.wait_for("sendMessage", lambda c: "18 services" in (c.text or ""), chat_id=ADMIN_CHAT_ID,
                              timeout=10)
        await asyncio.sleep(0.6)
        env.panel.services.clear()
        env.tg.send_group_text(ADMIN, "/sync")
        for _ in range(100):
            posts = [c for c in env.tg.calls_of("sendMessage", chat_id=ADMIN_CHAT_ID) if "empty catalogue" in c.text]
            if len(posts) == 2:
                break
            await asyncio.sleep(0.05)
        assert len(posts) == 2


async def test_a_forwarded_id_gets_no_answer(tmp_path) -> None:
    async with BotEnv(tmp_path, admin_ids={ADMIN}) as env:
        update = env.tg.send_group_text(CUSTOMER, "/id", chat_id=-100888)
        update["message"]["forward_origin"] = {"type": "user", "date": update["message"]["date"] - 60,
                                               "sender_user": {"id": 1, "is_bot": False, "first_name": "A"}}
        await env.tg.settle()
        assert not env.tg.calls_of("sendMessage", chat_id=-100888)
