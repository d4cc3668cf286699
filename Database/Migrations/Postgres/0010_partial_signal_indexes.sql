-- The indexes on device, IP and payee serve lookups of one value (=, IN) and IS NOT NULL scans only, never
-- a search for "unknown". Many rows have no such value (no dataset imported so far gives a device or an IP),
-- and indexing those NULLs cost every imported row an index insertion each (docs/benchmarks.md, Import).
DROP INDEX ix_transactions_device;
CREATE INDEX ix_transactions_device ON transactions (device_fingerprint, occurred_at) WHERE device_fingerprint IS NOT NULL;
DROP INDEX ix_transactions_ip;
CREATE INDEX ix_transactions_ip ON transactions (ip_address, occurred_at) WHERE ip_address IS NOT NULL;
DROP INDEX ix_transactions_counterparty;
CREATE INDEX ix_transactions_counterparty ON transactions (counterparty, occurred_at) WHERE counterparty IS NOT NULL;
DROP INDEX ix_account_events_device;
CREATE INDEX ix_account_events_device ON account_events (device_fingerprint, occurred_at) WHERE device_fingerprint IS NOT NULL;
DROP INDEX ix_account_events_ip;
CREATE INDEX ix_account_events_ip ON account_events (ip_address, occurred_at) WHERE ip_address IS NOT NULL;
