-- Tells every listening portal that a claim changed, so a victim's status page updates the moment a worker
-- in any process decides it (portal's ClaimChangeWatcher LISTENs on claim_changed; payload: the claim id).
-- The notification is sent at commit, and only if the transaction commits.

CREATE FUNCTION notify_claim_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('claim_changed', NEW.id::text);
    RETURN NULL;
END
$$;

CREATE TRIGGER claims_notify_changed
    AFTER UPDATE ON claims
    FOR EACH ROW
    WHEN (OLD.status IS DISTINCT FROM NEW.status OR OLD.updated_at IS DISTINCT FROM NEW.updated_at)
    EXECUTE FUNCTION notify_claim_changed();
