-- Fields of the canonical import format (docs/import-format.md).
--
-- Imported customers may have no e-mail or phone (card data has none) and may share them with other
-- customers (synthetic identities share contact details, which is itself a signal the engine may use).
-- So both become nullable, and unique only among customers created here (no external_id), which sign in
-- by contact.
ALTER TABLE customers
    ADD COLUMN external_id     TEXT             NULL,
    ADD COLUMN home_latitude   DOUBLE PRECISION NULL,
    ADD COLUMN home_longitude  DOUBLE PRECISION NULL,
    ALTER COLUMN email DROP NOT NULL,
    ALTER COLUMN phone DROP NOT NULL,
    DROP CONSTRAINT customers_email_key,
    DROP CONSTRAINT customers_phone_key;

CREATE UNIQUE INDEX ux_customers_external_id ON customers (external_id);
CREATE UNIQUE INDEX ux_customers_email_own ON customers (email) WHERE external_id IS NULL;
CREATE UNIQUE INDEX ux_customers_phone_own ON customers (phone) WHERE external_id IS NULL;
CREATE INDEX ix_customers_email ON customers (email);
CREATE INDEX ix_customers_phone ON customers (phone);

-- The file's transaction_id is the existing unique `reference`. Merchant name and category are kept on the
-- transaction: imported merchants have no identity beyond their name, and the merchants table stays the
-- catalogue of the demo data (listings show the catalogue's values first).
ALTER TABLE transactions
    ADD COLUMN merchant_name      TEXT             NULL,
    ADD COLUMN merchant_category  TEXT             NULL,
    ADD COLUMN channel            TEXT             NULL,
    ADD COLUMN latitude           DOUBLE PRECISION NULL,
    ADD COLUMN longitude          DOUBLE PRECISION NULL,
    -- Minor units, like amount; NULL when the source does not report the balance.
    ADD COLUMN balance_after      BIGINT           NULL;

ALTER TABLE account_events
    ADD COLUMN external_id  TEXT             NULL,
    ADD COLUMN latitude     DOUBLE PRECISION NULL,
    ADD COLUMN longitude    DOUBLE PRECISION NULL;
CREATE UNIQUE INDEX ux_account_events_external_id ON account_events (external_id);
