"""Promo codes end to end: admins make and list them in the group, customers redeem in chat, admins see totals."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from bot.domain import promo
from bot.domain.promo import PromoSpec
from bot.money import to_minor
from bot.storage import ledger
from bot.storage.ledger import LedgerKind
from tests.admin.helpers import Ops
from tests.chat_menu.conftest import Chat
from tests.growth.conftest import REFERRER

ADMIN = 1


async def test_admin_makes_lists_and_switches_off_codes(bot):
    ops = Ops(bot, ADMIN)
    made = await ops.say("/promo add welcome 2.5 3 2099-12-31")
    assert "Promo code WELCOME made: 2.50 USD per customer · 0 of 3 used · last day 2099-12-31" in made.plain
    assert "exists already" in (await ops.say("/promo add WELCOME 1")).plain
    assert "positive number" in (await ops.say("/promo add OTHER zero")).plain
    assert "already over" in (await ops.say("/promo add OTHER 1 2001-01-01")).plain
    assert "Usage:" in (await ops.say("/promo add OTHER")).plain
    assert "Usage:" in (await ops.say("/promo")).plain
    await ops.say("/promo add FREE 1")
    listing = await ops.say("/promo list")
    assert listing.plain.index("FREE") < listing.plain.index("WELCOME")  # newest first
    assert "1.00 USD · 0 used, no limit · never expires" in listing.plain
    assert "off" in (await ops.say("/promo off free")).plain
    assert "is off already" in (await ops.say("/promo off FREE")).plain
    assert "There is no promo code NOPE" in (await ops.say("/promo off NOPE")).plain
    assert "⚪ off FREE" in (await ops.say("/promo list")).plain
    actions = [row[0] for row in await bot.db.fetchall("SELECT action FROM audit_log WHERE action = 'promo'")]
    assert len(actions) == 12  # the guard audits every call, refused ones too


async def test_customer_redeems_once_by_command_and_by_the_balance_button(bot):
    await promo.create(bot.db, PromoSpec("WELCOME", to_minor("1.5")), actor=ADMIN)
    await promo.create(bot.db, PromoSpec("SPRING", to_minor("2")), actor=ADMIN)
    ann = Chat(bot, 42)
    await ann.send("/start")
    done = await ann.send("/promo welcome")
    assert "Promo code WELCOME added 1.50 USD to your balance" in done.plain and "Your balance: 1.50 USD" in done.plain
    assert "already redeemed the promo code WELCOME" in (await ann.send("/promo WELCOME")).plain

    balance = await ann.send("/balance")
    prompt = await ann.press(balance, "Promo code")
    assert "Send me your promo code" in prompt.plain
    update = bot.tg.send_text(42, "spring")
    update["message"]["reply_to_message"] = prompt.to_api()
    answer = await bot.tg.next_message(42)
    assert "Promo code SPRING added 2.00 USD" in answer.plain
    assert await ann.balance() == to_minor("3.5")
    rows = [e for e in await ledger.history(bot.db.conn, 42) if e.kind is LedgerKind.PROMO]
    assert sorted(e.reference for e in rows) == ["promo:SPRING", "promo:WELCOME"]

    listing = await ann.send("/balance")
    assert "Promo code" in listing.plain  # the ledger kind, in the latest changes


async def test_wrong_expired_off_and_used_up_codes_get_their_own_answer(bot):
    yesterday = datetime.now(UTC).date() - timedelta(days=1)
    await promo.create(bot.db, PromoSpec("OLD", 100, None, yesterday), actor=ADMIN)
    await promo.create(bot.db, PromoSpec("ONCE", 100, 1), actor=ADMIN)
    await promo.create(bot.db, PromoSpec("GONE", 100), actor=ADMIN)
    await promo.deactivate(bot.db, "GONE")
    ann, ben = Chat(bot, 42), Chat(bot, 43, lang="ru")
    assert "There is no promo code NOPE" in (await ann.send("/promo nope")).plain
    assert "no promo code <b>x</b>." in (await ann.send("/promo <b>x</b>")).plain  # escaped: shown as typed
    assert "has expired" in (await ann.send("/promo OLD")).plain
    assert "no longer active" in (await ann.send("/promo GONE")).plain
    assert "added" in (await ann.send("/promo ONCE")).plain
    assert "Промокод ONCE уже использован полностью" in (await ben.send("/promo once")).plain
    assert await ben.balance() == 0


async def test_failed_attempts_are_limited(bot):
    await promo.create(bot.db, PromoSpec("REAL", 100), actor=ADMIN)
    ann = Chat(bot, 42)
    for guess in range(promo.MAX_FAILED_ATTEMPTS):
        assert "There is no promo code" in (await ann.send(f"/promo GUESS{guess}")).plain
    assert "Too many wrong promo codes. Please try again in 60 min." in (await ann.send("/promo REAL")).plain
    assert await ann.balance() == 0


async def test_max_uses_holds_when_twenty_customers_redeem_at_once(bot):
    await promo.create(bot.db, PromoSpec("RUSH", to_minor("1"), 5), actor=ADMIN)
    customers = [Chat(bot, 1000 + i) for i in range(20)]
    answers = await asyncio.gather(*(chat.send("/promo RUSH") for chat in customers))
    assert sum("added" in a.plain for a in answers) == 5
    assert sum("used up" in a.plain for a in answers) == 15
    balances = [await chat.balance() for chat in customers]
    assert sorted(balances) == [0] * 15 + [to_minor("1")] * 5


async def test_admins_see_growth_figures_in_stats_and_user(bot):
    ann, ben = Chat(bot, REFERRER, lang="en"), Chat(bot, 200)
    await ann.send("/start", username="ann")
    screen = await ann.send("/referrals")
    payload = screen.plain.split("?start=")[1].split()[0]
    await ben.send(f"/start {payload}", username="ben")
    await promo.create(bot.db, PromoSpec("GIFT", to_minor("1")), actor=ADMIN)
    await ben.send("/promo GIFT")
    await ben.fund("1")
    order_id = await ben.place("1", quantity=1000)  # 0.90
    bot.panel.complete((await ben.order(order_id)).panel_order_id)
    listing = await ben.send("/orders")
    await ben.press(await ben.press(listing, f"#{order_id} "), "Refresh")

    ops = Ops(bot, ADMIN)
    stats = await ops.say("/stats all")
    assert "Referrals: 1 customers brought in all · 1 in this period · 0.09 USD commission on 1 orders" in stats.plain
    assert "Promo codes: 1 redeemed · 1.00 USD credited" in stats.plain
    referred = await ops.say("/user @ben")
    assert f"Brought by: {REFERRER} (@ann)" in referred.plain and "Promo codes: 1 redeemed · 1.00 USD" in referred.plain
    referrer = await ops.say("/user @ann")
    assert "Brought by: nobody" in referrer.plain and "Brought 1 customers · commission earned: 0.09 USD" in referrer.plain


async def test_only_admins_in_the_group_reach_promo_admin(bot):
    stranger = Ops(bot, 3)
    stranger.tg.send_group_text(3, "/promo add FREE 100")
    await bot.tg.settle()
    assert await promo.list_codes(bot.db) == []
    ann = Chat(bot, ADMIN)  # an admin in a private chat is a customer there
    assert "There is no promo code add FREE 100." in (await ann.send("/promo add FREE 100")).plain
    assert await promo.list_codes(bot.db) == []
