-- 0006 growth: the referral program (personal codes, who brought whom, a commission per order)
-- and promo codes (credits made by admins, redeemed once per customer).
-- SQL lives in bot/storage/referrals.py and bot/storage/promo.py; rules in bot/domain/.
-- Money is INTEGER minor units (bot/money.py); percents are exact Decimal TEXT; times ISO UTC text.

-- A customer's personal code: random (never the Telegram id); the link is t.me/<bot>?start=ref_<code>.
CREATE TABLE referral_codes (
    user_id     INTEGER PRIMARY KEY REFERENCES users(id),
    code        TEXT NOT NULL UNIQUE,
    created_at  TEXT NOT NULL
);

-- Who brought whom: written once, at the referred customer's first contact, never changed.
CREATE TABLE referrals (
    user_id      INTEGER PRIMARY KEY REFERENCES users(id),
    referrer_id  INTEGER NOT NULL REFERENCES users(id),
    created_at   TEXT NOT NULL,
    CHECK (user_id <> referrer_id)
);
CREATE INDEX referrals_referrer ON referrals(referrer_id, created_at);

-- REFERRAL_PERCENT as the bot last started with (written at every start-up), so an order's
-- settlement reads it inside the order's own transaction, whoever settles it. No row: off.
CREATE TABLE referral_program (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    percent     TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);

-- One settlement per order of a referred customer, made when the order's spending became final.
-- amount always equals the order's ledger rows of kind 'referral' (credit minus take-backs).
CREATE TABLE referral_commissions (
    order_id     INTEGER PRIMARY KEY REFERENCES orders(id),
    referrer_id  INTEGER NOT NULL REFERENCES users(id),
    user_id      INTEGER NOT NULL REFERENCES users(id),   -- the referred customer who ordered
    percent      TEXT NOT NULL,                           -- the rate it was settled at
    spent        INTEGER NOT NULL CHECK (spent >= 0),     -- price minus refunds, minor
    amount       INTEGER NOT NULL CHECK (amount >= 0),    -- commission it pays now, minor
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL
);
CREATE INDEX referral_commissions_referrer ON referral_commissions(referrer_id, order_id);

-- The bot credits an order's commission at most once (a later refund can only take some back).
CREATE UNIQUE INDEX ledger_referral_once ON ledger(reference)
    WHERE kind = 'referral' AND amount > 0 AND actor IS NULL AND reference IS NOT NULL;

CREATE TABLE promo_codes (
    id          INTEGER PRIMARY KEY,
    code        TEXT NOT NULL UNIQUE,       -- upper case; customers type it in any case
    amount      INTEGER NOT NULL CHECK (amount > 0),
    max_uses    INTEGER CHECK (max_uses IS NULL OR max_uses > 0),   -- NULL: no limit
    uses        INTEGER NOT NULL DEFAULT 0 CHECK (uses >= 0 AND (max_uses IS NULL OR uses <= max_uses)),
    expires_on  TEXT,                       -- the last day it works (YYYY-MM-DD, UTC); NULL: never
    active      INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),  -- 0 after /promo off
    created_by  INTEGER,                    -- admin id
    created_at  TEXT NOT NULL
);

CREATE TABLE promo_redemptions (
    promo_id    INTEGER NOT NULL REFERENCES promo_codes(id),
    user_id     INTEGER NOT NULL REFERENCES users(id),
    amount      INTEGER NOT NULL CHECK (amount > 0),
    ledger_id   INTEGER NOT NULL REFERENCES ledger(id),
    created_at  TEXT NOT NULL,
    PRIMARY KEY (promo_id, user_id)
);
CREATE INDEX promo_redemptions_user ON promo_redemptions(user_id);

-- A code credits one customer once, whatever happens above this table.
CREATE UNIQUE INDEX ledger_promo_once ON ledger(user_id, reference)
    WHERE kind = 'promo' AND reference IS NOT NULL;

-- Failed redemptions per customer in the current window (slows guessing; survives restarts).
CREATE TABLE promo_attempts (
    user_id       INTEGER PRIMARY KEY,
    failures      INTEGER NOT NULL CHECK (failures >= 0),
    window_start  TEXT NOT NULL
);
