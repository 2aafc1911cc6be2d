"""Texts and keyboards of the referral program and promo codes, for customers and the admin group.

Button data (bot/render/callbacks.py):
    ref:show       the Referrals screen (from the Balance screen, or /referrals)
    promo:ask      the promo code prompt (from the Balance screen)
Texts come from locales/*/growth.po; whatever a customer typed is escaped here, nowhere else.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from urllib.parse import urlencode

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.domain.promo import MAX_USES_LIMIT, Outcome, Redemption
from bot.domain.referrals import CustomerReferrals, ProgramTotals, ReferralSummary
from bot.money import format_money
from bot.render.callbacks import pack
from bot.render.keyboards import build_keyboard, button
from bot.render.menu_views import BALANCE_DATA, Screen, Tr, esc, format_day, home_row
from bot.storage.promo import PromoCode

REFERRALS_FEATURE = "ref"
PROMO_FEATURE = "promo"
REFERRALS_DATA = pack(REFERRALS_FEATURE, "show")
PROMO_ASK_DATA = pack(PROMO_FEATURE, "ask")
SHARE_URL = "https://t.me/share/url"
LISTED_CODES = 30

_OUTCOME_TEXTS = {
    Outcome.UNKNOWN: "growth.promo_unknown",
    Outcome.INACTIVE: "growth.promo_inactive",
    Outcome.EXPIRED: "growth.promo_expired",
    Outcome.USED_UP: "growth.promo_used_up",
    Outcome.ALREADY_REDEEMED: "growth.promo_already",
}
_SPEC_ERRORS = {
    "code": "growth.admin_bad_code",
    "amount": "growth.admin_bad_amount",
    "max_uses": "growth.admin_bad_max_uses",
    "expires": "growth.admin_bad_expires",
    "expires_past": "growth.admin_expires_past",
}


def percent_text(percent: Decimal) -> str:
    """12.5 -> '12.5', 10.00 -> '10' (no exponent, no trailing zeros)."""
    return format(Decimal(percent).normalize(), "f")


# --- customers -------------------------------------------------------------------------------------

def referrals_button(tr: Tr) -> InlineKeyboardButton:
    """The Balance screen's way to the Referrals screen."""
    return button(tr("growth.button_referrals"), REFERRALS_DATA)


def promo_button(tr: Tr) -> InlineKeyboardButton:
    """The Balance screen's Promo code button."""
    return button(tr("growth.button_promo"), PROMO_ASK_DATA)


def share_url(link: str, text: str) -> str:
    """Telegram's share dialog with the link and a line of text filled in."""
    return f"{SHARE_URL}?{urlencode({'url': link, 'text': text})}"


def _back_rows(tr: Tr) -> list[list[InlineKeyboardButton]]:
    return [[button(tr("growth.button_balance"), BALANCE_DATA), *home_row(tr)]]


def back_markup(tr: Tr) -> InlineKeyboardMarkup:
    """« Balance and the main menu, under an answer."""
    return build_keyboard(_back_rows(tr))


def referrals_screen(tr: Tr, found: ReferralSummary, link: str, percent: Decimal, *, currency: str,
                     lang: str) -> Screen:
    """The customer's link (with a share button), friends invited, commission earned, latest commissions."""
    lines = [
        tr("growth.referrals_title"),
        tr("growth.referrals_terms", percent=percent_text(percent)),
        "",
        tr("growth.referrals_link", link=esc(link)),
        "",
        tr("growth.referrals_stats", count=found.referred, earned=format_money(found.earned, currency)),
        "",
        tr("growth.referrals_recent_title"),
    ]
    lines += [tr("growth.referrals_recent_entry", date=format_day(c.created_at, lang),
                 amount=format_money(c.amount, currency), percent=percent_text(c.percent),
                 spent=format_money(c.spent, currency)) for c in found.recent]
    if not found.recent:
        lines.append(tr("growth.referrals_recent_empty"))
    share = InlineKeyboardButton(tr("growth.button_share"), url=share_url(link, tr("growth.share_text")))
    return Screen("\n".join(lines), build_keyboard([[share], *_back_rows(tr)]))


def commission_notice(tr: Tr, amount: int, currency: str) -> str:
    """The referrer's push when a friend's order paid them."""
    return tr("growth.commission_notice", amount=format_money(amount, currency))


def referrals_off_screen(tr: Tr) -> Screen:
    """REFERRAL_PERCENT is 0: no links, no screen."""
    return Screen(tr("growth.referrals_off"), back_markup(tr))


def promo_prompt(tr: Tr) -> str:
    """The line the customer replies to with their code."""
    return tr("growth.promo_prompt")


def promo_answer(tr: Tr, result: Redemption, currency: str) -> str:
    """The answer to one redemption attempt."""
    code = esc(result.code, 32)
    if result.ok:
        return tr("growth.promo_redeemed", code=code, amount=format_money(result.amount, currency),
                  balance=format_money(result.balance or 0, currency))
    if result.outcome is Outcome.TOO_MANY_ATTEMPTS:
        seconds = result.retry_after.total_seconds() if result.retry_after else 60
        return tr("growth.promo_too_many", minutes=max(1, -(-int(seconds) // 60)))
    return tr(_OUTCOME_TEXTS[result.outcome], code=code)


# --- the admin group -------------------------------------------------------------------------------

def spec_error_text(tr: Tr, reason: str) -> str:
    """Why /promo add's arguments were refused."""
    return tr(_SPEC_ERRORS[reason], limit=MAX_USES_LIMIT)


def _uses(tr: Tr, code: PromoCode) -> str:
    if code.max_uses is None:
        return tr("growth.admin_uses_unlimited", used=code.uses)
    return tr("growth.admin_uses_limited", used=code.uses, max=code.max_uses)


def _expiry(tr: Tr, code: PromoCode) -> str:
    if code.expires_on is None:
        return tr("growth.admin_no_expiry")
    return tr("growth.admin_expires_on", date=code.expires_on.isoformat())


def _state(tr: Tr, code: PromoCode, today: date) -> str:
    if not code.active:
        return tr("growth.admin_state_off")
    if code.expires_on is not None and code.expires_on < today:
        return tr("growth.admin_state_expired")
    if code.uses_left == 0:
        return tr("growth.admin_state_used_up")
    return tr("growth.admin_state_on")


def promo_added_text(tr: Tr, code: PromoCode, currency: str) -> str:
    """/promo add went through."""
    return tr("growth.admin_added", code=esc(code.code), amount=format_money(code.amount, currency),
              uses=_uses(tr, code), expires=_expiry(tr, code))


def promo_off_text(tr: Tr, code: PromoCode) -> str:
    """/promo off went through."""
    return tr("growth.admin_off_done", code=esc(code.code), uses=code.uses)


def promo_list_text(tr: Tr, codes: Sequence[PromoCode], total: int, currency: str, today: date) -> str:
    """/promo list: newest first, with what each one gives, its uses, expiry and state."""
    if not codes:
        return tr("growth.admin_list_empty")
    lines = [tr("growth.admin_list_title")]
    lines += [tr("growth.admin_list_entry", state=_state(tr, c, today), code=esc(c.code),
                 amount=format_money(c.amount, currency), uses=_uses(tr, c), expires=_expiry(tr, c))
              for c in codes]
    if total > len(codes):
        lines.append(tr("growth.admin_list_more", count=total - len(codes)))
    return "\n".join(lines)


def stats_lines(tr: Tr, program: ProgramTotals, promo_totals: tuple[int, int], currency: str) -> list[str]:
    """The growth section of /stats for one period."""
    count, credited = promo_totals
    return [
        tr("growth.stats_referrals", referred=program.referred, new=program.referred_since,
           paid=format_money(program.paid, currency), orders=program.commissions),
        tr("growth.stats_promo", count=count, credited=format_money(credited, currency)),
    ]


def user_lines(tr: Tr, found: CustomerReferrals, referrer: str | None, promo_totals: tuple[int, int],
               currency: str) -> list[str]:
    """The growth section of /user; `referrer` is already a label ('42 (@name)'), escaped."""
    count, credited = promo_totals
    return [
        tr("growth.user_referrer", referrer=referrer) if referrer else tr("growth.user_no_referrer"),
        tr("growth.user_referrals", count=found.referred, earned=format_money(found.earned, currency)),
        tr("growth.user_promo", count=count, credited=format_money(credited, currency)),
    ]
