-- The last authenticator time step (Unix seconds / 30) that signed this person in: a code from that step
-- or an earlier one is refused, so a code seen over a shoulder or in a log cannot be used again.
ALTER TABLE staff_users ADD COLUMN totp_last_step BIGINT NULL;
