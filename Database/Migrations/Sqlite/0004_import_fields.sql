-- Fields of the canonical import format (docs/import-format.md).
--
-- Imported customers may have no e-mail or phone (card data has none) and may share them with other
-- customers (synthetic identities share contact details, which is itself a signal the engine may use).
-- So both become nullable, and unique only among customers created here (no external_id), which sign in
-- by contact. SQLite cannot drop a constraint: the table is rebuilt. Foreign keys from other tables are
-- deferred while it is swapped; re-inserting every row settles them before the commit.
PRAGMA defer_foreign_keys = ON;

CREATE TABLE customers_before_0004 AS SELECT id, full_name, email, phone, created_at FROM customers;
DROP TABLE customers;
CREATE TABLE customers (
    id              INTEGER PRIMARY KEY,
    external_id     TEXT    NULL,
    full_name       TEXT    NOT NULL,
    email           TEXT    NULL,
    phone           TEXT    NULL,
    created_at      TEXT    NOT NULL,
    home_latitude   REAL    NULL,
    home_longitude  REAL    NULL
);
INSERT INTO customers (id, full_name, email, phone, created_at)
SELECT id, full_name, email, phone, created_at FROM customers_before_0004;
DROP TABLE customers_before_0004;

CREATE UNIQUE INDEX ux_customers_external_id ON customers (external_id);
CREATE UNIQUE INDEX ux_customers_email_own ON customers (email) WHERE external_id IS NULL;
CREATE UNIQUE INDEX ux_customers_phone_own ON customers (phone) WHERE external_id IS NULL;
CREATE INDEX ix_customers_email ON customers (email);
CREATE INDEX ix_customers_phone ON customers (phone);

-- The file's transaction_id is the existing unique `reference`. Merchant name and category are kept on the
-- transaction: imported merchants have no identity beyond their name, and the merchants table stays the
-- catalogue of the demo data (listings show the catalogue's values first).
ALTER TABLE transactions ADD COLUMN merchant_name TEXT NULL;
ALTER TABLE transactions ADD COLUMN merchant_category TEXT NULL;
ALTER TABLE transactions ADD COLUMN channel TEXT NULL;
ALTER TABLE transactions ADD COLUMN latitude REAL NULL;
ALTER TABLE transactions ADD COLUMN longitude REAL NULL;
-- Minor units, like amount; NULL when the source does not report the balance.
ALTER TABLE transactions ADD COLUMN balance_after INTEGER NULL;

ALTER TABLE account_events ADD COLUMN external_id TEXT NULL;
ALTER TABLE account_events ADD COLUMN latitude REAL NULL;
ALTER TABLE account_events ADD COLUMN longitude REAL NULL;
CREATE UNIQUE INDEX ux_account_events_external_id ON account_events (external_id);
