-- 0019 panel wordings: refusal words a panel used that the adapter could not sort, told to the
-- admins once. Kept across restarts, so a deploy never repeats a report the operator already has.
CREATE TABLE panel_wordings (
    panel TEXT NOT NULL,
    words TEXT NOT NULL,
    told_at TEXT NOT NULL,
    PRIMARY KEY (panel, words)
);
