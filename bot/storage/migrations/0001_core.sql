-- 0001 core schema: customers, wallet ledger, catalogue cache, orders, refills, and the
-- admin-side tables later features need (markups, hidden categories, panel state, audit log).
-- Money columns are INTEGER minor units (bot/money.py) or exact Decimal TEXT; never REAL.
-- Timestamps are ISO-8601 UTC text written by bot/storage/clock.py.
-- Vocabularies (ledger kinds, order statuses) are checked in Python, not with CHECK, so
-- later features can add words without rebuilding tables.

CREATE TABLE users (
    id          INTEGER PRIMARY KEY,             -- Telegram user id
    username    TEXT COLLATE NOCASE,             -- without '@', as last seen; for admin lookup
    language    TEXT,                            -- the customer's chosen language; NULL = follow Telegram
    first_seen  TEXT NOT NULL,
    last_seen   TEXT NOT NULL,
    banned      INTEGER NOT NULL DEFAULT 0 CHECK (banned IN (0, 1)),
    blocked     INTEGER NOT NULL DEFAULT 0 CHECK (blocked IN (0, 1))  -- the customer blocked the bot
);
CREATE INDEX users_username ON users(username);

-- One row per balance change; a balance is SUM(amount) of its rows and is stored nowhere else.
CREATE TABLE ledger (
    id          INTEGER PRIMARY KEY,
    user_id     INTEGER NOT NULL REFERENCES users(id),
    amount      INTEGER NOT NULL CHECK (amount <> 0),   -- signed minor units
    kind        TEXT NOT NULL,       -- credit, order_charge, refund, admin_adjustment, topup, referral, promo
    reference   TEXT,                -- e.g. 'order:42', a payment charge id
    note        TEXT,
    actor       INTEGER,             -- admin id, NULL when the bot itself made the change
    created_at  TEXT NOT NULL
);
-- covers both SUM(amount) per user (index-only) and history newest first
CREATE INDEX ledger_user ON ledger(user_id, id, amount);
CREATE INDEX ledger_reference ON ledger(reference) WHERE reference IS NOT NULL;
-- the bot's own charge, refund and top-up of one reference happen at most once
CREATE UNIQUE INDEX ledger_once ON ledger(kind, reference)
    WHERE actor IS NULL AND reference IS NOT NULL AND kind IN ('order_charge', 'refund', 'topup');

-- Catalogue cache. Categories are merged across panels by name and get a short stable id
-- (it goes into Telegram callback data, which is limited to 64 bytes).
CREATE TABLE categories (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE,
    platform    TEXT NOT NULL,       -- detected from the name ('instagram', 'tiktok', ... or 'other')
    hidden      INTEGER NOT NULL DEFAULT 0 CHECK (hidden IN (0, 1))  -- /hide by an admin
);
CREATE INDEX categories_platform ON categories(platform);

CREATE TABLE services (
    panel        TEXT NOT NULL,
    service_id   TEXT NOT NULL,      -- the panel's id, opaque
    name         TEXT NOT NULL,
    type         TEXT NOT NULL,      -- OrderType value
    type_raw     TEXT NOT NULL,
    category_id  INTEGER NOT NULL REFERENCES categories(id),
    rate         TEXT NOT NULL,      -- exact Decimal: the panel's price per 1000 (per package for packages)
    min          INTEGER NOT NULL,
    max          INTEGER NOT NULL,
    description  TEXT,
    dripfeed     INTEGER NOT NULL DEFAULT 0,
    refill       INTEGER NOT NULL DEFAULT 0,
    cancel       INTEGER NOT NULL DEFAULT 0,
    hidden       INTEGER NOT NULL DEFAULT 0 CHECK (hidden IN (0, 1)),  -- /hide by an admin; kept across refreshes
    available    INTEGER NOT NULL DEFAULT 1 CHECK (available IN (0, 1)),  -- 0 once the panel stopped listing it
    position     INTEGER NOT NULL,   -- the panel's own order of its list
    search_text  TEXT NOT NULL,      -- casefolded name + category, for word search beyond ASCII
    fetched_at   TEXT NOT NULL,
    PRIMARY KEY (panel, service_id)
);
CREATE INDEX services_category ON services(category_id, panel, position);

CREATE TABLE catalogue_fetches (
    panel          TEXT PRIMARY KEY,
    fetched_at     TEXT,             -- last successful fetch
    attempted_at   TEXT NOT NULL,
    last_error     TEXT,             -- NULL after a success
    service_count  INTEGER NOT NULL DEFAULT 0
);

-- Markup percent as exact Decimal text. scope '*' = shop-wide, 'panel:service_id' = one service.
CREATE TABLE markups (
    scope       TEXT PRIMARY KEY,
    percent     TEXT NOT NULL,
    actor       INTEGER,
    updated_at  TEXT NOT NULL
);

CREATE TABLE orders (
    id               INTEGER PRIMARY KEY,
    user_id          INTEGER NOT NULL REFERENCES users(id),
    client_token     TEXT,             -- the chat's idempotency token (double-tapped Confirm)
    panel            TEXT NOT NULL,
    service_id       TEXT NOT NULL,
    service_name     TEXT NOT NULL,    -- snapshot at order time
    type             TEXT NOT NULL,    -- OrderType value
    can_refill       INTEGER NOT NULL DEFAULT 0,  -- snapshot of the service's flags
    can_cancel       INTEGER NOT NULL DEFAULT 0,
    link             TEXT,
    extras           TEXT NOT NULL DEFAULT '{}',  -- JSON: type-specific request fields
    quantity         INTEGER NOT NULL,  -- billable units the price was computed on
    price            INTEGER NOT NULL CHECK (price >= 0),  -- charged, minor units
    rate             TEXT NOT NULL,     -- unit price basis: panel rate (Decimal text) ...
    rate_per         INTEGER NOT NULL,  -- ... per this many units (1000, or 1 for packages)
    markup           TEXT NOT NULL,     -- ... and the markup percent applied
    panel_order_id   TEXT,
    panel_charge     TEXT,              -- what the panel says it charged the operator (Decimal text)
    status           TEXT NOT NULL,     -- submitting, unknown (outcome unknown), or an OrderStatus value
    status_raw       TEXT,
    remains          INTEGER,
    start_count      INTEGER,
    runs_done        INTEGER,           -- drip-feed progress
    posts_done       INTEGER,           -- subscription progress
    refunded         INTEGER NOT NULL DEFAULT 0 CHECK (refunded >= 0 AND refunded <= price),
    fail_kind        TEXT,              -- RefusalKind when the panel refused, 'unavailable', ...
    fail_reason      TEXT,              -- the panel's words
    cancel_state     TEXT,              -- requesting, requested, refused, outcome_unknown, not_sent
    cancel_message   TEXT,
    cancel_at        TEXT,
    last_answer      TEXT,              -- the panel's last raw answer (JSON), for admins
    miss_count       INTEGER NOT NULL DEFAULT 0,  -- consecutive status errors from the panel
    notified_status  TEXT,              -- what the customer was last told
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL,
    UNIQUE (user_id, client_token)
);
CREATE UNIQUE INDEX orders_panel_order ON orders(panel, panel_order_id) WHERE panel_order_id IS NOT NULL;
CREATE INDEX orders_open ON orders(panel, status);
CREATE INDEX orders_user ON orders(user_id, id DESC);
CREATE INDEX orders_status ON orders(status);

CREATE TABLE refills (
    id               INTEGER PRIMARY KEY,
    order_id         INTEGER NOT NULL REFERENCES orders(id),
    panel_refill_id  TEXT,
    status           TEXT NOT NULL,     -- requested, pending, in_progress, completed, rejected, canceled,
                                        -- refused, outcome_unknown, not_sent
    status_raw       TEXT,
    message          TEXT,              -- the panel's words
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL
);
CREATE INDEX refills_order ON refills(order_id, id);
CREATE INDEX refills_status ON refills(status);

CREATE TABLE panel_state (
    panel                 TEXT PRIMARY KEY,
    last_sync_at          TEXT,
    last_error            TEXT,
    down_since            TEXT,
    down_alerted          INTEGER NOT NULL DEFAULT 0,
    low_balance_alerted   INTEGER NOT NULL DEFAULT 0,
    updated_at            TEXT NOT NULL
);

CREATE TABLE audit_log (
    id          INTEGER PRIMARY KEY,
    admin_id    INTEGER NOT NULL,
    action      TEXT NOT NULL,
    arguments   TEXT NOT NULL DEFAULT '{}',   -- JSON
    created_at  TEXT NOT NULL
);
CREATE INDEX audit_admin ON audit_log(admin_id, id);
