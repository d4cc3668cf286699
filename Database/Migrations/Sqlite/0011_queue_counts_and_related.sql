-- The queue page's counts per state, kept in step with claims by triggers in the same transaction as each
-- change (ADR 0009). The same table as on PostgreSQL: a row per slot (claim id mod 16), a column per open state.
CREATE TABLE claim_queue_counts (
    slot                  INTEGER PRIMARY KEY,
    in_review             INTEGER NOT NULL DEFAULT 0,
    awaiting_information  INTEGER NOT NULL DEFAULT 0,
    escalated             INTEGER NOT NULL DEFAULT 0,
    awaiting_approval     INTEGER NOT NULL DEFAULT 0
);

WITH RECURSIVE slots (slot) AS (SELECT 0 UNION ALL SELECT slot + 1 FROM slots WHERE slot < 15)
INSERT INTO claim_queue_counts (slot, in_review, awaiting_information, escalated, awaiting_approval)
SELECT s.slot,
       COALESCE(SUM(c.status = 'InReview'), 0),
       COALESCE(SUM(c.status = 'AwaitingInformation'), 0),
       COALESCE(SUM(c.status = 'Escalated'), 0),
       COALESCE(SUM(c.status = 'AwaitingApproval'), 0)
FROM slots s
LEFT JOIN claims c ON c.id % 16 = s.slot AND c.status IN ('InReview', 'AwaitingInformation', 'Escalated', 'AwaitingApproval')
GROUP BY s.slot;

CREATE TRIGGER claims_queue_counts_insert
AFTER INSERT ON claims
WHEN NEW.status IN ('InReview', 'AwaitingInformation', 'Escalated', 'AwaitingApproval')
BEGIN
    UPDATE claim_queue_counts SET
        in_review = in_review + (NEW.status = 'InReview'),
        awaiting_information = awaiting_information + (NEW.status = 'AwaitingInformation'),
        escalated = escalated + (NEW.status = 'Escalated'),
        awaiting_approval = awaiting_approval + (NEW.status = 'AwaitingApproval')
    WHERE slot = NEW.id % 16;
END;

CREATE TRIGGER claims_queue_counts_update
AFTER UPDATE OF status ON claims
WHEN OLD.status IS NOT NEW.status
     AND (OLD.status IN ('InReview', 'AwaitingInformation', 'Escalated', 'AwaitingApproval')
          OR NEW.status IN ('InReview', 'AwaitingInformation', 'Escalated', 'AwaitingApproval'))
BEGIN
    UPDATE claim_queue_counts SET
        in_review = in_review + (NEW.status = 'InReview') - (OLD.status = 'InReview'),
        awaiting_information = awaiting_information + (NEW.status = 'AwaitingInformation') - (OLD.status = 'AwaitingInformation'),
        escalated = escalated + (NEW.status = 'Escalated') - (OLD.status = 'Escalated'),
        awaiting_approval = awaiting_approval + (NEW.status = 'AwaitingApproval') - (OLD.status = 'AwaitingApproval')
    WHERE slot = NEW.id % 16;
END;

CREATE TRIGGER claims_queue_counts_delete
AFTER DELETE ON claims
WHEN OLD.status IN ('InReview', 'AwaitingInformation', 'Escalated', 'AwaitingApproval')
BEGIN
    UPDATE claim_queue_counts SET
        in_review = in_review - (OLD.status = 'InReview'),
        awaiting_information = awaiting_information - (OLD.status = 'AwaitingInformation'),
        escalated = escalated - (OLD.status = 'Escalated'),
        awaiting_approval = awaiting_approval - (OLD.status = 'AwaitingApproval')
    WHERE slot = OLD.id % 16;
END;

-- The queue's order, covering every column a queue filter tests (SQLite has no INCLUDE: they follow the key).
DROP INDEX ix_claims_queue;
CREATE INDEX ix_claims_queue ON claims ((-risk_score), next_due_at, id, risk_score, status, total_amount, submitted_at, assigned_to, campaign_id)
    WHERE status IN ('InReview', 'AwaitingInformation', 'Escalated', 'AwaitingApproval');

-- Related claims on the claim page find the claims of a transaction through ix_claim_transactions_transaction,
-- which migration 0009 added for the assessment's campaign check.
