-- 0005 payments: top-ups in Telegram Stars (SQL in bot/storage/payments.py, rules in bot/domain/payments.py).
-- An invoice is written before it is sent, so a pre-checkout can be checked against what the bot issued.
-- A payment is keyed by Telegram's charge id: a redelivered successful_payment can never credit twice.
-- Money is INTEGER minor units (bot/money.py); the rate is exact Decimal text; never REAL.

CREATE TABLE star_invoices (
    id          INTEGER PRIMARY KEY,
    payload     TEXT NOT NULL UNIQUE,                  -- invoice_payload: random, unguessable
    user_id     INTEGER NOT NULL REFERENCES users(id),  -- the only customer allowed to pay it
    stars       INTEGER NOT NULL CHECK (stars > 0),     -- the price, whole Stars
    amount      INTEGER NOT NULL CHECK (amount > 0),    -- what those Stars buy, credited on payment
    rate        TEXT NOT NULL,                          -- STARS_PER_UNIT when issued
    status      TEXT NOT NULL,                          -- issued, paid
    created_at  TEXT NOT NULL,
    paid_at     TEXT
);
CREATE INDEX star_invoices_user ON star_invoices(user_id, id);

CREATE TABLE star_payments (
    charge_id     TEXT PRIMARY KEY,                     -- successful_payment.telegram_payment_charge_id
    invoice_id    INTEGER REFERENCES star_invoices(id), -- NULL when it matched no invoice of ours
    user_id       INTEGER NOT NULL REFERENCES users(id),
    payload       TEXT NOT NULL,
    stars         INTEGER NOT NULL CHECK (stars >= 0),
    amount        INTEGER NOT NULL CHECK (amount >= 0), -- credited minor units (0 when unmatched)
    status        TEXT NOT NULL,                        -- credited, unmatched, refunding, refunded
    notified      INTEGER NOT NULL DEFAULT 0 CHECK (notified IN (0, 1)),  -- the customer was told
    created_at    TEXT NOT NULL,
    refund_debit  INTEGER,                              -- minor units taken back on refund
    refunded_by   INTEGER,                              -- the admin's id
    refunded_at   TEXT
);
-- one credited payment per invoice, whatever Telegram delivers
CREATE UNIQUE INDEX star_payments_invoice ON star_payments(invoice_id) WHERE invoice_id IS NOT NULL;
CREATE INDEX star_payments_user ON star_payments(user_id, created_at);

-- How far the start-up sweep of getStarTransactions (chronological, append-only) has read.
CREATE TABLE star_sweep (
    id       INTEGER PRIMARY KEY CHECK (id = 1),
    scanned  INTEGER NOT NULL CHECK (scanned >= 0),
    swept_at TEXT NOT NULL
);
