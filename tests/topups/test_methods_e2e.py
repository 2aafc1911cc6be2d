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
