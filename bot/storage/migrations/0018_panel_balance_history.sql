-- 0018 panel balance history: every balance a panel reports (catalogue schedule, /panels), so
-- /panels can draw each panel's trend. Amounts are Decimal text, as the panel sent them.
CREATE TABLE panel_balance_history (
    id INTEGER PRIMARY KEY,
    panel TEXT NOT NULL,
    amount TEXT NOT NULL,
    currency TEXT,
    recorded_at TEXT NOT NULL
);

CREATE INDEX panel_balance_history_panel_time ON panel_balance_history(panel, recorded_at);
