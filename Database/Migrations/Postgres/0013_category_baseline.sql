-- The category baseline (docs/assessment.md, rule category-norm) reads the amounts of every categorised payment
-- in the four weeks before a day, once per day and process. A partial covering index keeps that a range
-- read on the payments that have a category, and costs nothing for data without categories.
CREATE INDEX ix_transactions_category_baseline ON transactions (occurred_at, merchant_category, currency, amount)
    WHERE merchant_category IS NOT NULL AND kind = 'payment';
