"""The customer's side of the payment methods: pick a method, type the amount, pay.

Balance → Top up lists the enabled methods (topup.py shows Stars' own screen when Stars is the
only one). A method asks the amount with a reply prompt (only a reply to this customer's latest
prompt counts, like Stars'), checks its limits, and then:
- Crypto Pay: the row, createInvoice, the pay link and a Check button;
- card: the row, then sendInvoice in PAYMENT_CURRENCY with the conversion shown first;
- manual: the row, the instructions with the reference code, and a Send receipt button.
Creating goes through the method's PaymentMethod.create (bot/payments/adapters.py).
"""

from __future__ import annotations

import logging

from telegram import ForceReply, LabeledPrice, Update
from telegram.ext import ContextTypes

from bot.domain import topups
from bot.domain.errors import LimitExceeded
from bot.handlers.common import answer, customer_tr
from bot.handlers.topup_methods import shared
from bot.money import parse_amount
from bot.payments import adapters
from bot.payments.base import Created
from bot.payments.cryptopay import CryptoPayError
from bot.payments.methods import Kind, enabled_methods, find
from bot.render import pay_views as views
from bot.render.callbacks import BadCallback, unpack
from bot.render.menu_views import Tr
from bot.runtime import runtime
from bot.telegram.redact import redact
from bot.telegram.screens import show

log = logging.getLogger(__name__)

PROMPT_KEY = "pay_prompt"     # user_data: message id of the amount prompt
METHOD_KEY = "pay_method"     # user_data: the method key that prompt is for
CARD_PREFIX = adapters.CARD_PREFIX


def methods_screen(context: ContextTypes.DEFAULT_TYPE, tr: Tr) -> views.Screen:
    settings = runtime(context).settings
    return views.methods_screen(tr, enabled_methods(settings), settings.payments.crypto_pay_assets)


async def on_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """pay:pick:<key>, pay:check:<id>, pay:receipt:<id>."""
    _, tr = await customer_tr(update, context)
    try:
        pressed = unpack(update.callback_query.data)
        if pressed.action == "pick":
            await _pick(update, context, tr, pressed.arg(0))
        elif pressed.action == "check":
            await shared.check_crypto(update, context, tr, pressed.int_arg(0))
        elif pressed.action == "receipt":
            await shared.ask_receipt(update, context, tr, pressed.int_arg(0))
        else:
            raise BadCallback("unknown action")
    except BadCallback:
        await answer(update, tr("common.stale_button"))


async def _pick(update: Update, context: ContextTypes.DEFAULT_TYPE, tr: Tr, key: str) -> None:
    rt = runtime(context)
    method = find(rt.settings, key)
    if method is None:
        await answer(update, tr("topups.method_off"))
        return
    await answer(update)
    if method.kind == Kind.STARS:
        from bot.handlers.topup import topup_screen_for  # Stars keep their own screen of presets

        await show(update, await topup_screen_for(rt, tr, stars_only=True))
        return
    shop = rt.settings.shop.shop_currency
    sent = await update.effective_chat.send_message(
        views.amount_prompt(tr, method, shop, rt.settings.payments.crypto_pay_assets),
        reply_markup=ForceReply(selective=True, input_field_placeholder=tr("topups.amount_placeholder")[:64]))
    context.user_data[PROMPT_KEY] = sent.message_id
    context.user_data[METHOD_KEY] = method.key


async def on_amount_reply(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A reply to the amount prompt: check it against the method, then create the payment."""
    _, tr = await customer_tr(update, context)
    rt = runtime(context)
    message = update.effective_message
    method = find(rt.settings, context.user_data.get(METHOD_KEY, ""))
    if method is None or method.limits is None:
        await message.reply_text(tr("topups.method_off"))
        return
    shop = rt.settings.shop.shop_currency
    try:
        amount = parse_amount(message.text or "")
        if amount <= 0:
            raise ValueError("not positive")
        method.limits.check(amount)
    except LimitExceeded as exc:
        reason = "low" if "minimum" in str(exc) else "high"
        await message.reply_text(views.amount_error(tr, reason, method.limits, shop))
        return
    except ValueError:  # letters, negative, zero
        await message.reply_text(views.amount_error(tr, "bad", method.limits, shop))
        return
    context.user_data.pop(PROMPT_KEY, None)  # answered: a later reply to the same prompt is just text
    client = shared.crypto_client(context.application)
    if method.kind == Kind.CRYPTO and client is None:
        await message.reply_text(tr("topups.method_off"))
        return
    impl = adapters.build(rt.settings, method, crypto_client=client,
                          describe=lambda: tr("topups.crypto_description"))
    try:
        created = await impl.create(rt.db, update.effective_user.id, amount)  # the record comes first, always
    except CryptoPayError as exc:
        log.warning("Crypto Pay createInvoice failed: %s", redact(exc.name))
        await message.reply_text(tr("topups.provider_down"))
        return
    topup = await topups.get(rt.db, created.record_id)
    if method.kind == Kind.CRYPTO:
        await show(update, views.crypto_invoice(tr, topup, shop, rt.settings.payments.crypto_pay_assets), edit=False)
    elif method.kind == Kind.CARD:
        await _send_card_invoice(update, context, tr, created)
    else:
        await show(update, views.manual_instructions(tr, method, topup, shop), edit=False)


async def _send_card_invoice(update: Update, context: ContextTypes.DEFAULT_TYPE, tr: Tr, created: Created) -> None:
    """Show the conversion, then send the invoice in the provider's currency (recorded already)."""
    rt = runtime(context)
    line = views.conversion_line(tr, created.pay, created.currency, created.credit, rt.settings.shop.shop_currency)
    await update.effective_message.reply_text(line)
    token = rt.settings.payments.payment_provider_token
    await context.bot.send_invoice(
        chat_id=update.effective_chat.id, title=tr("topups.card_title")[:32], description=line[:255],
        payload=created.reference, provider_token=token.get_secret_value() if token else "",
        currency=created.currency, prices=[LabeledPrice(tr("topups.card_label")[:32], created.pay_units)])
