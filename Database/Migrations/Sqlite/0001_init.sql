-- ClaimsOffice schema, SQLite dialect. Times are UTC ISO-8601 text (fixed width, so they sort);
-- money is INTEGER minor units with an ISO 4217 currency code.
-- WAL mode is set by the migrator (SqlDialect.DatabaseSettings): SQLite refuses it inside a transaction.

CREATE TABLE customers (
    id           INTEGER PRIMARY KEY,
    full_name    TEXT    NOT NULL,
    email        TEXT    NOT NULL UNIQUE,
    phone        TEXT    NOT NULL UNIQUE,
    created_at   TEXT    NOT NULL
);

CREATE TABLE devices (
    id             INTEGER PRIMARY KEY,
    customer_id    INTEGER NOT NULL REFERENCES customers (id),
    fingerprint    TEXT    NOT NULL,
    label          TEXT    NOT NULL,
    first_seen_at  TEXT    NOT NULL,
    last_seen_at   TEXT    NOT NULL,
    UNIQUE (customer_id, fingerprint)
);
CREATE INDEX ix_devices_fingerprint ON devices (fingerprint);

CREATE TABLE account_events (
    id                  INTEGER PRIMARY KEY,
    customer_id         INTEGER NOT NULL REFERENCES customers (id),
    kind                TEXT    NOT NULL,
    occurred_at         TEXT    NOT NULL,
    device_fingerprint  TEXT    NULL,
    ip_address          TEXT    NULL,
    detail              TEXT    NULL
);
CREATE INDEX ix_account_events_customer ON account_events (customer_id, occurred_at);
CREATE INDEX ix_account_events_device ON account_events (device_fingerprint, occurred_at);
CREATE INDEX ix_account_events_ip ON account_events (ip_address, occurred_at);

CREATE TABLE merchants (
    id         INTEGER PRIMARY KEY,
    name       TEXT    NOT NULL,
    category   TEXT    NOT NULL,
    city       TEXT    NOT NULL
);

CREATE TABLE transactions (
    id                  INTEGER PRIMARY KEY,
    reference           TEXT    NOT NULL UNIQUE,
    customer_id         INTEGER NOT NULL REFERENCES customers (id),
    kind                TEXT    NOT NULL,
    amount              INTEGER NOT NULL CHECK (amount > 0),
    currency            TEXT    NOT NULL,
    merchant_id         INTEGER NULL REFERENCES merchants (id),
    counterparty        TEXT    NULL,
    occurred_at         TEXT    NOT NULL,
    device_fingerprint  TEXT    NULL,
    ip_address          TEXT    NULL
);
CREATE INDEX ix_transactions_customer ON transactions (customer_id, occurred_at);
CREATE INDEX ix_transactions_device ON transactions (device_fingerprint, occurred_at);

CREATE TABLE claims (
    id               INTEGER PRIMARY KEY,
    claim_number     TEXT    NOT NULL UNIQUE,
    customer_id      INTEGER NOT NULL REFERENCES customers (id),
    status           TEXT    NOT NULL,
    description      TEXT    NOT NULL,
    total_amount     INTEGER NOT NULL CHECK (total_amount > 0),
    currency         TEXT    NOT NULL,
    submitted_at     TEXT    NOT NULL,
    assessed_at      TEXT    NULL,
    decision_due_at  TEXT    NULL,
    paid_amount      INTEGER NULL,
    paid_at          TEXT    NULL,
    updated_at       TEXT    NOT NULL
);
CREATE INDEX ix_claims_customer ON claims (customer_id, submitted_at);
CREATE INDEX ix_claims_status ON claims (status, submitted_at);

CREATE TABLE claim_transactions (
    claim_id        INTEGER NOT NULL REFERENCES claims (id),
    transaction_id  INTEGER NOT NULL REFERENCES transactions (id),
    amount          INTEGER NOT NULL,
    released_at     TEXT    NULL,
    PRIMARY KEY (claim_id, transaction_id)
);
-- A transaction can be in at most one live claim.
CREATE UNIQUE INDEX ux_claim_transactions_live ON claim_transactions (transaction_id) WHERE released_at IS NULL;

CREATE TABLE assessments (
    id                 INTEGER PRIMARY KEY,
    claim_id           INTEGER NOT NULL REFERENCES claims (id),
    rule_set_version   TEXT    NOT NULL,
    outcome            TEXT    NOT NULL,
    score              INTEGER NOT NULL,
    assessed_at        TEXT    NOT NULL
);
CREATE INDEX ix_assessments_claim ON assessments (claim_id);

CREATE TABLE assessment_findings (
    id              INTEGER PRIMARY KEY,
    assessment_id   INTEGER NOT NULL REFERENCES assessments (id),
    rule            TEXT    NOT NULL,
    points          INTEGER NOT NULL,
    blocks_auto_payout INTEGER NOT NULL,
    summary         TEXT    NOT NULL,
    evidence        TEXT    NOT NULL
);
CREATE INDEX ix_assessment_findings_assessment ON assessment_findings (assessment_id);

CREATE TABLE ledger_accounts (
    id           INTEGER PRIMARY KEY,
    code         TEXT    NOT NULL UNIQUE,
    kind         TEXT    NOT NULL,
    customer_id  INTEGER NULL REFERENCES customers (id),
    currency     TEXT    NOT NULL,
    created_at   TEXT    NOT NULL
);

CREATE TABLE ledger_journals (
    id          INTEGER PRIMARY KEY,
    kind        TEXT    NOT NULL,
    claim_id    INTEGER NULL REFERENCES claims (id),
    memo        TEXT    NOT NULL,
    created_at  TEXT    NOT NULL
);

CREATE TABLE ledger_postings (
    id          INTEGER PRIMARY KEY,
    journal_id  INTEGER NOT NULL REFERENCES ledger_journals (id),
    account_id  INTEGER NOT NULL REFERENCES ledger_accounts (id),
    amount      INTEGER NOT NULL,
    currency    TEXT    NOT NULL
);
CREATE INDEX ix_ledger_postings_journal ON ledger_postings (journal_id);
CREATE INDEX ix_ledger_postings_account ON ledger_postings (account_id);

CREATE TABLE payouts (
    id          INTEGER PRIMARY KEY,
    claim_id    INTEGER NOT NULL UNIQUE REFERENCES claims (id),
    amount      INTEGER NOT NULL CHECK (amount > 0),
    currency    TEXT    NOT NULL,
    journal_id  INTEGER NOT NULL REFERENCES ledger_journals (id),
    paid_at     TEXT    NOT NULL
);

CREATE TABLE outbox_messages (
    id               INTEGER PRIMARY KEY,
    channel          TEXT    NOT NULL,
    recipient        TEXT    NOT NULL,
    customer_id      INTEGER NULL REFERENCES customers (id),
    subject          TEXT    NOT NULL,
    body             TEXT    NOT NULL,
    dedupe_key       TEXT    NOT NULL UNIQUE,
    created_at       TEXT    NOT NULL,
    attempts         INTEGER NOT NULL DEFAULT 0,
    next_attempt_at  TEXT    NOT NULL,
    delivered_at     TEXT    NULL,
    last_error       TEXT    NULL
);
CREATE INDEX ix_outbox_pending ON outbox_messages (next_attempt_at) WHERE delivered_at IS NULL;

CREATE TABLE inbox_messages (
    id                 INTEGER PRIMARY KEY,
    customer_id        INTEGER NOT NULL REFERENCES customers (id),
    subject            TEXT    NOT NULL,
    body               TEXT    NOT NULL,
    created_at         TEXT    NOT NULL,
    read_at            TEXT    NULL,
    outbox_message_id  INTEGER NOT NULL UNIQUE REFERENCES outbox_messages (id)
);
CREATE INDEX ix_inbox_messages_customer ON inbox_messages (customer_id, created_at);

CREATE TABLE dev_mailbox (
    id                 INTEGER PRIMARY KEY,
    channel            TEXT    NOT NULL,
    recipient          TEXT    NOT NULL,
    subject            TEXT    NOT NULL,
    body               TEXT    NOT NULL,
    created_at         TEXT    NOT NULL,
    outbox_message_id  INTEGER NOT NULL UNIQUE REFERENCES outbox_messages (id)
);

CREATE TABLE audit_log (
    id           INTEGER PRIMARY KEY,
    occurred_at  TEXT    NOT NULL,
    actor        TEXT    NOT NULL,
    action       TEXT    NOT NULL,
    entity_type  TEXT    NOT NULL,
    entity_id    TEXT    NOT NULL,
    data         TEXT    NOT NULL,
    prev_hash    TEXT    NOT NULL UNIQUE,
    hash         TEXT    NOT NULL UNIQUE
);
CREATE INDEX ix_audit_log_entity ON audit_log (entity_type, entity_id);

CREATE TABLE sign_in_codes (
    id               INTEGER PRIMARY KEY,
    customer_id      INTEGER NOT NULL REFERENCES customers (id),
    code_hash        TEXT    NOT NULL,
    created_at       TEXT    NOT NULL,
    expires_at       TEXT    NOT NULL,
    failed_attempts  INTEGER NOT NULL DEFAULT 0,
    consumed_at      TEXT    NULL
);
CREATE INDEX ix_sign_in_codes_customer ON sign_in_codes (customer_id, created_at);
