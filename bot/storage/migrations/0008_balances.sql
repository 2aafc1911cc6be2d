-- One row per wallet holding the sum of its ledger, kept by ledger.add in the same transaction as
-- each ledger row: a balance is read in constant time however long the history. The ledger stays
-- the truth; wallet.check_balances proves SUM(ledger) = balances.amount for every wallet.
CREATE TABLE balances (
    user_id     INTEGER PRIMARY KEY REFERENCES users(id),
    amount      INTEGER NOT NULL    -- signed minor units, = SUM(ledger.amount) of the user
);
INSERT INTO balances(user_id, amount)
    SELECT user_id, SUM(amount) FROM ledger GROUP BY user_id;
