-- The device, IP address and payee of every disputed transaction, by claim, kept by a trigger on claim_transactions
-- (so every writer is covered). The assessment's campaign check reads the claims that share a value in its window
-- from one index range here, where before it read every transaction that ever carried the value and looked up its
-- claim. Released links keep their rows, as the campaign check always counted them.
CREATE TABLE claim_signals (
    kind          TEXT    NOT NULL,
    value         TEXT    NOT NULL,
    submitted_at  TEXT    NOT NULL,
    claim_id      INTEGER NOT NULL,
    customer_id   INTEGER NOT NULL,
    PRIMARY KEY (kind, value, claim_id)
);
CREATE INDEX ix_claim_signals_window ON claim_signals (kind, value, submitted_at);

INSERT OR IGNORE INTO claim_signals (kind, value, submitted_at, claim_id, customer_id)
SELECT 'device', t.device_fingerprint, c.submitted_at, c.id, c.customer_id
FROM claim_transactions ct JOIN claims c ON c.id = ct.claim_id JOIN transactions t ON t.id = ct.transaction_id
WHERE t.device_fingerprint IS NOT NULL
UNION ALL
SELECT 'ip', t.ip_address, c.submitted_at, c.id, c.customer_id
FROM claim_transactions ct JOIN claims c ON c.id = ct.claim_id JOIN transactions t ON t.id = ct.transaction_id
WHERE t.ip_address IS NOT NULL
UNION ALL
SELECT 'payee', t.counterparty, c.submitted_at, c.id, c.customer_id
FROM claim_transactions ct JOIN claims c ON c.id = ct.claim_id JOIN transactions t ON t.id = ct.transaction_id
WHERE t.counterparty IS NOT NULL;

CREATE TRIGGER claim_transactions_signals AFTER INSERT ON claim_transactions
BEGIN
    INSERT OR IGNORE INTO claim_signals (kind, value, submitted_at, claim_id, customer_id)
    SELECT 'device', t.device_fingerprint, c.submitted_at, c.id, c.customer_id
    FROM claims c, transactions t WHERE c.id = NEW.claim_id AND t.id = NEW.transaction_id AND t.device_fingerprint IS NOT NULL
    UNION ALL
    SELECT 'ip', t.ip_address, c.submitted_at, c.id, c.customer_id
    FROM claims c, transactions t WHERE c.id = NEW.claim_id AND t.id = NEW.transaction_id AND t.ip_address IS NOT NULL
    UNION ALL
    SELECT 'payee', t.counterparty, c.submitted_at, c.id, c.customer_id
    FROM claims c, transactions t WHERE c.id = NEW.claim_id AND t.id = NEW.transaction_id AND t.counterparty IS NOT NULL;
END;
