"""Top-up screens and texts: presets in Stars with what they buy, the amount prompt, invoices, notices.

Button data (bot/render/callbacks.py):
    topup:menu            the Top up screen (the Balance screen's button)
    topup:stars:<n>       an invoice for a preset of n Stars
    topup:custom          the prompt for another amount
Amounts credited are shown exactly (up to the minor unit), never rounded up for display: the
customer must see what the Stars buy.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from telegram import InlineKeyboardButton

from bot.domain.payments import Decline, Quote
from bot.i18n import N_
from bot.money import MINOR_PER_UNIT, format_money, from_minor
from bot.render.callbacks import pack
from bot.render.keyboards import build_keyboard, button, in_columns
from bot.render.menu_views import BALANCE_DATA, Screen, Tr, home_row

FEATURE = "topup"
MENU_DATA = pack(FEATURE, "menu")
CUSTOM_DATA = pack(FEATURE, "custom")
EXAMPLE_AMOUNT = "10"
TITLE_CHARS = 32  # Telegram's limits for an invoice's title and description
DESCRIPTION_CHARS = 255
PLACEHOLDER_CHARS = 64

DECLINE_TEXTS: dict[Decline, str] = {
    Decline.DISABLED: N_("payments.decline_disabled"),
    Decline.UNKNOWN: N_("payments.decline_invalid"),
    Decline.NOT_YOURS: N_("payments.decline_invalid"),
    Decline.WRONG_AMOUNT: N_("payments.decline_invalid"),
    Decline.PAID: N_("payments.decline_paid"),
    Decline.BANNED: N_("payments.decline_banned"),
}


def preset_data(stars: int) -> str:
    """Button data asking for an invoice of `stars` Stars."""
    return pack(FEATURE, "stars", stars)


def exact_money(minor: int, currency: str) -> str:
    """An amount with as many decimals as it has (2 to 6): '5.00 USD', '1.333333 USD'."""
    value, places = from_minor(minor), 2
    while places < 6 and value != value.quantize(Decimal(1).scaleb(-places)):
        places += 1
    return format_money(minor, currency, places)


def unit_price_line(tr: Tr, rate: Decimal, currency: str) -> str:
    """'50 ⭐ = 1.00 USD': the rate as the customer reads it."""
    return tr("payments.rate", stars=f"{rate.normalize():f}", amount=exact_money(MINOR_PER_UNIT, currency))


def topup_button(tr: Tr) -> InlineKeyboardButton:
    """The Balance screen's Top up button."""
    return button(tr("payments.button_topup"), MENU_DATA)


def topup_screen(tr: Tr, quotes: Sequence[Quote], rate: Decimal, currency: str) -> Screen:
    """The presets (Stars → what they buy), Other amount, and the way back to Balance."""
    text = tr("payments.menu_title", rate_line=unit_price_line(tr, rate, currency), example=EXAMPLE_AMOUNT)
    presets = [button(tr("payments.preset", stars=q.stars, amount=exact_money(q.amount, currency)),
                      preset_data(q.stars)) for q in quotes]
    rows = [*in_columns(presets, 2), [button(tr("payments.button_other"), CUSTOM_DATA)],
            [button(tr("payments.button_back"), BALANCE_DATA)], home_row(tr)]
    return Screen(text, build_keyboard(rows))


def off_screen(tr: Tr) -> Screen:
    """Top-ups are turned off (STARS_PER_UNIT unset)."""
    return Screen(tr("payments.off"), build_keyboard([[button(tr("payments.button_back"), BALANCE_DATA)],
                                                      home_row(tr)]))


def amount_prompt(tr: Tr, currency: str) -> str:
    """The question a customer answers (by replying) with the amount to add."""
    return tr("payments.ask_amount", currency=currency, example=EXAMPLE_AMOUNT)


def amount_placeholder(tr: Tr) -> str:
    """The grey hint in the reply field."""
    return tr("payments.amount_placeholder", example=EXAMPLE_AMOUNT)[:PLACEHOLDER_CHARS]


def bad_amount_text(tr: Tr) -> str:
    return tr("payments.bad_amount", example=EXAMPLE_AMOUNT)


def too_big_text(tr: Tr, max_minor: int, currency: str) -> str:
    return tr("payments.amount_too_big", max=exact_money(max_minor, currency), example=EXAMPLE_AMOUNT)


def invoice_texts(tr: Tr, quote: Quote, currency: str) -> tuple[str, str, str]:
    """(title, description, price label) of an invoice; a rounded custom amount shows both numbers."""
    amount = exact_money(quote.amount, currency)
    title = tr("payments.invoice_title", amount=amount)[:TITLE_CHARS]
    if quote.requested is not None and quote.requested != quote.amount:
        description = tr("payments.invoice_rounded", requested=exact_money(quote.requested, currency),
                         stars=quote.stars, amount=amount)
    else:
        description = tr("payments.invoice_description", stars=quote.stars, amount=amount)
    return title, description[:DESCRIPTION_CHARS], tr("payments.invoice_label")[:TITLE_CHARS]


def decline_text(tr: Tr, decline: Decline) -> str:
    """What Telegram shows on the payment sheet when the bot declines (plain text)."""
    return tr(DECLINE_TEXTS[decline])


def credited_text(tr: Tr, stars: int, amount: int, balance: int, currency: str, bonus: int = 0) -> str:
    """The customer's receipt: Stars paid, credit, new balance (and the TOPUP_BONUS, when one was added)."""
    text = tr("payments.credited", stars=stars, amount=exact_money(amount, currency),
              balance=format_money(balance, currency))
    if bonus:
        text += "\n" + tr("topups.bonus_line", bonus=exact_money(bonus, currency))
    return text


def unmatched_text(tr: Tr, stars: int) -> str:
    """Paid, but not for an invoice the bot can honour: the shop will sort it out."""
    return tr("payments.unmatched", stars=stars)
