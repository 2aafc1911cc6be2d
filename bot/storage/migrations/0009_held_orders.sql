-- A final status whose answer does not say enough to settle it (a Partial without readable
-- remains, a drip-feed or subscription ending without runs/posts...) is stored with its status
-- and `held` = why; no money moves until an admin settles it (/resolve <id> refund [amount]).
ALTER TABLE orders ADD COLUMN held TEXT;
CREATE INDEX orders_held ON orders(id) WHERE held IS NOT NULL;
