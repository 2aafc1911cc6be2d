"""Each Application built from FEATURES gets its own plug lists and the settings' conversation timeout."""

from __future__ import annotations

from telegram.ext import Application, ConversationHandler

from bot.app import build_application
from bot.config import load_settings
from bot.handlers import balance, my_orders, promo, referrals, start, topup
from bot.handlers.admin import promo as admin_promo
from bot.handlers.admin import stars as admin_stars
from bot.handlers.admin import stats, users
from bot.handlers.order_flow import CONVERSATION_NAME
from bot.handlers.support import admin as support_admin
from bot.handlers.support import customer as support_customer
from bot.handlers.topup_methods import admin as topup_admin
from bot.ops import operators as ops_feature


def build(tmp_path, timeout: int) -> Application:
    """The real bot's Application (not started: nothing is contacted)."""
    settings = load_settings(
        telegram={"bot_token": "123456:test-token-not-used-anywhere", "conversation_timeout_seconds": timeout},
        panels={"panels": [{"name": "main", "url": "http://127.0.0.1:9/api/v2", "key": "key-main-0123456789"}],
                "panel_url": None, "panel_key": None},
        storage={"database_path": tmp_path / f"bot-{timeout}.db"},
    )
    return build_application(settings)


def test_two_applications_in_one_process_do_not_share_hooks(tmp_path) -> None:
    first, second = build(tmp_path, 120), build(tmp_path, 300)
    for app in (first, second):  # each registered once, in FEATURES order, into its own lists
        assert start.first_contact_hooks(app) == [referrals.on_first_contact]
        assert balance.balance_extra_buttons(app) == [topup.top_up_button, promo.promo_button,
                                                      referrals.referrals_button]
        assert stats.stats_sections(app) == [topup_admin.stats_section, support_admin.stats_section,
                                             admin_promo.stats_section, ops_feature.stats_lines]
        assert start.help_extra_buttons(app) == [support_customer.help_button]
        assert my_orders.card_extra_buttons(app) == [support_customer.order_button]
        assert users.user_sections(app) == [topup_admin.user_section, support_admin.user_section,
                                            admin_stars.stars_section,
                                            admin_promo.user_section]
    balance.balance_extra_buttons(first).clear()
    assert len(balance.balance_extra_buttons(second)) == 3


def test_the_order_conversation_times_out_after_the_setting(tmp_path) -> None:
    for timeout in (120, 300):
        app = build(tmp_path, timeout)
        [conversation] = [h for hs in app.handlers.values() for h in hs
                          if isinstance(h, ConversationHandler) and h.name == CONVERSATION_NAME]
        assert conversation.conversation_timeout == timeout
