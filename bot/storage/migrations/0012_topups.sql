-- 0012 top-ups of every method but Stars (Crypto Pay, Telegram Payments cards, manual transfers).
-- SQL in bot/storage/topups.py, rules in bot/domain/topups.py. Stars keep star_invoices/star_payments (0005).
-- A row is written BEFORE the provider is asked (createInvoice, sendInvoice) or the customer is told
-- where to pay, so whatever the provider later reports is matched to it by `reference`.
-- Crediting is one conditional UPDATE (status open -> credited) plus ledger rows in one transaction:
-- a second report, a second admin, a restart find it credited and credit nothing.
-- Money is INTEGER minor units of the shop currency; amounts in the payment currency are exact Decimal text.

CREATE TABLE topups (
    id            INTEGER PRIMARY KEY,
    method        TEXT NOT NULL,                  -- cryptopay, card, manual:<name>
    user_id       INTEGER NOT NULL REFERENCES users(id),
    reference     TEXT NOT NULL UNIQUE,           -- ours: the invoice payload / the code a customer writes on a transfer
    external_id   TEXT,                           -- the provider's id: Crypto Pay invoice id, Telegram charge id
    amount        INTEGER NOT NULL CHECK (amount > 0),  -- shop minor units this top-up credits when paid
    pay_amount    TEXT NOT NULL,                  -- what the customer pays, exact, in pay_currency
    pay_currency  TEXT NOT NULL,
    rate          TEXT NOT NULL,                  -- shop units per unit of pay_currency when issued
    status        TEXT NOT NULL,                  -- creating, pending, receipt, credited, expired, rejected, failed, refunding, refunded
    credited      INTEGER,                        -- minor units actually credited (bonus not included)
    bonus         INTEGER,                        -- minor units of TOPUP_BONUS credited with it
    pay_url       TEXT,
    paid_asset    TEXT,                           -- Crypto Pay: what the customer actually paid in (for refunds)
    paid_amount   TEXT,
    receipt_chat  INTEGER,                        -- manual: where the customer's receipt message is
    receipt_msg   INTEGER,
    card_chat     INTEGER,                        -- manual: the admin card
    card_msg      INTEGER,
    decided_by    INTEGER,                        -- the admin who approved/rejected/refunded
    note          TEXT,                           -- reject reason, refund note
    notified      INTEGER NOT NULL DEFAULT 0 CHECK (notified IN (0, 1)),  -- the customer was told of the credit
    created_at    TEXT NOT NULL,
    expires_at    TEXT,
    settled_at    TEXT
);
CREATE UNIQUE INDEX topups_external ON topups(method, external_id) WHERE external_id IS NOT NULL;
CREATE INDEX topups_user ON topups(user_id, id);
CREATE INDEX topups_status ON topups(status, method);
