"""Balance → Top up with several methods on: the list, Stars' own screen, and the real bot's FEATURES
(the receipt handler takes only receipts: a reply to the promo prompt still reaches promo codes)."""

from __future__ import annotations

from bot.domain import promo
from bot.domain.promo import PromoSpec
from bot.domain.wallet import balance
from bot.money import to_minor
from tests.e2e.harness import BotEnv
from tests.topups.conftest import ALICE, pay_settings


async def test_top_up_lists_every_method_and_stars_keeps_its_presets(make_bot) -> None:
    env = await make_bot(stars="50")
    env.tg.send_text(ALICE, "/balance")
    env.tg.press_button(ALICE, await env.tg.next_message(ALICE), "Top up")
    methods = await env.tg.next_reply(ALICE)
    labels = [label for label, _ in methods.buttons]
    assert labels[:4] == ["⭐ Telegram Stars", "💎 Crypto (USDT, TON, BTC)", "💳 Bank card", "🏦 Bank"]
    env.tg.press_button(ALICE, methods, "Telegram Stars")
    stars = await env.tg.next_reply(ALICE)
    assert "50 ⭐ = 1.00 USD" in stars.plain
    env.tg.press(ALICE, methods, "pay:pick:m9")  # a method that does not exist (forged or turned off)
    answer = await env.tg.wait_for("answerCallbackQuery")
    assert "not available" in answer.params["text"]


async def test_methods_are_listed_in_russian(make_bot) -> None:
    env = await make_bot()
    env.tg.send_text(ALICE, "/topup", language_code="ru")
    screen = await env.tg.next_message(ALICE)
    assert "Выберите способ оплаты" in screen.plain and any("Банковская карта" in t for t, _ in screen.buttons)


async def test_the_real_bot_keeps_prompt_replies_apart(tmp_path) -> None:
    settings = {"payments": pay_settings(None)}
    async with BotEnv(tmp_path, settings=settings) as env:  # the real FEATURES list
        await promo.create(env.db, PromoSpec("SPRING", to_minor("2")), actor=1)
        env.tg.send_text(ALICE, "/balance")
        screen = await env.tg.next_message(ALICE)
        env.tg.press_button(ALICE, screen, "Promo code")
        prompt = await env.tg.next_reply(ALICE)
        update = env.tg.send_text(ALICE, "spring")
        update["message"]["reply_to_message"] = prompt.to_api()
        assert "SPRING added 2.00 USD" in (await env.tg.next_message(ALICE)).plain
        assert await balance(env.db, ALICE) == to_minor("2")



async def test_topup_with_an_amount_but_no_stars_offers_the_methods(make_bot) -> None:
    env = await make_bot()  # Stars off, the others on
    env.tg.send_text(ALICE, "/topup 5")
    screen = await env.tg.next_message(ALICE)
    assert "Choose how you want to pay" in screen.plain and env.tg.calls_of("sendInvoice") == []


async def test_the_bonus_is_its_own_ledger_row_for_stars_and_manual_alike(make_bot) -> None:
    from bot.storage import ledger
    from bot.storage.ledger import LedgerKind
    from tests.e2e.harness import ADMIN_CHAT_ID
    from tests.topups.conftest import ADMIN1

    env = await make_bot(stars="50", crypto=False, topup_bonus="+5% from 50")
    env.tg.send_text(ALICE, "/topup 60")  # 3000 Stars buy 60 USD: bonus 3 USD
    call = await env.tg.wait_for("sendInvoice", lambda c: c.ok, chat_id=ALICE)
    env.tg.pay(ALICE, call.params["payload"], 3000, "ch-bonus")
    notice = await env.tg.next_message(ALICE)
    assert "Bonus: +3.00 USD" in notice.plain and await balance(env.db, ALICE) == to_minor("63")
    rows = await ledger.by_reference(env.db.conn, "stars:ch-bonus")
    assert [(r.kind, r.amount) for r in rows] == [(LedgerKind.TOPUP, 60_000_000), (LedgerKind.TOPUP_BONUS, 3_000_000)]
    # a manual top-up under the threshold gets none
    env.tg.send_text(ALICE, "/topup")
    env.tg.press_button(ALICE, await env.tg.next_message(ALICE), "🏦 Bank")
    prompt = await env.tg.next_message(ALICE)
    env.tg.reply(ALICE, prompt, "10")
    await env.tg.next_message(ALICE)
    env.tg.send_photo(ALICE)
    card = (await env.tg.wait_for("sendMessage", lambda c: "Manual top-up" in (c.text or ""),
                                  chat_id=ADMIN_CHAT_ID)).message
    env.tg.press_button(ADMIN1, card, "Approve")
    await env.tg.settle()
    assert await balance(env.db, ALICE) == to_minor("73")
    # refunding the Stars top-up takes its bonus back too
    env.tg.send_group_text(ADMIN1, "/refund_stars ch-bonus")
    await env.tg.next_message(ADMIN_CHAT_ID)
    assert await balance(env.db, ALICE) == to_minor("10")


async def test_photos_for_support_are_not_taken_for_receipts(tmp_path) -> None:
    from tests.e2e.harness import ADMIN_CHAT_ID

    settings = {"payments": pay_settings(None)}  # manual transfers on
    async with BotEnv(tmp_path, settings=settings, admin_ids={901}) as env:  # the real FEATURES list
        env.tg.send_text(ALICE, "/support")
        prompt = await env.tg.next_message(ALICE)
        mark = len(env.tg.calls)
        env.tg.send_message_update(ALICE, reply_to=prompt, photo=True, caption="screenshot", media_group_id="a1")
        env.tg.send_message_update(ALICE, photo=True, media_group_id="a1")  # the album's second photo
        await env.tg.wait_for("copyMessage", lambda c: c.ok, chat_id=ADMIN_CHAT_ID, since=mark)
        await env.tg.settle()
        assert len(env.tg.calls_of("copyMessage", since=mark, chat_id=ADMIN_CHAT_ID)) == 2
        said = [c.text for c in env.tg.calls_of("sendMessage", since=mark, chat_id=ALICE)]
        assert not any("no transfer waiting" in (text or "") for text in said)
        env.tg.send_message_update(ALICE, photo=True)  # a photo on its own: a receipt, and there is none
        assert "no transfer waiting" in (await env.tg.next_message(ALICE)).plain
