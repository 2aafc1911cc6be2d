-- 0013 manual transfer methods edited from the admin group (/manual); SQL in bot/storage/manual_methods.py.
-- A row here overrides the MANUAL_PAYMENTS entry of the same name (case-insensitive); active = 0 hides it.
-- rate/min/max are exact Decimal text.

CREATE TABLE manual_methods (
    id            INTEGER PRIMARY KEY,
    name          TEXT NOT NULL,
    name_key      TEXT NOT NULL UNIQUE,   -- lower(name): one row per method name
    instructions  TEXT NOT NULL,
    currency      TEXT NOT NULL,
    rate          TEXT NOT NULL,
    min_amount    TEXT NOT NULL,
    max_amount    TEXT NOT NULL,
    active        INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    updated_by    INTEGER,
    updated_at    TEXT NOT NULL
);
