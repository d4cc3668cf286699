-- Review console and payout approvals, SQLite dialect: what the queue orders by, who holds a claim,
-- what people decided, and payouts that wait for finance. Money is INTEGER minor units; times UTC text.

-- Campaigns: claims whose disputed transactions share one attacker signal (device, IP, payee).
CREATE TABLE review_campaigns (
    id            INTEGER PRIMARY KEY,
    signal_kind   TEXT    NOT NULL,
    signal_value  TEXT    NOT NULL,
    created_at    TEXT NOT NULL,
    UNIQUE (signal_kind, signal_value)
);

ALTER TABLE claims ADD COLUMN risk_score INTEGER NOT NULL DEFAULT 0;
-- Bumped by every change people make; a decision names the version it was made on.
ALTER TABLE claims ADD COLUMN version INTEGER NOT NULL DEFAULT 0;
ALTER TABLE claims ADD COLUMN assigned_to INTEGER NULL REFERENCES staff_users (id);
ALTER TABLE claims ADD COLUMN assigned_at TEXT NULL;
ALTER TABLE claims ADD COLUMN first_decision_due_at TEXT NULL;
ALTER TABLE claims ADD COLUMN first_decided_at TEXT NULL;
-- The deadline the queue shows: the first-decision one until someone acts, then the final one.
ALTER TABLE claims ADD COLUMN next_due_at TEXT NULL;
ALTER TABLE claims ADD COLUMN campaign_id INTEGER NULL REFERENCES review_campaigns (id);

-- Claims already in review keep their deadline and get their assessment's score.
UPDATE claims SET next_due_at = decision_due_at,
    risk_score = COALESCE((SELECT a.score FROM assessments a WHERE a.claim_id = claims.id ORDER BY a.id DESC LIMIT 1), 0)
WHERE status = 'InReview';

-- The queue: open claims by risk (high first), then deadline, then id. The risk is indexed negated so the
-- whole order is ascending and a keyset cursor is one row comparison the index can seek to.
CREATE INDEX ix_claims_queue ON claims ((-risk_score), next_due_at, id)
    WHERE status IN ('InReview', 'AwaitingInformation', 'Escalated', 'AwaitingApproval');
CREATE INDEX ix_claims_queue_status ON claims (status, (-risk_score), next_due_at, id)
    WHERE status IN ('InReview', 'AwaitingInformation', 'Escalated', 'AwaitingApproval');
CREATE INDEX ix_claims_queue_assigned ON claims (assigned_to, (-risk_score), next_due_at, id)
    WHERE status IN ('InReview', 'AwaitingInformation', 'Escalated', 'AwaitingApproval');
CREATE INDEX ix_claims_queue_campaign ON claims (campaign_id, (-risk_score), next_due_at, id)
    WHERE status IN ('InReview', 'AwaitingInformation', 'Escalated', 'AwaitingApproval');
CREATE INDEX ix_claims_queue_due ON claims (next_due_at)
    WHERE status IN ('InReview', 'AwaitingInformation', 'Escalated', 'AwaitingApproval');
CREATE INDEX ix_claims_assigned ON claims (assigned_to) WHERE assigned_to IS NOT NULL;

CREATE TABLE claim_notes (
    id          INTEGER PRIMARY KEY,
    claim_id    INTEGER  NOT NULL REFERENCES claims (id),
    author_id   INTEGER  NOT NULL REFERENCES staff_users (id),
    body        TEXT    NOT NULL,
    created_at  TEXT NOT NULL
);
CREATE INDEX ix_claim_notes_claim ON claim_notes (claim_id, id);

CREATE TABLE claim_decisions (
    id              INTEGER PRIMARY KEY,
    claim_id        INTEGER  NOT NULL REFERENCES claims (id),
    decided_by      INTEGER  NOT NULL REFERENCES staff_users (id),
    kind            TEXT    NOT NULL,
    reason_code     TEXT    NULL,
    reason_text     TEXT    NULL,
    approved_amount INTEGER  NULL CHECK (approved_amount >= 0),
    claim_version   INTEGER NOT NULL,
    decided_at      TEXT NOT NULL,
    -- The same claim version cannot be decided twice.
    UNIQUE (claim_id, claim_version)
);

CREATE TABLE claim_decision_lines (
    decision_id     INTEGER  NOT NULL REFERENCES claim_decisions (id),
    transaction_id  INTEGER  NOT NULL REFERENCES transactions (id),
    approved_amount INTEGER  NOT NULL CHECK (approved_amount >= 0),
    PRIMARY KEY (decision_id, transaction_id)
);

CREATE TABLE claim_questions (
    id           INTEGER PRIMARY KEY,
    claim_id     INTEGER  NOT NULL REFERENCES claims (id),
    asked_by     INTEGER  NOT NULL REFERENCES staff_users (id),
    question     TEXT    NOT NULL,
    asked_at     TEXT NOT NULL,
    answer       TEXT    NULL,
    answered_at  TEXT NULL
);
CREATE INDEX ix_claim_questions_claim ON claim_questions (claim_id, id);

CREATE TABLE payout_approvals (
    id                  INTEGER PRIMARY KEY,
    claim_id            INTEGER  NOT NULL REFERENCES claims (id),
    decision_id         INTEGER  NOT NULL REFERENCES claim_decisions (id),
    requested_amount    INTEGER  NOT NULL CHECK (requested_amount > 0),
    currency            TEXT    NOT NULL,
    decided_by          INTEGER  NOT NULL REFERENCES staff_users (id),
    state               TEXT    NOT NULL,
    first_approver_id   INTEGER  NULL REFERENCES staff_users (id),
    first_approved_at   TEXT NULL,
    second_approver_id  INTEGER  NULL REFERENCES staff_users (id),
    second_approved_at  TEXT NULL,
    rejected_by         INTEGER  NULL REFERENCES staff_users (id),
    reason_code         TEXT    NULL,
    reason_text         TEXT    NULL,
    version             INTEGER NOT NULL DEFAULT 0,
    created_at          TEXT NOT NULL,
    updated_at          TEXT NOT NULL,
    CHECK (first_approver_id IS NULL OR first_approver_id <> decided_by),
    CHECK (second_approver_id IS NULL OR (second_approver_id <> decided_by AND second_approver_id <> first_approver_id))
);
-- At most one payout waiting per claim.
CREATE UNIQUE INDEX ux_payout_approvals_pending ON payout_approvals (claim_id) WHERE state = 'Pending';
CREATE INDEX ix_payout_approvals_state ON payout_approvals (state, created_at);

CREATE TABLE reconciliation_runs (
    id                   INTEGER PRIMARY KEY,
    ran_at               TEXT NOT NULL,
    journals_checked     INTEGER  NOT NULL,
    wallets_checked      INTEGER  NOT NULL,
    unbalanced_journals  INTEGER  NOT NULL,
    mismatched_wallets   INTEGER  NOT NULL,
    detail               TEXT    NOT NULL
);

CREATE INDEX ix_payouts_paid_at ON payouts (paid_at);
