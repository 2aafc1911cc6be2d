"""Screens and texts of the payment methods other than Stars (texts in locales/*/topups.po).

Button data (bot/render/callbacks.py):
    pay:pick:<key>       a method of the Top up screen (stars, crypto, card, m0, m1…)
    pay:check:<id>       Crypto Pay: has top-up <id> been paid?
    pay:receipt:<id>     manual: send the receipt of top-up <id>
    adm:payok:<id>       admin card: approve as asked
    adm:payamt:<id>      admin card: approve another amount (asked as a reply)
    adm:payno:<id>       admin card: reject (reason asked as a reply)
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.domain.topup_money import Limits
from bot.domain.topups import pay_text
from bot.i18n import N_
from bot.payments.methods import Kind, Method
from bot.render.admin_reports import BUTTONS
from bot.render.callbacks import pack
from bot.render.keyboards import build_keyboard, button
from bot.render.menu_views import BALANCE_DATA, Screen, Tr, home_row
from bot.render.text import esc
from bot.render.topup_views import exact_money
from bot.storage.topups import Topup, TopupStatus

FEATURE = "pay"
STARS_KEY = "stars"
LABELS = {Kind.STARS: N_("topups.method_stars"), Kind.CRYPTO: N_("topups.method_crypto"),
          Kind.CARD: N_("topups.method_card")}
STATUS_TEXTS = {
    TopupStatus.CREATING: N_("topups.status_creating"), TopupStatus.PENDING: N_("topups.status_pending"),
    TopupStatus.RECEIPT: N_("topups.status_receipt"), TopupStatus.CREDITED: N_("topups.status_credited"),
    TopupStatus.EXPIRED: N_("topups.status_expired"), TopupStatus.REJECTED: N_("topups.status_rejected"),
    TopupStatus.FAILED: N_("topups.status_failed"), TopupStatus.REFUNDING: N_("topups.status_refunding"),
    TopupStatus.REFUNDED: N_("topups.status_refunded"),
}


def method_label(tr: Tr, method: Method, assets: Sequence[str] = ()) -> str:
    if method.kind == Kind.MANUAL:
        return tr("topups.method_manual", name=method.label)
    if method.kind == Kind.CRYPTO:
        return tr(LABELS[method.kind], assets=", ".join(assets))
    return tr(LABELS[method.kind])


def methods_screen(tr: Tr, methods: Sequence[Method], assets: Sequence[str]) -> Screen:
    """Top up: one button per enabled method."""
    rows = [[button(method_label(tr, m, assets), pack(FEATURE, "pick", m.key))] for m in methods]
    rows += [[button(tr("payments.button_back"), BALANCE_DATA)], home_row(tr)]
    return Screen(tr("topups.pick_method"), build_keyboard(rows))


def amount_prompt(tr: Tr, method: Method, shop: str, assets: Sequence[str]) -> str:
    """Ask the amount (shop currency) with this method's limits and, when it converts, its rate."""
    assert method.limits is not None
    text = tr("topups.ask_amount", method=esc(method_label(tr, method, assets)), currency=shop,
              low=exact_money(method.limits.low, shop), high=exact_money(method.limits.high, shop))
    if method.currency != shop:
        text += "\n" + tr("topups.rate_line", currency=method.currency, rate=f"{method.rate.normalize():f}",
                          shop=shop)
    return text


def amount_error(tr: Tr, reason: str, limits: Limits | None, shop: str) -> str:
    """Why a typed amount was refused: not a number / too small / too large."""
    if reason == "low" and limits:
        return tr("topups.amount_low", low=exact_money(limits.low, shop))
    if reason == "high" and limits:
        return tr("topups.amount_high", high=exact_money(limits.high, shop))
    return tr("topups.amount_bad")


def conversion_line(tr: Tr, pay: Decimal, currency: str, credit: int, shop: str) -> str:
    """'You pay 476.20 RUB, 5.0001 USD is credited' — shown before paying."""
    return tr("topups.you_pay", pay=pay_text(pay, currency), credit=exact_money(credit, shop))


def crypto_invoice(tr: Tr, topup: Topup, shop: str, assets: Sequence[str]) -> Screen:
    text = tr("topups.crypto_invoice", amount=exact_money(topup.amount, shop), assets=", ".join(assets),
              reference=topup.reference)
    rows = [[InlineKeyboardButton(tr("topups.button_pay"), url=topup.pay_url)]] if topup.pay_url else []
    rows.append([button(tr("topups.button_check"), pack(FEATURE, "check", topup.id))])
    return Screen(text, InlineKeyboardMarkup(rows))


def manual_instructions(tr: Tr, method: Method, topup: Topup, shop: str) -> Screen:
    assert method.manual is not None
    text = tr("topups.manual_instructions", name=esc(method.label), pay=pay_text(topup.pay_amount, topup.pay_currency),
              credit=exact_money(topup.amount, shop), reference=topup.reference,
              instructions=esc(method.manual.instructions, 1500))
    return Screen(text, build_keyboard([[button(tr("topups.button_receipt"), pack(FEATURE, "receipt", topup.id))]]))


def credited_text(tr: Tr, credited: int, extra: int, balance: int, shop: str, reference: str) -> str:
    text = tr("topups.credited", amount=exact_money(credited, shop), reference=reference,
              balance=exact_money(balance, shop))
    if extra:
        text += "\n" + tr("topups.bonus_line", bonus=exact_money(extra, shop))
    return text


def admin_card(tr: Tr, topup: Topup, who: str, shop: str, method_name: str) -> tuple[str, InlineKeyboardMarkup]:
    text = tr("topups.admin_card", id=topup.id, customer=esc(who), method=esc(method_name),
              pay=pay_text(topup.pay_amount, topup.pay_currency), credit=exact_money(topup.amount, shop),
              reference=topup.reference)
    keyboard = build_keyboard([
        [button(tr("topups.button_approve"), pack(BUTTONS, "payok", topup.id))],
        [button(tr("topups.button_approve_other"), pack(BUTTONS, "payamt", topup.id))],
        [button(tr("topups.button_reject"), pack(BUTTONS, "payno", topup.id))],
    ])
    return text, keyboard


def topup_line(tr: Tr, topup: Topup, shop: str) -> str:
    """One line of /user and /payments: #id, method, amount, status, reference."""
    amount = topup.credited if topup.credited is not None else topup.amount
    return tr("topups.line", id=topup.id, date=topup.created_at.strftime("%Y-%m-%d"), method=esc(topup.method),
              amount=exact_money(amount, shop), status=tr(STATUS_TEXTS[topup.status]), reference=topup.reference)
