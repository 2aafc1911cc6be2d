"""The menu screens as Telegram would take them: valid HTML, escaped text, buttons within limits, every word translated."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from decimal import Decimal

import pytest

from bot.i18n import Translator
from bot.panel.models import OrderType
from bot.render import menu_views, order_list_views, wallet_views
from bot.render.callbacks import unpack
from bot.storage.ledger import LedgerEntry, LedgerKind
from bot.storage.orders import Order
from bot.storage.refills import Refill
from tests.fakes.telegram_records import check_markup, check_text

NOW = datetime(2026, 5, 1, 12, 0, tzinfo=UTC)
NASTY = "<b>Likes</b> & <script>"
BIG_ID = 10**17  # callback data must still fit 64 bytes


@pytest.fixture(scope="module")
def i18n() -> Translator:
    return Translator.load()


def telegram_shows(screen: menu_views.Screen) -> str:
    """The screen's text as a client shows it; fails where Telegram would refuse the message."""
    if screen.markup is not None:
        check_markup(screen.markup.to_dict())
    return check_text(screen.text, "HTML")


def make_order(**changes) -> Order:
    order = Order(
        id=BIG_ID, user_id=1, client_token="t", panel="main", service_id="1", service_name=NASTY,
        type=OrderType.DEFAULT, can_refill=True, can_cancel=True, link="https://x.com/?a=1&b=<2>", extras={},
        quantity=1000, price=900_000, rate=Decimal("0.9"), rate_per=1000, markup=Decimal(0),
        panel_order_id="55", panel_charge=None, status="pending", status_raw="Pending", remains=None,
        start_count=None, runs_done=None, posts_done=None, refunded=0, fail_kind=None, fail_reason=None,
        cancel_state=None, cancel_message=None, cancel_at=None, last_answer=None, miss_count=0,
        notified_status=None, created_at=NOW, updated_at=NOW,
    )
    return replace(order, **changes)


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_every_status_and_request_state_is_translated(i18n, lang):
    for _, msgid in order_list_views.STATUSES.values():
        assert i18n.has(lang, msgid), msgid
    for msgid in [*order_list_views.REFILL_STATES.values(), *order_list_views.CANCEL_STATES.values(),
                  *wallet_views.KIND_LABELS.values()]:
        assert i18n.has(lang, msgid), msgid
    assert set(wallet_views.KIND_LABELS) == set(LedgerKind)


def test_card_escapes_panel_and_customer_text(i18n):
    tr = i18n.bind("en")
    order = make_order(status="failed", fail_reason="bad <link> & more", cancel_state="refused",
                       cancel_message="no <way>")
    refill = Refill(1, BIG_ID, None, "refused", None, "nope <x>", NOW, NOW)
    shown = telegram_shows(order_list_views.order_card_screen(tr, order, lang="en", currency="USD", page=3,
                                                          latest_refill=refill))
    assert NASTY in shown and "https://x.com/?a=1&b=<2>" in shown
    assert "Reason: the supplier could not take it right now." in shown  # no fail_kind: the generic reason
    assert "bad <link>" not in shown and "no <way>" not in shown and "nope <x>" not in shown  # admins only


def test_card_shows_progress_and_refunds(i18n):
    tr = i18n.bind("en")
    order = make_order(status="partial", start_count=10, remains=500, runs_done=2, extras={"runs": 4},
                       refunded=450_000)
    shown = telegram_shows(order_list_views.order_card_screen(tr, order, lang="en", currency="USD", page=0))
    assert "Start count: 10" in shown and "Remains: 500" in shown
    assert "Drip-feed runs: 2 of 4" in shown and "Refunded to your balance: 0.45 USD" in shown
    sub = make_order(type=OrderType.SUBSCRIPTIONS, link=None, posts_done=3, extras={"posts": 10})
    assert "Posts served: 3 of 10" in telegram_shows(
        order_list_views.order_card_screen(tr, sub, lang="en", currency="USD", page=0))


def test_card_buttons_fit_telegram_and_carry_the_page(i18n):
    tr = i18n.bind("ru")
    screen = order_list_views.order_card_screen(tr, make_order(), lang="ru", currency="USD", page=999,
                                            can_refill=True, can_cancel=True)
    telegram_shows(screen)
    datas = [b.callback_data for row in screen.markup.inline_keyboard for b in row]
    decoded = [unpack(d) for d in datas]
    assert {c.action for c in decoded} >= {"refresh", "refill", "cancel_ask", "list", "home"}
    assert all(c.args[-1] == "999" for c in decoded if c.feature == "myo")


def test_unknown_status_word_is_shown_escaped(i18n):
    assert order_list_views.status_text(i18n.bind("en"), "<odd>") == "• &lt;odd&gt;"


def test_list_labels_and_empty_list(i18n):
    tr = i18n.bind("en")
    orders = [make_order(id=i, status=s) for i, s in ((3, "completed"), (2, "partial"), (1, "canceled"))]
    screen = order_list_views.orders_list_screen(tr, orders, total=3, page=0, pages=1)
    telegram_shows(screen)
    labels = [b.text for row in screen.markup.inline_keyboard for b in row]
    assert labels[:3] == ["✅ #3 · <b>Likes</b> & <script> · 1000", "🌓 #2 · <b>Likes</b> & <script> · 1000",
                          "🚫 #1 · <b>Likes</b> & <script> · 1000"]  # button labels are plain text
    assert "no orders yet" in telegram_shows(order_list_views.orders_list_screen(tr, [], total=0, page=0, pages=1))


def test_balance_lines_are_signed_and_localized(i18n):
    entries = [LedgerEntry(2, 1, -900_000, LedgerKind.ORDER_CHARGE, "order:7", "svc <x>", None, NOW),
               LedgerEntry(1, 1, 2_000_000, LedgerKind.TOPUP, "charge-1", None, None, NOW)]
    en = telegram_shows(wallet_views.balance_screen(i18n.bind("en"), 1_100_000, entries, currency="USD", lang="en"))
    assert "Your balance: 1.10 USD" in en
    assert "May 1, 2026 · −0.90 USD · Payment, order #7" in en and "+2.00 USD · Top-up" in en
    ru = telegram_shows(wallet_views.balance_screen(i18n.bind("ru"), 0, entries, currency="RUB", lang="ru"))
    assert "1 мая 2026" in ru and "−0.90 RUB · Оплата, заказ #7" in ru


def test_welcome_escapes_the_name_and_help_the_contact(i18n):
    tr = i18n.bind("en")
    assert telegram_shows(menu_views.welcome_screen(tr, "<Bob & co>")).startswith("Hi, <Bob & co>!")
    assert "Write to @a<b>" in telegram_shows(menu_views.help_screen(tr, "@a<b>"))
    assert "support" in telegram_shows(menu_views.help_screen(tr, None))


def test_format_day_falls_back_for_unknown_locales():
    assert menu_views.format_day(NOW, "zz-unknown") == "2026-05-01"
    assert menu_views.format_day(None, "en") == "—"
