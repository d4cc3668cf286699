-- The chain's order is its own column (ADR 0010). SQLite serializes its writers, so each entry is still sealed
-- inside the transaction that writes it, next in the chain; PostgreSQL seals after commit.
ALTER TABLE audit_log ADD COLUMN chain_seq INTEGER;
UPDATE audit_log SET chain_seq = id;
CREATE UNIQUE INDEX uq_audit_log_chain_seq ON audit_log (chain_seq);
