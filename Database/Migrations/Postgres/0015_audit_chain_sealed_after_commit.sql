-- The audit chain is no longer extended inside the writing transaction (ADR 0010). Writers insert an entry
-- unsealed (chain_seq, prev_hash and hash NULL) and commit without waiting for anyone; a sealer chains the
-- committed entries in order shortly after. Before, every intake, decision and payout took one advisory lock
-- and held it through its commit and fsync, so commits could not share an fsync and one slow disk flush
-- stalled every claim behind it.
ALTER TABLE audit_log ADD COLUMN chain_seq BIGINT;
ALTER TABLE audit_log ALTER COLUMN prev_hash DROP NOT NULL;
ALTER TABLE audit_log ALTER COLUMN hash DROP NOT NULL;
-- Entries chained under the lock were chained in id order.
UPDATE audit_log SET chain_seq = id;
ALTER TABLE audit_log ADD CONSTRAINT uq_audit_log_chain_seq UNIQUE (chain_seq);
ALTER TABLE audit_log ADD CONSTRAINT ck_audit_log_sealed_whole
    CHECK ((chain_seq IS NULL AND prev_hash IS NULL AND hash IS NULL) OR (chain_seq IS NOT NULL AND prev_hash IS NOT NULL AND hash IS NOT NULL));
CREATE INDEX ix_audit_log_unsealed ON audit_log (id) WHERE chain_seq IS NULL;
