-- Staff accounts for ASP.NET Core Identity over Dapper stores (agents, finance, admins).
-- Money limits are INTEGER minor units in the claims' currency.

CREATE TABLE staff_users (
    id                      INTEGER PRIMARY KEY,
    user_name               TEXT    NOT NULL,
    normalized_user_name    TEXT    NOT NULL UNIQUE,
    email                   TEXT    NOT NULL,
    normalized_email        TEXT    NOT NULL UNIQUE,
    display_name            TEXT    NOT NULL,
    password_hash           TEXT    NULL,
    security_stamp          TEXT    NOT NULL,
    concurrency_stamp       TEXT    NOT NULL,
    lockout_enabled         INTEGER NOT NULL DEFAULT 1,
    lockout_end             TEXT    NULL,
    access_failed_count     INTEGER NOT NULL DEFAULT 0,
    two_factor_enabled      INTEGER NOT NULL DEFAULT 0,
    -- Largest payout this person may approve alone; 0 means they approve none.
    approval_limit          INTEGER NOT NULL DEFAULT 0 CHECK (approval_limit >= 0),
    disabled_at             TEXT    NULL,
    created_at              TEXT    NOT NULL
);

CREATE TABLE staff_roles (
    id               INTEGER PRIMARY KEY,
    name             TEXT    NOT NULL,
    normalized_name  TEXT    NOT NULL UNIQUE
);

CREATE TABLE staff_user_roles (
    user_id  INTEGER NOT NULL REFERENCES staff_users (id),
    role_id  INTEGER NOT NULL REFERENCES staff_roles (id),
    PRIMARY KEY (user_id, role_id)
);

-- Identity's tokens: the authenticator key and the recovery codes live here.
CREATE TABLE staff_user_tokens (
    user_id         INTEGER NOT NULL REFERENCES staff_users (id),
    login_provider  TEXT    NOT NULL,
    name            TEXT    NOT NULL,
    value           TEXT    NULL,
    PRIMARY KEY (user_id, login_provider, name)
);

INSERT INTO staff_roles (name, normalized_name) VALUES ('Agent', 'AGENT'), ('Finance', 'FINANCE'), ('Admin', 'ADMIN');
