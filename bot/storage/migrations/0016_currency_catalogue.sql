-- 0016 the shop's own currency: exchange rates, each panel's currency, and what an order cost.
-- exchange_rates: 1 unit of `currency` = `rate` units of the shop currency (exact Decimal text).
-- source: 'shop' (the one row naming SHOP_CURRENCY itself, rate 1, written at start-up),
-- 'env' (EXCHANGE_RATES, rewritten at start-up), 'admin' (/rate; wins over 'env').
CREATE TABLE exchange_rates (
    currency    TEXT PRIMARY KEY,
    rate        TEXT NOT NULL,
    source      TEXT NOT NULL CHECK (source IN ('shop', 'env', 'admin')),
    actor       INTEGER,
    updated_at  TEXT NOT NULL
);

-- each panel's currency as its `balance` answer names it; missing_alerted: admins were told its rate is missing
CREATE TABLE panel_currencies (
    panel           TEXT PRIMARY KEY,
    currency        TEXT NOT NULL,
    missing_alerted INTEGER NOT NULL DEFAULT 0 CHECK (missing_alerted IN (0, 1)),
    seen_at         TEXT NOT NULL
);

-- panels whose currency is not the shop's and has no rate: their services are hidden from customers
CREATE VIEW unpriced_panels AS
SELECT p.panel, p.currency FROM panel_currencies p
WHERE EXISTS (SELECT 1 FROM exchange_rates s WHERE s.source = 'shop' AND s.currency <> p.currency)
  AND NOT EXISTS (SELECT 1 FROM exchange_rates r WHERE r.currency = p.currency);

-- an order's cost in its panel's currency (rate × units at placing), that currency, and the exchange rate used
ALTER TABLE orders ADD COLUMN panel_currency TEXT;
ALTER TABLE orders ADD COLUMN exchange_rate TEXT NOT NULL DEFAULT '1';
ALTER TABLE orders ADD COLUMN cost TEXT;

-- The curated catalogue. Services keep the panel's own name and description beside the shown ones,
-- so an admin's name survives every refresh and dropping it brings the panel's back.
ALTER TABLE services ADD COLUMN panel_name TEXT;
ALTER TABLE services ADD COLUMN panel_description TEXT;
ALTER TABLE services ADD COLUMN pin INTEGER;  -- order inside its category (lower first; NULL after the pinned)
UPDATE services SET panel_name = name, panel_description = description;

-- /service <panel:id> name|desc|pin: what the admins chose (NULL = the panel's own)
CREATE TABLE service_overrides (
    panel        TEXT NOT NULL,
    service_id   TEXT NOT NULL,
    name         TEXT,
    description  TEXT,
    pin          INTEGER,
    actor        INTEGER,
    updated_at   TEXT NOT NULL,
    PRIMARY KEY (panel, service_id)
);

-- /category <id> name|platform|merge: the shown name, a platform the name detection is not asked
-- again about, and the category whose services this one's are shown in
ALTER TABLE categories ADD COLUMN label TEXT;
ALTER TABLE categories ADD COLUMN platform_fixed INTEGER NOT NULL DEFAULT 0 CHECK (platform_fixed IN (0, 1));
ALTER TABLE categories ADD COLUMN merged_into INTEGER REFERENCES categories(id);
