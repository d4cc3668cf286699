-- Quartz.NET was replaced by Hangfire (ADR 0005). On SQLite Quartz kept its tables in a file of its own
-- (<claims database>.scheduler.db), never in this database, so there is nothing to drop here; the runbook says
-- to delete that file. Kept so both dialects carry the same migration numbers.
SELECT 1;
