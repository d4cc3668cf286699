-- The device, IP address and payee of every disputed transaction, by claim, kept by a trigger on claim_transactions
-- (so every writer is covered). The assessment's campaign check reads the claims that share a value in its window
-- from one index range here, where before it read every transaction that ever carried the value and looked up its
-- claim: 2,800 buffers and 9 ms per assessment in the bench (docs/benchmarks.md), more for a popular payee.
-- Released links keep their rows, as the campaign check always counted them.
CREATE TABLE claim_signals (
    kind          TEXT        NOT NULL,
    value         TEXT        NOT NULL,
    submitted_at  TIMESTAMPTZ NOT NULL,
    claim_id      BIGINT      NOT NULL,
    customer_id   BIGINT      NOT NULL,
    PRIMARY KEY (kind, value, claim_id)
);
CREATE INDEX ix_claim_signals_window ON claim_signals (kind, value, submitted_at);

INSERT INTO claim_signals (kind, value, submitted_at, claim_id, customer_id)
SELECT s.kind, s.value, c.submitted_at, c.id, c.customer_id
FROM claim_transactions ct
JOIN claims c ON c.id = ct.claim_id
JOIN transactions t ON t.id = ct.transaction_id
CROSS JOIN LATERAL (VALUES ('device', t.device_fingerprint), ('ip', t.ip_address), ('payee', t.counterparty)) AS s (kind, value)
WHERE s.value IS NOT NULL
ON CONFLICT DO NOTHING;

CREATE FUNCTION record_claim_signals() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO claim_signals (kind, value, submitted_at, claim_id, customer_id)
    SELECT s.kind, s.value, c.submitted_at, c.id, c.customer_id
    FROM claims c
    JOIN transactions t ON t.id = NEW.transaction_id
    CROSS JOIN LATERAL (VALUES ('device', t.device_fingerprint), ('ip', t.ip_address), ('payee', t.counterparty)) AS s (kind, value)
    WHERE c.id = NEW.claim_id AND s.value IS NOT NULL
    ON CONFLICT DO NOTHING;
    RETURN NULL;
END
$$;

CREATE TRIGGER claim_transactions_signals
    AFTER INSERT ON claim_transactions
    FOR EACH ROW
    EXECUTE FUNCTION record_claim_signals();
