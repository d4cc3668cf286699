-- Which claims dispute a given transaction, whether live or released: the assessment's campaign check goes from
-- the transactions sharing a device, IP address or payee to their claims. The partial unique index covers live
-- rows only, so without this one every assessment scanned claim_transactions (or every recent claim).
CREATE INDEX ix_claim_transactions_transaction ON claim_transactions (transaction_id, claim_id);
