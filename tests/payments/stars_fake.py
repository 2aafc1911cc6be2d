"""FakeTelegram plus the bot's Star transactions (getStarTransactions), for the payments tests.

    tg = StarsTelegram()
    tg.pay(42, payload, 250, "ch-1")                 # Telegram takes the Stars and tells the bot
    tg.pay(42, payload, 250, "ch-2", deliver=False)  # ...or the update never reaches the bot
"""

from __future__ import annotations

import time

from tests.fakes.telegram_records import Call
from tests.fakes.telegram_server import FakeTelegram


class StarsTelegram(FakeTelegram):
    """The fake Bot API with a chronological list of Star transactions."""

    def __init__(self) -> None:
        super().__init__()
        self.star_transactions: list[dict] = []

    def pay(self, user_id: int, payload: str, stars: int, charge_id: str, *, deliver: bool = True) -> None:
        """A customer pays an invoice: the transaction is listed and (unless told not) the update sent."""
        self.star_transactions.append({
            "id": charge_id, "amount": stars, "date": int(time.time()),
            "source": {"type": "user", "transaction_type": "invoice_payment", "user": self.user(user_id),
                       "invoice_payload": payload},
        })
        if deliver:
            self.successful_payment(user_id, payload, stars, charge_id)

    def refund_listed(self, user_id: int, charge_id: str, stars: int) -> None:
        """Telegram returned the Stars of `charge_id`: a refund transaction (same id, to the user) is listed."""
        self.star_transactions.append({"id": charge_id, "amount": stars, "date": int(time.time()),
                                       "receiver": {"type": "user", "transaction_type": "invoice_payment",
                                                    "user": self.user(user_id)}})

    def withdraw(self, stars: int) -> None:
        """A transaction that is not a customer's payment (the sweep must skip it)."""
        self.star_transactions.append({"id": f"w{len(self.star_transactions)}", "amount": stars,
                                       "date": int(time.time()), "receiver": {"type": "fragment"}})

    async def _api_getStarTransactions(self, call: Call) -> dict:  # noqa: N802 - Bot API name
        offset = int(call.params.get("offset") or 0)
        limit = int(call.params.get("limit") or 100)
        return {"transactions": self.star_transactions[offset:offset + limit]}
