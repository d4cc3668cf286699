-- Versioned assessment rule sets. The document is the rule set's JSON (docs/assessment.md); exactly one
-- version is active at a time. The first version is seeded by the engine from its built-in defaults.
CREATE TABLE rule_sets (
    id            INTEGER PRIMARY KEY,
    version       TEXT    NOT NULL UNIQUE,
    description   TEXT    NOT NULL,
    document      TEXT    NOT NULL,
    created_at    TEXT    NOT NULL,
    created_by    TEXT    NOT NULL,
    is_active     INTEGER NOT NULL DEFAULT 0,
    activated_at  TEXT    NULL,
    activated_by  TEXT    NULL
);
-- Exactly one active version: a second active row violates this index.
CREATE UNIQUE INDEX ux_rule_sets_active ON rule_sets (is_active) WHERE is_active = 1;

-- Truth labels of claims filed by an evaluation run (claims.csv): read only to score and backtest, never by the engine.
CREATE TABLE claim_labels (
    claim_id    INTEGER NOT NULL PRIMARY KEY REFERENCES claims (id),
    -- The claims file's claim_id and customer_id, to find the row again and to split customers into tuning and held-out parts.
    file_claim_id    TEXT    NOT NULL,
    file_customer_id TEXT    NOT NULL,
    truth       TEXT    NOT NULL CHECK (truth IN ('genuine', 'false')),
    source      TEXT    NOT NULL,
    labelled_at TEXT    NOT NULL
);

-- Signals across customers (docs/assessment.md): who else paid this payee, which other claims share a payee.
CREATE INDEX ix_transactions_counterparty ON transactions (counterparty, occurred_at);
CREATE INDEX ix_transactions_ip ON transactions (ip_address, occurred_at);
