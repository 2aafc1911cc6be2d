-- 0007 referral notices: whether the referrer was told of a commission (bot/handlers/referrals.py
-- pushes the ones still at 0 after the crediting transaction committed, then sets 1).
ALTER TABLE referral_commissions ADD COLUMN announced INTEGER NOT NULL DEFAULT 0 CHECK (announced IN (0, 1));

-- commissions settled before this release are old news: never announced
UPDATE referral_commissions SET announced = 1;

CREATE INDEX referral_commissions_unannounced ON referral_commissions(order_id) WHERE announced = 0;
