"""The payment-method lines of `check` and `/setup`: one per method the settings turn on (bot/payments/methods.py).

Crypto Pay is asked `getMe` (the token is accepted, the app's name); Stars, cards and manual transfers
have nothing to ask before a customer pays, so their line says how they are set. A token set for a
method that stays off (bot/payments/methods.problems) is a needed failure; a shop without any
method is only advice (it sells from balances the admins credit).
"""

from __future__ import annotations

from bot.config import Settings
from bot.ops.checks import Check
from bot.payments.cryptopay import CryptoPayClient, CryptoPayError
from bot.payments.methods import Kind, Method, enabled_methods, problems

AREA = "payments"


async def _crypto_pay(settings: Settings, method: Method) -> Check:
    pay = settings.payments
    assert pay.crypto_pay_token is not None
    client = CryptoPayClient(pay.crypto_pay_token.get_secret_value(), pay.crypto_pay_api_url, timeout=10)
    try:
        me = await client.get_me()
    except CryptoPayError as exc:
        return Check(AREA, False, f"Crypto Pay did not accept CRYPTO_PAY_TOKEN ({exc})",
                     "copy the token of your app from @CryptoBot → Crypto Pay → My Apps (testnet apps need "
                     "CRYPTO_PAY_API_URL=https://testnet-pay.crypt.bot)")
    finally:
        await client.close()
    return Check(AREA, True, f"Crypto Pay: app «{me.get('name', '?')}», invoices in {method.currency}")


async def check_payments(settings: Settings) -> list[Check]:
    """One line per enabled method, then one ✗ per method a setting leaves off."""
    checks = []
    for method in enabled_methods(settings):
        if method.kind == Kind.STARS:
            checks.append(Check(AREA, True, f"Telegram Stars: {settings.shop.stars_per_unit} ⭐ buy 1 "
                                f"{settings.shop.shop_currency}"))
        elif method.kind == Kind.CRYPTO:
            checks.append(await _crypto_pay(settings, method))
        elif method.kind == Kind.CARD:
            checks.append(Check(AREA, True, f"cards through PAYMENT_PROVIDER_TOKEN, paid in {method.currency}"))
        else:
            checks.append(Check(AREA, True, f"manual transfers «{method.label}» in {method.currency}"))
    checks.extend(Check(AREA, False, problem, "complete or remove that method's settings (README: Payment methods)")
                  for problem in problems(settings))
    return checks or [Check(AREA, False, "no payment method: customers cannot top up",
                            "set STARS_PER_UNIT (Telegram Stars) or another method (README: Payment methods)",
                            needed=False)]
